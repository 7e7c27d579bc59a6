from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leitstern.accounts.models import ApiToken
from leitstern.accounts.tokens import MAX_EXPIRY_DAYS, create_token, revoke
from leitstern.orgs.models import Membership


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (scoped to one organisation, acting with a role)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        create = sub.add_parser(
            "create",
            help="create a token and print it alone on standard output (shown once)",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        create.add_argument("--email", required=True, help="the person the token acts for")
        create.add_argument("--org", required=True, help="the organisation's short name (slug)")
        create.add_argument(
            "--expires-days",
            type=int,
            default=90,
            help=f"days until the token expires (1–{MAX_EXPIRY_DAYS}, default 90)",
        )
        create.add_argument("--name", default="command line", help="a name to recognise it by")
        listing = sub.add_parser(
            "list",
            help="list a person's tokens (never the secrets)",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        listing.add_argument("--email", required=True)
        listing.add_argument("--org", help="only this organisation")
        revoking = sub.add_parser(
            "revoke",
            help="revoke a token by its prefix (the part after ls_)",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        revoking.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        membership = (
            Membership.objects.select_related("organization")
            .filter(
                person__email=options["email"].strip().lower(), organization__slug=options["org"]
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['email']} is not a member of an organisation “{options['org']}”."
            )
        try:
            _row, text = create_token(
                membership=membership, name=options["name"], expires_days=options["expires_days"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(text)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.filter(
            membership__person__email=options["email"].strip().lower()
        ).select_related("membership__organization")
        if options["org"]:
            tokens = tokens.filter(membership__organization__slug=options["org"])
        for token in tokens:
            state = "revoked" if token.revoked_at else ("active" if token.is_usable else "expired")
            expires = token.expires_at.date().isoformat() if token.expires_at else "never"
            used = token.last_used_on.isoformat() if token.last_used_on else "never"
            self.stdout.write(
                f"ls_{token.prefix}_…  {token.membership.organization.slug:15} {state:8} "
                f"expires {expires}  last used {used}  {token.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].removeprefix("ls_").split("_")[0]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with the prefix {prefix}.")
        revoke(token)
        self.stdout.write(f"Revoked ls_{prefix}_….")
