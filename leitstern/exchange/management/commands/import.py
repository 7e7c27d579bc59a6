from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitstern.exchange.importer import Report, import_file
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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages; default: the organisation's language",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["org"]).first()
        with translation.override(options["language"] or (org.language if org else None)):
            self._import(org, options)

    def _import(self, org: Organization | None, options: dict[str, Any]) -> None:
        if org is None:
            raise CommandError(_("There is no organisation “%(slug)s”.") % {"slug": options["org"]})
        name = options["file"]
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": name, "reason": exc.strerror}
            ) from exc
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
            self._refuse(report)
        for line in report.summary():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        elif not report.changed:
            self.stdout.write(_("Nothing changed: the organisation already matches the file."))
        else:
            self.stdout.write(_("Imported into %(slug)s.") % {"slug": org.slug})

    def _refuse(self, report: Report) -> None:
        for path, message in report.errors:
            self.stderr.write(f"{path}: {message}")
        n = len(report.errors)
        raise CommandError(
            ngettext(
                "%(n)s problem found; nothing was imported. Fix the file and run the import again.",
                "%(n)s problems found; nothing was imported. Fix the file and run the import "
                "again.",
                n,
            )
            % {"n": n}
        )
