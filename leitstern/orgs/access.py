"""The one permission gate: every view, API endpoint and command fetches through here.

Reading: every member of an organisation reads everything in it. Non-members get
404, never 403, so the existence of another organisation's objects does not leak.
Writing: members write their own teams' OKR work; facilitators also the frame,
cycles and any team's wording; admins also people, teams and settings.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from leitstern.accounts.models import Person
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

M = TypeVar("M", bound=models.Model)


def get_membership(person: Person, org_slug: str) -> Membership:
    """The person's membership in the organisation `org_slug`, or 404."""
    if not person.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organization")
        .filter(person=person, organization__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def get_in_org(queryset: models.QuerySet[M], membership: Membership, **lookup: object) -> M:
    """One object of the membership's organisation, or 404 (also for other tenants)."""
    obj = queryset.filter(organization=membership.organization, **lookup).first()
    if obj is None:
        raise Http404
    return obj


def require_role(membership: Membership, role: Role) -> None:
    """403 unless the membership has at least `role`."""
    if not membership.has_role(role):
        raise PermissionDenied(_("This needs the role “%(role)s”.") % {"role": role.label})


def is_team_member(membership: Membership, team: Team) -> bool:
    known = getattr(team, "viewer_is_member", None)  # from with_viewer_membership()
    if known is not None and getattr(team, "viewer_membership_id", None) == membership.pk:
        return bool(known)
    return team.memberships.filter(membership=membership).exists()


def with_viewer_membership(
    teams: models.QuerySet[Team], membership: Membership
) -> models.QuerySet[Team]:
    """Teams annotated with whether `membership` belongs to them, so that is_team_member()
    and can_edit_team_okrs() need no query of their own (for that membership only)."""
    mine = TeamMembership.objects.filter(team=models.OuterRef("pk"), membership=membership)
    return teams.annotate(
        viewer_is_member=models.Exists(mine),
        viewer_membership_id=models.Value(membership.pk, output_field=models.BigIntegerField()),
    )


def can_edit_team_okrs(membership: Membership, team: Team) -> bool:
    """Members edit their own teams' OKRs; facilitators and admins any team's."""
    if team.organization_id != membership.organization_id:
        return False
    return membership.has_role(Role.FACILITATOR) or is_team_member(membership, team)


def require_team_editor(membership: Membership, team: Team) -> None:
    """403 unless the membership may edit the team's OKRs, check-ins and retrospectives."""
    if not can_edit_team_okrs(membership, team):
        raise PermissionDenied(_("Only members of %(team)s edit its OKRs.") % {"team": team.name})


def organizations_of(person: Person) -> models.QuerySet[Organization]:
    return Organization.objects.filter(memberships__person=person).order_by("name")
