"""The `leitstern` command: Leitstern's own commands first, Django's management commands too.

`leitstern` or `leitstern --help` lists Leitstern's commands with a one-line purpose;
`leitstern help --all` lists every command, Django's included. Exit codes: 0 ok,
1 failed (a clear message, no traceback), 2 wrong usage.
"""

from __future__ import annotations

import os
import sys

USAGE = "usage: leitstern COMMAND [options]   (leitstern COMMAND --help for its options)"


def leitstern_commands() -> list[tuple[str, str]]:
    """(name, one-line purpose) of every management command in a leitstern app."""
    from django.core.management import get_commands, load_command_class

    found = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("leitstern"):
            continue
        try:
            text = str(load_command_class(app, name).help or "")
        except Exception:
            text = ""
        # Shown as typed: `leitstern seed-scale` (module names cannot contain '-').
        found.append((name.replace("_", "-"), text.strip().split("\n")[0]))
    return found


def print_overview() -> None:
    commands = leitstern_commands()
    width = max((len(name) for name, _ in commands), default=10) + 2
    lines = [USAGE, "", "Leitstern's commands:"]
    lines += [f"  {name:<{width}}{purpose}" for name, purpose in commands]
    lines += [
        "",
        "Django's commands (migrate, createsuperuser, shell, …) work too: "
        "`leitstern help --all` lists them.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "leitstern"
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now to report problems cleanly
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"leitstern: {exc}\n")
        sys.exit(1)
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Command modules cannot contain '-': `leitstern seed-scale` runs `seed_scale`.
        argv[1] = argv[1].replace("-", "_")
    args = argv[1:]
    import django

    django.setup()
    if not args or args in (["--help"], ["-h"]):
        print_overview()
        sys.exit(0)
    if args == ["help", "--all"]:
        argv = ["leitstern", "help"]
    from django.core.management import execute_from_command_line, get_commands

    if not args[0].startswith("-") and args[0] != "help" and args[0] not in get_commands():
        sys.stderr.write(
            f"leitstern: there is no command “{args[0]}”. `leitstern --help` lists them.\n"
        )
        sys.exit(2)

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
