"""Personal data rights: what we hold about a person, handing it out, and deleting it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.accounts.models import ApiToken, Person
from leitstern.checkins.models import HelpOffer, Problem
from leitstern.orgs.models import Membership, Role, TeamMembership
from leitstern.trust.models import PulseParticipation
from leitstern.trust.services import audit


def personal_data(*, person: Person) -> dict[str, Any]:
    """Everything Leitstern stores about `person`, as JSON-ready data (GDPR Art. 15 and 20).

    Pulse answers are not included: they are stored without any link to the person, so
    nobody — the person included — can find them again.
    """
    memberships = list(
        Membership.objects.filter(person=person).select_related("organization").order_by("pk")
    )
    teams = TeamMembership.objects.filter(membership__person=person).select_related(
        "team", "membership__organization"
    )
    pulses = PulseParticipation.objects.filter(membership__person=person).select_related(
        "round__team", "round__organization"
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": person.email,
            "name": person.name,
            "language": person.language,
            "date_joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
        },
        "memberships": [
            {
                "organization": m.organization.slug,
                "organization_name": m.organization.name,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "team_memberships": [
            {
                "organization": t.membership.organization.slug,
                "team": t.team.slug,
                "team_name": t.team.name,
            }
            for t in teams
        ],
        "pulse_participation": [
            {
                "organization": p.round.organization.slug,
                "team": p.round.team.slug,
                "round_opened_on": p.round.opened_on.isoformat(),
                "answered": True,
            }
            for p in pulses
        ],
        "api_tokens": [
            {
                "organization": t.membership.organization.slug,
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                "last_used_on": t.last_used_on.isoformat() if t.last_used_on else None,
            }
            for t in ApiToken.objects.filter(membership__person=person).select_related(
                "membership__organization"
            )
        ],
        "not_included": _(
            "Pulse answers are anonymous and cannot be traced back to you. Objectives, key "
            "results and check-ins belong to teams, not to persons."
        ),
    }


def last_admin_organizations(person: Person) -> list[str]:
    """Names of organisations in which `person` is the only admin."""
    names = []
    for membership in Membership.objects.filter(person=person, role=Role.ADMIN).select_related(
        "organization"
    ):
        others = Membership.objects.filter(organization=membership.organization, role=Role.ADMIN)
        if not others.exclude(pk=membership.pk).exists():
            names.append(membership.organization.name)
    return names


@transaction.atomic
def delete_account(*, person: Person, password: str) -> None:
    """Delete a person's account; the teams' OKR work stays, because it never belonged to them.

    Memberships, team memberships and pulse participation go with the account; anonymous
    pulse answers stay (they are nobody's). Names written on problems and help offers under
    the "team and name" attribution are blanked.
    """
    if not person.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    blocking = last_admin_organizations(person)
    if blocking:
        raise ValidationError(
            _(
                "You are the last admin of %(orgs)s. Make another member admin first, then "
                "delete your account."
            )
            % {"orgs": ", ".join(blocking)}
        )
    memberships = list(Membership.objects.filter(person=person).select_related("organization"))
    org_ids = [m.organization_id for m in memberships]
    if person.name:
        # Best effort: names on problems are plain text by design (no link to the person).
        Problem.objects.filter(organization_id__in=org_ids, signed_as=person.name).update(
            signed_as=""
        )
        HelpOffer.objects.filter(organization_id__in=org_ids, signed_as=person.name).update(
            signed_as=""
        )
    for membership in memberships:
        audit(organization=membership.organization, actor=person, action="account.deleted")
    person.delete()
