"""Plain factory functions for tests: small, explicit, no magic."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from leitstern.accounts.models import Person
from leitstern.okrs.models import Cycle, KeyResult, Objective, Phase
from leitstern.okrs.services import add_key_result, add_objective
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

PASSWORD = "a-long-test-password"
_seq = count(1)


def organization(slug: str | None = None, **fields: Any) -> Organization:
    n = next(_seq)
    slug = slug or f"org-{n}"
    return Organization.objects.create(slug=slug, name=fields.pop("name", slug.title()), **fields)


def person(email: str | None = None, **fields: Any) -> Person:
    return Person.objects.create_user(email or f"p{next(_seq)}@example.test", PASSWORD, **fields)


def member(
    org: Organization,
    role: str = Role.MEMBER,
    *,
    teams: tuple[Team, ...] = (),
    email: str | None = None,
) -> Membership:
    membership = Membership.objects.create(organization=org, person=person(email), role=role)
    for team_ in teams:
        TeamMembership.objects.create(team=team_, membership=membership)
    return membership


def team(org: Organization, name: str | None = None, **fields: Any) -> Team:
    name = name or f"Team {next(_seq)}"
    return Team.objects.create(organization=org, name=name, slug=f"t{next(_seq)}", **fields)


def cycle(
    org: Organization,
    *,
    phase: str = Phase.RUNNING,
    weeks_ago: int = 4,
    weeks: int = 13,
    name: str | None = None,
) -> Cycle:
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks_ago)
    result = Cycle(
        organization=org,
        name=name or f"Cycle {next(_seq)}",
        starts_on=start,
        ends_on=start + datetime.timedelta(weeks=weeks, days=-1),
        phase=phase,
    )
    result.full_clean()
    result.save()
    return result


def objective(
    team_: Team, cycle_: Cycle, title: str = "Customers love onboarding", **fields: Any
) -> Objective:
    return add_objective(team=team_, cycle=cycle_, title=title, **fields)


def key_result(
    objective_: Objective,
    title: str = "Share of active users",
    *,
    baseline: str = "10",
    target: str = "30",
    **fields: Any,
) -> KeyResult:
    return add_key_result(
        objective=objective_,
        title=title,
        baseline=Decimal(baseline),
        target=Decimal(target),
        unit=fields.pop("unit", "%"),
        **fields,
    )


@dataclass
class World:
    org: Organization
    other_org: Organization
    team: Team
    other_team: Team
    cycle: Cycle
    objective: Objective
    key_result: KeyResult
    admin: Membership
    facilitator: Membership
    member: Membership
    outsider: Membership
    foreign_objective: Objective


def world() -> World:
    org, other_org = organization("acme"), organization("globex")
    team_a, team_b = team(org, "Alpha"), team(org, "Beta")
    running = cycle(org)
    objective_ = objective(team_a, running)
    kr = key_result(objective_)
    foreign_team = team(other_org, "Gamma")
    foreign_objective = objective(foreign_team, cycle(other_org), "Globex private plans")
    key_result(foreign_objective)
    return World(
        org=org,
        other_org=other_org,
        team=team_a,
        other_team=team_b,
        cycle=running,
        objective=objective_,
        key_result=kr,
        admin=member(org, Role.ADMIN, email="admin@acme.test"),
        facilitator=member(org, Role.FACILITATOR, email="facil@acme.test"),
        member=member(org, Role.MEMBER, teams=(team_a,), email="member@acme.test"),
        outsider=member(other_org, Role.ADMIN, email="outsider@globex.test"),
        foreign_objective=foreign_objective,
    )


# --- check-ins, problems, learnings, health metrics (appended by the check-in slice) ---


def checkin(
    key_result_: KeyResult,
    value: str = "20",
    confidence: int = 6,
    *,
    weeks_ago: int = 0,
    **fields: Any,
) -> Any:
    """A check-in through the service, `weeks_ago` weeks before today."""
    from leitstern.checkins.services import record_checkin

    on = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
    return record_checkin(
        key_result=key_result_, value=Decimal(value), confidence=confidence, on=on, **fields
    )


def problem(key_result_: KeyResult, text: str = "We lack data", **fields: Any) -> Any:
    """An open problem raised in a check-in of `key_result_`."""
    return checkin(key_result_, problem=text, **fields).problem


def learning(team_: Team, text: str = "Customers prefer examples", **fields: Any) -> Any:
    from leitstern.learning.models import Learning, Source

    fields.setdefault("source", Source.OTHER)
    return Learning.objects.create(organization=team_.organization, team=team_, text=text, **fields)


def health_metric(
    org: Organization,
    team_: Team | None = None,
    name: str = "Support response time",
    *,
    healthy_min: str | None = "1",
    healthy_max: str | None = "4",
    **fields: Any,
) -> Any:
    from leitstern.health.models import HealthMetric

    metric = HealthMetric(
        organization=org,
        team=team_,
        name=name,
        healthy_min=None if healthy_min is None else Decimal(healthy_min),
        healthy_max=None if healthy_max is None else Decimal(healthy_max),
        **fields,
    )
    metric.full_clean()
    metric.save()
    return metric


def health_reading(metric: Any, value: str, *, days_ago: int = 0) -> Any:
    from leitstern.health.services import record_reading

    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return record_reading(metric=metric, value=Decimal(value), measured_on=day)
