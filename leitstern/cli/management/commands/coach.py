from __future__ import annotations

import sys
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Review OKR key results: kind, findings and a suggested outcome phrasing (DE/EN)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The coach parses its own arguments; pass everything through untouched.
        parser = super().create_parser(prog_name, subcommand, add_help=False, **kwargs)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("coach_args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        from leitstern.coach.cli import main

        sys.exit(main(argv[2:], sys.stdin, sys.stdout, sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        from leitstern.coach.cli import main

        # Django's OutputWrapper is file-like (write, flush), which is all the coach uses.
        out, err = cast(IO[str], self.stdout), cast(IO[str], self.stderr)
        code = main(list(options["coach_args"]), sys.stdin, out, err)
        if code:
            sys.exit(code)
