"""The `leitstern` command: Django's management commands plus Leitstern's own."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "leitstern"
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Command modules cannot contain '-': `leitstern seed-scale` runs `seed_scale`.
        argv[1] = argv[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now to report problems cleanly
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"leitstern: {exc}\n")
        sys.exit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
