"""Load the demo organisations through the domain services (idempotent per organisation)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from leitstern.accounts.models import Person
from leitstern.checkins.models import Problem
from leitstern.checkins.services import offer_help, record_checkin
from leitstern.cli.demo_data import ORGANIZATIONS, PASSWORD
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.learning.services import write_retrospective
from leitstern.okrs.models import Cycle, LeadingIndicator, ObjectiveKind, Phase
from leitstern.okrs.services import (
    add_key_result,
    add_objective,
    align,
    commit_objectives,
    move_cycle,
)
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

WEEKS_RUN = 8
CYCLE_WEEKS = 13


def load_demo() -> list[str]:
    """Create each demo organisation that does not exist yet; return the slugs created."""
    created = []
    for spec in ORGANIZATIONS:
        if not Organization.objects.filter(slug=spec["slug"]).exists():
            _load_organization(spec)
            created.append(spec["slug"])
    return created


def demo_logins() -> list[tuple[str, str]]:
    seen: dict[str, list[str]] = {}
    for spec in ORGANIZATIONS:
        for email, _name, role, _teams in spec["people"]:
            seen.setdefault(email, []).append(f"{role} of {spec['slug']}")
    return [(email, ", ".join(roles)) for email, roles in seen.items()]


@transaction.atomic
def _load_organization(spec: dict[str, Any]) -> None:
    org = Organization.objects.create(
        slug=spec["slug"], name=spec["name"], language=spec["language"]
    )
    Frame.objects.create(organization=org, vision=spec["vision"], purpose=spec["purpose"])
    moals = [
        Moal.objects.create(organization=org, title=t, description=d, position=i)
        for i, (t, d) in enumerate(spec["moals"])
    ]
    teams = _teams(org, spec)
    memberships = _people(org, spec, teams)
    facilitator = next(m for m in memberships if m.role != Role.MEMBER)
    for slug, (hours, slot) in spec["strategy_time"].items():
        StrategyTime.objects.create(
            organization=org, team=teams[slug], hours_per_week=hours, slot=slot
        )
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    running_start = monday - datetime.timedelta(weeks=WEEKS_RUN - 1)
    closed_start = running_start - datetime.timedelta(weeks=CYCLE_WEEKS)
    _closed_cycle(org, spec, teams, moals, facilitator, closed_start, running_start)
    _running_cycle(org, spec, teams, moals, facilitator, running_start)
    _health(org, spec, teams, monday)


def _teams(org: Organization, spec: dict[str, Any]) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for slug, name, parent, description in spec["teams"]:
        teams[slug] = Team.objects.create(
            organization=org,
            slug=slug,
            name=name,
            description=description,
            parent=teams.get(parent) if parent else None,
        )
    return teams


def _people(org: Organization, spec: dict[str, Any], teams: dict[str, Team]) -> list[Membership]:
    memberships = []
    for email, name, role, team_slugs in spec["people"]:
        person = Person.objects.filter(email=email).first()
        if person is None:
            person = Person.objects.create_user(email, PASSWORD, name=name)
        membership = Membership.objects.create(organization=org, person=person, role=role)
        for slug in team_slugs:
            TeamMembership.objects.create(team=teams[slug], membership=membership)
        memberships.append(membership)
    return memberships


def _cycle_name(org: Organization, start: datetime.date, end: datetime.date) -> str:
    if org.language == "de":
        return f"Zyklus {start:%d.%m.} – {end:%d.%m.%Y}"
    return f"Cycle {start:%d %b} – {end:%d %b %Y}"


def _objective(org, team, cycle, moals, index, row) -> Any:  # type: ignore[no-untyped-def]
    title, why, aspirational, krs = row[1], row[2], row[3], row[4]
    kind = ObjectiveKind.ASPIRATIONAL if aspirational else ObjectiveKind.COMMITTED
    objective = add_objective(team=team, cycle=cycle, title=title, why=why, kind=kind)
    align(objective=objective, moals=[moals[index % len(moals)]])
    key_results = []
    for kr in krs:
        key_result = add_key_result(
            objective=objective,
            title=kr[0],
            unit=kr[1],
            baseline=Decimal(str(kr[2])),
            target=Decimal(str(kr[3])),
            hypothesis=kr[4],
        )
        for name in kr[5]:
            LeadingIndicator.objects.create(
                organization=org, key_result=key_result, name=name, unit="%"
            )
        key_results.append((key_result, kr))
    commit_objectives(team=team, cycle=cycle)
    return objective, key_results


def _checkins(key_result, start, weeks, reach, conf, conf_end, rng, extra=None) -> None:  # type: ignore[no-untyped-def]
    baseline, target = float(key_result.baseline), float(key_result.target)
    for week in range(weeks):
        share = reach * (week + 1) / weeks
        noise = (target - baseline) * rng.uniform(-0.04, 0.04)
        value = Decimal(str(round(baseline + (target - baseline) * share + noise, 1)))
        confidence = round(conf + (conf_end - conf) * week / max(weeks - 1, 1))
        day = start + datetime.timedelta(weeks=week, days=3)
        day = min(day, timezone.localdate())
        kwargs = (extra or {}).get(week, {})
        record_checkin(key_result=key_result, value=value, confidence=confidence, on=day, **kwargs)


def _closed_cycle(org, spec, teams, moals, facilitator, start, next_start) -> None:  # type: ignore[no-untyped-def]
    end = next_start - datetime.timedelta(days=1)
    cycle = Cycle(organization=org, name=_cycle_name(org, start, end), starts_on=start, ends_on=end)
    cycle.full_clean()
    cycle.save()
    move_cycle(cycle=cycle, to=Phase.RUNNING, by=facilitator)
    rng = random.Random(f"{org.slug}-closed")
    results = []
    for index, row in enumerate(spec["closed"]):
        objective, key_results = _objective(org, teams[row[0]], cycle, moals, index, row)
        for key_result, kr in key_results:
            reach = 1.05 if kr[6] == "supported" else 0.25
            _checkins(key_result, start, CYCLE_WEEKS - 1, reach, 5, 7 if reach > 1 else 3, rng)
        results.append((objective, key_results))
    move_cycle(cycle=cycle, to=Phase.REFLECTING, by=facilitator)
    for objective, key_results in results:
        refuted = [kr[7] for _k, kr in key_results if kr[6] == "refuted"]
        held = [kr[7] for _k, kr in key_results if kr[6] == "supported"]
        write_retrospective(
            objective=objective,
            what_held=" ".join(held),
            what_refuted=" ".join(refuted),
            carry_forward=objective.why,
            self_assessment=Decimal("0.4") if refuted else Decimal("0.8"),
            hypotheses={k: (kr[6], kr[7]) for k, kr in key_results},
        )
    move_cycle(cycle=cycle, to=Phase.CLOSED, by=facilitator)


def _running_cycle(org, spec, teams, moals, facilitator, start) -> None:  # type: ignore[no-untyped-def]
    end = start + datetime.timedelta(weeks=CYCLE_WEEKS, days=-1)
    cycle = Cycle(organization=org, name=_cycle_name(org, start, end), starts_on=start, ends_on=end)
    cycle.full_clean()
    cycle.save()
    move_cycle(cycle=cycle, to=Phase.RUNNING, by=facilitator)
    rng = random.Random(f"{org.slug}-running")
    offers = []
    for index, row in enumerate(spec["running"]):
        _objective_row, key_results = _objective(org, teams[row[0]], cycle, moals, index, row)
        for kr_index, (key_result, kr) in enumerate(key_results):
            extra: dict[int, dict[str, str]] = {}
            problem = spec["problems"].get((row[0], kr_index))
            if problem:
                extra[WEEKS_RUN - 3] = {"problem": problem[0], "note": problem[0]}
                offers.append((key_result, problem))
            extra.setdefault(WEEKS_RUN - 2, {})["learning"] = (
                spec["learnings"].format(week=WEEKS_RUN - 1)
                if kr_index == 0 and index % 2 == 0
                else ""
            )
            _checkins(key_result, start, WEEKS_RUN, kr[6], kr[7], kr[8], rng, extra)
    for key_result, (_text, helper_slug, message) in offers:
        if helper_slug:
            problem_obj = Problem.objects.get(key_result=key_result)
            offer_help(problem=problem_obj, team=teams[helper_slug], message=message)


def _health(org, spec, teams, monday) -> None:  # type: ignore[no-untyped-def]
    for position, (name, unit, low, high, team_slug, values) in enumerate(spec["health"]):
        metric = HealthMetric.objects.create(
            organization=org,
            name=name,
            unit=unit,
            position=position,
            healthy_min=None if low is None else Decimal(str(low)),
            healthy_max=None if high is None else Decimal(str(high)),
            team=teams.get(team_slug) if team_slug else None,
        )
        for weeks_ago, value in enumerate(reversed(values)):
            HealthReading.objects.create(
                organization=org,
                metric=metric,
                value=Decimal(str(value)),
                measured_on=monday - datetime.timedelta(weeks=weeks_ago),
            )
