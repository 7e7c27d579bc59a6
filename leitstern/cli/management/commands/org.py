from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from leitstern.accounts.models import Person
from leitstern.orgs.models import Organization
from leitstern.orgs.services import create_organization


class Command(BaseCommand):
    help = "Create an organisation with its first admin, or list the organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an empty organisation")
        create.add_argument("--slug", required=True, help="short name used in links, e.g. acme")
        create.add_argument("--name", required=True, help="display name, e.g. 'Acme GmbH'")
        create.add_argument("--admin", required=True, help="email of the first admin")
        create.add_argument("--language", choices=["de", "en"], default="en")
        sub.add_parser("list", help="list organisations with their number of teams")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for org in Organization.objects.order_by("slug"):
                self.stdout.write(f"{org.slug:20} {org.name}")
            return
        try:
            validate_email(options["admin"])
            org = create_organization(
                slug=options["slug"],
                name=options["name"],
                admin_email=options["admin"],
                language=options["language"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Created {org.slug} ({org.name}) with admin {options['admin']}.")
        person = Person.objects.get(email=options["admin"].strip().lower())
        if not person.has_usable_password():
            self.stdout.write(
                f"Set the admin's password with: leitstern changepassword {person.email}"
            )
        self.stdout.write(f"Then sign in and open /o/{org.slug}/ — a guide shows the first steps.")
