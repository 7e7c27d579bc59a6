from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leitstern.cli.demo import demo_logins, load_demo
from leitstern.cli.demo_data import PASSWORD
from leitstern.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Load the demo organisations 'beispiel' (German) and 'example' (English). Local use only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only load when the database holds no organisation at all",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("Organisations exist already; demo data not loaded.")
        else:
            created = load_demo()
            if created:
                self.stdout.write(f"Loaded demo organisations: {', '.join(created)}.")
            else:
                self.stdout.write("Demo organisations are already loaded; nothing changed.")
        self.stdout.write(
            "Demo data is for local use only: the demo logins share one public password."
        )
        if Organization.objects.filter(slug__in=["beispiel", "example"]).exists():
            self.stdout.write(f"Demo logins (password '{PASSWORD}'):")
            for email, roles in demo_logins():
                self.stdout.write(f"  {email:22} {roles}")
