"""Set up the browser tests' database: `migrate`, then `demo`, in one process.

Run as `python -m leitstern.tests.browser.prepare` with the server's environment. The demo
logins get PBKDF2 hashes with few iterations: the hash records its own iteration count, so
the real server still verifies them (and upgrades them on sign-in), while set-up saves the
seconds that ten full-strength hashes cost. Test data only; never used for real accounts.
"""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.management import call_command

    PBKDF2PasswordHasher.iterations = 1_000
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo", verbosity=0)


if __name__ == "__main__":
    main()
