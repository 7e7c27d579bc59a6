from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from leitstern.exchange.export import CSV_DIALECTS, build_document, to_csv, to_json, to_yaml
from leitstern.exchange.progress import ProgressBar
from leitstern.okrs.models import Cycle
from leitstern.orgs.models import Organization


class Command(BaseCommand):
    help = "Export an organisation's OKR work as JSON or YAML (OKR-as-code) or as a CSV sheet."

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
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(_("There is no organisation “%(slug)s”.") % {"slug": options["org"]})
        cycle = None
        if options["cycle"]:
            cycle = Cycle.objects.filter(organization=org, name=options["cycle"]).first()
            if cycle is None:
                names = ", ".join(
                    Cycle.objects.filter(organization=org).values_list("name", flat=True)
                )
                raise CommandError(
                    _("No cycle “%(name)s” in %(slug)s. Cycles: %(names)s")
                    % {"name": options["cycle"], "slug": org.slug, "names": names}
                )
        if options["format"] == "csv":
            text = to_csv(org, cycle=cycle, dialect=options["dialect"])
        else:
            doc = build_document(org, cycle=cycle, progress=ProgressBar("export", sys.stderr))
            text = to_json(doc) if options["format"] == "json" else to_yaml(doc)
        if options["output"]:
            try:
                # newline="": the excel-de dialect writes its own CRLF line ends
                Path(options["output"]).write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(reason)s")
                    % {"file": options["output"], "reason": exc.strerror}
                ) from exc
            self.stderr.write(
                _("Exported %(slug)s to %(file)s.") % {"slug": org.slug, "file": options["output"]}
            )
        else:
            self.stdout.write(text, ending="")
