"""People and teams of an organisation: invitations, roles, team membership."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leitstern.accounts.models import Person
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership
from leitstern.orgs.versions import bump_teams


@transaction.atomic
def invite(
    *,
    organization: Organization,
    email: str,
    role: str,
    name: str = "",
    teams: Iterable[Team] = (),
) -> Membership:
    """Add a person (new or existing login) to the organisation with a role and teams."""
    person = Person.objects.filter(email=email.strip().lower()).first()
    if person is None:
        person = Person.objects.create_user(email, None, name=name)  # unusable password
    if Membership.objects.filter(organization=organization, person=person).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    membership = Membership.objects.create(organization=organization, person=person, role=role)
    set_teams(membership=membership, teams=teams)
    return membership


@transaction.atomic  # the page versions are then written after the delete, not before
def set_teams(*, membership: Membership, teams: Iterable[Team]) -> None:
    """Replace the teams a member belongs to (teams of the same organisation only)."""
    teams = list(teams)
    if any(t.organization_id != membership.organization_id for t in teams):
        raise ValidationError(_("Only teams of the same organisation."))
    leaving = TeamMembership.objects.filter(membership=membership).exclude(team__in=teams)
    bump_teams(leaving.values_list("team_id", flat=True))
    leaving.delete()
    for team in teams:
        TeamMembership.objects.get_or_create(team=team, membership=membership)


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; an organisation always keeps at least one admin."""
    stored = Membership.objects.get(pk=membership.pk).role  # the form may have changed it
    if stored == Role.ADMIN and role != Role.ADMIN:
        admins = Membership.objects.filter(organization=membership.organization, role=Role.ADMIN)
        if admins.count() <= 1:
            raise ValidationError(
                {
                    "role": _(
                        "The organisation needs at least one admin. Make someone else admin first."
                    )
                }
            )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    """Remove a person from the organisation; the teams' OKR work stays untouched."""
    change_role(membership=membership, role=Role.MEMBER)
    membership.delete()


@transaction.atomic
def create_organization(
    *, slug: str, name: str, admin_email: str, language: str = "en"
) -> Organization:
    """A new, empty organisation with its first admin (new or existing login)."""
    organization = Organization(slug=slug.strip().lower(), name=name.strip(), language=language)
    organization.full_clean()
    organization.save()
    invite(organization=organization, email=admin_email, role=Role.ADMIN)
    return organization
