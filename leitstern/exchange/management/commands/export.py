from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from leitstern.exchange.export import CSV_DIALECTS, csv_pieces, document_text
from leitstern.exchange.progress import ProgressBar
from leitstern.okrs.models import Cycle
from leitstern.orgs.models import Organization


class Command(BaseCommand):
    help = "Export an organisation's OKR work as JSON or YAML (OKR-as-code) or as a CSV sheet."
    # Only reads: the project's system checks load every URL and the whole API first, two
    # seconds of CPU that check nothing an export needs (`leitstern check` runs them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--cycle", help="only this cycle (by name); default: everything")
        parser.add_argument("--format", choices=["json", "yaml", "csv"], default="json")
        parser.add_argument(
            "--dialect",
            choices=list(CSV_DIALECTS),
            default="standard",
            help="CSV only: excel-de writes ; between cells, decimal commas and a byte order "
            "mark, as Excel with German regional settings expects",
        )
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        # As `leitstern serve` does: what exists before the export outlives it, and without
        # this every full garbage collection during it walks all of that again (12 % of
        # the CPU of a large export).
        gc.freeze()
        try:
            self._export(options)
        finally:
            gc.unfreeze()

    def _export(self, options: dict[str, Any]) -> None:
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(_("There is no organisation “%(slug)s”.") % {"slug": options["org"]})
        cycle = _cycle(org, options["cycle"]) if options["cycle"] else None
        # Written piece by piece: a large organisation's file is never whole in memory.
        if options["format"] == "csv":
            pieces = csv_pieces(org, cycle=cycle, dialect=options["dialect"])
        else:
            progress = ProgressBar("export", sys.stderr)
            pieces = document_text(org, format=options["format"], cycle=cycle, progress=progress)
        if options["output"]:
            self._write(options["output"], pieces)
            self.stderr.write(
                _("Exported %(slug)s to %(file)s.") % {"slug": org.slug, "file": options["output"]}
            )
        else:
            for piece in pieces:
                self.stdout.write(piece, ending="")

    def _write(self, name: str, pieces: Iterable[str]) -> None:
        # Into a file beside it first: an export that fails half-way leaves the earlier
        # file (perhaps under version control) as it was. Through links (/dev/stdout),
        # into devices and pipes directly, as ever.
        path = Path(name)
        special = path.is_symlink() or (path.exists() and not path.is_file())
        partial = path if special else path.with_name(f".{path.name}.partial")
        try:
            # newline="": the excel-de dialect writes its own CRLF line ends
            with partial.open("w", encoding="utf-8", newline="") as out:
                out.writelines(pieces)
            if not special:
                partial.replace(path)
        except BaseException as exc:
            if not special:
                partial.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise CommandError(
                    _("Cannot write %(file)s: %(reason)s") % {"file": name, "reason": exc.strerror}
                ) from exc
            raise


def _cycle(org: Organization, name: str) -> Cycle:
    cycle = Cycle.objects.filter(organization=org, name=name).first()
    if cycle is None:
        names = ", ".join(Cycle.objects.filter(organization=org).values_list("name", flat=True))
        raise CommandError(
            _("No cycle “%(name)s” in %(slug)s. Cycles: %(names)s")
            % {"name": name, "slug": org.slug, "names": names}
        )
    return cycle
