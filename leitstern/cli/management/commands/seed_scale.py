from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leitstern.cli.seed import ScaleSpec, describe, seed_scale

DEFAULT_PASSWORD = "leitstern-scale-test"


class Command(BaseCommand):
    help = (
        "Create a large, realistic organisation with bulk inserts (team tree, MOALs, three "
        "objectives per team and cycle with three key results each, weekly check-ins with "
        "problems and learnings). For benchmarks and capacity tests, not for production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="short name (slug) of the new org")
        parser.add_argument("--teams", type=int, default=200)
        parser.add_argument("--cycles", type=int, default=8, help="the last one is running")
        parser.add_argument("--weeks", type=int, default=13, help="weeks per cycle")
        parser.add_argument(
            "--people", type=int, default=None, help="memberships in all (default 25 per team)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the organisation first if it exists"
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="for the personas")
        parser.add_argument("--seed", type=int, default=7, help="random seed (same data each run)")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = ScaleSpec(
            slug=options["org"],
            teams=options["teams"],
            cycles=options["cycles"],
            weeks=options["weeks"],
            people=options["people"] if options["people"] is not None else options["teams"] * 25,
            password=options["password"],
            seed=options["seed"],
        )
        try:
            report = seed_scale(spec, replace=options["replace"], progress=sys.stderr)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        describe(report, self.stdout.write)
        self.stdout.write(f"Sign in with password '{spec.password}' as:")
        for email, role in report.personas:
            self.stdout.write(f"  {email:32} {role}")
