"""The one permission gate: every view, API endpoint and command fetches through here.

Reading: every member of an organisation reads everything in it. Non-members get
404, never 403, so the existence of another organisation's objects does not leak.
Writing: members write their own teams' OKR work; facilitators also the frame,
cycles and any team's wording; admins also people, teams and settings.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connections, models
from django.http import Http404
from django.utils.translation import gettext as _

from leitstern.accounts.models import Person
from leitstern.lib.sqlrows import Columns
from leitstern.okrs.models import Cycle, KeyResult, Objective
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

M = TypeVar("M", bound=models.Model)

_MEMBERSHIP = Columns(Membership)
_ORGANIZATION = Columns(Organization)
_MEMBERSHIP_SQL = (
    f"SELECT {_MEMBERSHIP.select('m')}, {_ORGANIZATION.select('o')} "
    f"FROM {Membership._meta.db_table} m "
    f"JOIN {Organization._meta.db_table} o ON o.id = m.organization_id "
    "WHERE m.person_id = %s AND o.slug = %s"
)


def get_membership(person: Person, org_slug: str) -> Membership:
    """The person's membership in the organisation `org_slug`, or 404.

    Hand-written SQL: every organisation page asks this, and the ORM spends more CPU
    compiling the join than the database running it (leitstern.lib.sqlrows)."""
    if not person.is_authenticated:
        raise Http404
    using = Membership.objects.db
    with connections[using].cursor() as cursor:
        cursor.execute(_MEMBERSHIP_SQL, [person.pk, org_slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    membership = _MEMBERSHIP.build(row, 0, using)
    organization = _ORGANIZATION.build(row, len(_MEMBERSHIP), using)
    assert membership is not None and organization is not None
    membership.organization = organization
    membership.person = person
    return membership


def get_in_org(queryset: models.QuerySet[M], membership: Membership, **lookup: object) -> M:
    """One object of the membership's organisation, or 404 (also for other tenants)."""
    obj = queryset.filter(organization=membership.organization, **lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_with_membership(
    person: Person,
    org_slug: str,
    tables: Sequence[tuple[Columns[Any], str]],
    joins: str,
    where: str,
    params: Sequence[Any],
    team: str,
) -> tuple[Membership, Organization, list[Any]]:
    """The person's membership in `org_slug`, its organisation and the rows of `tables`
    (Columns and table alias) from one hand-written statement, or 404: get_membership() and
    get_in_org() together, for the busiest pages (leitstern.lib.sqlrows says why).

    `joins` starts with FROM and must join the organisation as `o`; `where` filters the
    objects by `params`; `team` is the alias of the team the page is about, which learns
    whether the person belongs to it (`viewer_is_member`, read by is_team_member())."""
    if not person.is_authenticated:
        raise Http404
    using = Membership.objects.db
    selects = ", ".join(columns.select(alias) for columns, alias in tables)
    sql = (
        f"SELECT {selects}, {_ORGANIZATION.select('o')}, {_MEMBERSHIP.select('m')}, "
        f"EXISTS (SELECT 1 FROM {TeamMembership._meta.db_table} tm "
        f"WHERE tm.team_id = {team}.id AND tm.membership_id = m.id) "
        f"{joins} JOIN {Membership._meta.db_table} m ON m.organization_id = o.id "
        f"AND m.person_id = %s WHERE o.slug = %s AND ({where})"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [person.pk, org_slug, *params])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    found: list[Any] = []
    start = 0
    for columns, _alias in tables:
        found.append(columns.build(row, start, using))
        start += len(columns)
    organization = _ORGANIZATION.build(row, start, using)
    membership = _MEMBERSHIP.build(row, start + len(_ORGANIZATION), using)
    assert organization is not None and membership is not None
    membership.organization = organization
    membership.person = person
    for obj in found:
        if obj is not None and getattr(obj, "organization_id", None) == organization.pk:
            obj.organization = organization
    viewer_team = found[[alias for _c, alias in tables].index(team)]
    viewer_team.viewer_is_member = bool(row[-1])
    viewer_team.viewer_membership_id = membership.pk
    return membership, organization, found


_TEAM = Columns(Team)


def get_team_with_membership(
    person: Person, org_slug: str, team_slug: str
) -> tuple[Membership, Team]:
    """The membership and the team `team_slug` (with its parent), in one query, or 404."""
    table = Team._meta.db_table
    membership, _org, (team, parent) = get_with_membership(
        person,
        org_slug,
        [(_TEAM, "t"), (_TEAM, "p")],
        f"FROM {table} t JOIN {Organization._meta.db_table} o ON o.id = t.organization_id "
        f"LEFT JOIN {table} p ON p.id = t.parent_id",
        "t.slug = %s",
        [team_slug],
        team="t",
    )
    team.parent = parent
    return membership, team


_KEY_RESULT, _OBJECTIVE, _CYCLE = Columns(KeyResult), Columns(Objective), Columns(Cycle)


def get_key_result_with_membership(
    person: Person, org: str, key_result: uuid.UUID
) -> tuple[Membership, KeyResult]:
    """The membership and the key result with its objective, team and cycle, in one query,
    or 404."""
    tables = {m: m._meta.db_table for m in (KeyResult, Objective, Team, Cycle, Organization)}
    membership, _org, (kr, objective, team, cycle) = get_with_membership(
        person,
        org,
        [(_KEY_RESULT, "kr"), (_OBJECTIVE, "ob"), (_TEAM, "t"), (_CYCLE, "c")],
        f"FROM {tables[KeyResult]} kr JOIN {tables[Objective]} ob ON ob.id = kr.objective_id "
        f"JOIN {tables[Team]} t ON t.id = ob.team_id "
        f"JOIN {tables[Cycle]} c ON c.id = ob.cycle_id "
        f"JOIN {tables[Organization]} o ON o.id = kr.organization_id",
        "kr.uuid = %s",
        [
            KeyResult._meta.get_field("uuid").get_db_prep_value(
                key_result, connections[KeyResult.objects.db]
            )
        ],
        team="t",
    )
    objective.team, objective.cycle, kr.objective = team, cycle, objective
    return membership, kr


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
