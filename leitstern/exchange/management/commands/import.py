from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leitstern.exchange.importer import import_file
from leitstern.exchange.progress import ProgressBar
from leitstern.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Import OKR-as-code (JSON, YAML) or a CSV sheet into an organisation: validated, "
        "all-or-nothing, safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="a .json, .yaml/.yml or .csv file, or - for standard input"
        )
        parser.add_argument("--org", required=True, help="the organisation's short name (slug)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report what would change, write nothing",
        )
        parser.add_argument("--cycle", help="CSV only: the cycle for rows without a cycle column")
        parser.add_argument(
            "--format",
            choices=["json", "yaml", "csv"],
            help="override the format guessed from the file name",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"There is no organisation “{options['org']}”.")
        name = options["file"]
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror}") from exc
        if options["format"]:
            name = f"input.{options['format']}"
        report = import_file(
            raw,
            org,
            name=name,
            dry_run=options["dry_run"],
            cycle=options["cycle"],
            progress=ProgressBar("import", sys.stderr),
        )
        for line in report.notes:
            self.stdout.write(line)
        if not report.ok:
            for path, message in report.errors:
                self.stderr.write(f"{path}: {message}")
            raise CommandError(
                f"{len(report.errors)} problem(s) found; nothing was imported. Fix the file and "
                "run the import again."
            )
        for line in report.summary():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        elif not report.changed:
            self.stdout.write("Nothing changed: the organisation already matches the file.")
        else:
            self.stdout.write(f"Imported into {org.slug}.")
