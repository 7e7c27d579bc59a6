"""Rows for one chunk of teams in `seed-scale`: objectives down to check-ins and learnings.

Rows are tuples in the field order of the `*_FIELDS` lists below, written with
`leitstern.lib.bulk.insert_rows`. Every key result's check-ins are generated in week order,
so its derived current value/confidence/date are simply those of the last row.
"""

# ruff: noqa: RUF005 - long row tuples read best as a concatenation of lines
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem
from leitstern.cli import seed_text as text
from leitstern.learning.models import Learning, Retrospective
from leitstern.lib.bulk import Adapt, IdBlock, insert_rows
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective, Phase

OBJECTIVES_PER_TEAM = 3
KEY_RESULTS_PER_OBJECTIVE = 3
PROBLEM_SHARE = 0.02
LEARNING_SHARE = 0.02
HELP_SHARE = 0.25
OPEN_PROBLEM_WEEKS = 4

BASE = ["id", "organization", "uuid", "created_at", "updated_at"]
OBJECTIVE_FIELDS = [*BASE, "team", "cycle", "title", "why", "open_questions", "kind", "status"]
OBJECTIVE_FIELDS += ["committed_at", "position"]
KR_FIELDS = [*BASE, "objective", "title", "hypothesis", "hypothesis_status"]
KR_FIELDS += ["hypothesis_evidence", "kind", "unit", "baseline", "target", "commit_level"]
KR_FIELDS += ["target_level", "stretch_level", "position", "current_value"]
KR_FIELDS += ["current_confidence", "last_checkin_on"]
INDICATOR_FIELDS = [*BASE, "key_result", "name", "unit", "baseline", "target", "position"]
CHECKIN_FIELDS = [*BASE, "key_result", "week", "checked_on", "value", "confidence", "note"]
VALUE_FIELDS = [*BASE, "checkin", "indicator", "value"]
PROBLEM_FIELDS = [*BASE, "checkin", "key_result", "team", "text", "status", "resolved_at"]
PROBLEM_FIELDS += ["signed_as"]
HELP_FIELDS = [*BASE, "problem", "team", "message", "signed_as"]
LEARNING_FIELDS = [*BASE, "team", "cycle", "objective", "key_result", "checkin", "text"]
LEARNING_FIELDS += ["hypothesis_outcome", "source"]
RETRO_FIELDS = [*BASE, "objective", "what_held", "what_refuted", "carry_forward"]
RETRO_FIELDS += ["self_assessment"]


@dataclass(frozen=True)
class TeamRef:
    index: int
    id: int
    slug: str
    area: str


@dataclass
class Ids:
    blocks: dict[Any, IdBlock]

    def take(self, model: type[Model]) -> int:
        return self.blocks[model].take()


@dataclass(frozen=True)
class Chunk:
    org_id: int
    teams: list[TeamRef]
    team_range: range
    cycles: list[Cycle]
    moal_ids: list[int]
    weeks: int
    today: datetime.date


@dataclass
class Rows:
    objectives: list[tuple[Any, ...]] = field(default_factory=list)
    moal_links: list[tuple[Any, ...]] = field(default_factory=list)
    key_results: list[tuple[Any, ...]] = field(default_factory=list)
    indicators: list[tuple[Any, ...]] = field(default_factory=list)
    checkins: list[tuple[Any, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] = field(default_factory=list)
    problems: list[tuple[Any, ...]] = field(default_factory=list)
    help_offers: list[tuple[Any, ...]] = field(default_factory=list)
    learnings: list[tuple[Any, ...]] = field(default_factory=list)
    retrospectives: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    monday: Any
    checked_on: Any
    created_at: Any
    resolved_at: Any


@dataclass
class Context:
    chunk: Chunk
    ids: Ids
    adapt: Adapt
    rng: random.Random
    rows: Rows


def write_chunk(chunk: Chunk, ids: Ids, adapt: Adapt, rng: random.Random) -> dict[str, int]:
    """Generate and insert all rows below the teams of `chunk`; return counts per kind."""
    ctx = Context(chunk, ids, adapt, rng, Rows())
    for cycle in chunk.cycles:
        weeks = _weeks(ctx, cycle)
        for i in chunk.team_range:
            for position in range(OBJECTIVES_PER_TEAM):
                _objective(ctx, cycle, weeks, chunk.teams[i], position)
    r = ctx.rows
    tables: list[tuple[str, type[Model], list[str], list[tuple[Any, ...]]]] = [
        ("objectives", Objective, OBJECTIVE_FIELDS, r.objectives),
        ("moal_links", Objective.moals.through, ["id", "objective", "moal"], r.moal_links),
        ("key_results", KeyResult, KR_FIELDS, r.key_results),
        ("leading_indicators", LeadingIndicator, INDICATOR_FIELDS, r.indicators),
        ("checkins", CheckIn, CHECKIN_FIELDS, r.checkins),
        ("indicator_values", IndicatorValue, VALUE_FIELDS, r.values),
        ("problems", Problem, PROBLEM_FIELDS, r.problems),
        ("help_offers", HelpOffer, HELP_FIELDS, r.help_offers),
        ("learnings", Learning, LEARNING_FIELDS, r.learnings),
        ("retrospectives", Retrospective, RETRO_FIELDS, r.retrospectives),
    ]
    return {name: insert_rows(model, names, rows) for name, model, names, rows in tables}


def _weeks(ctx: Context, cycle: Cycle) -> list[Week]:
    """The cycle's weeks with check-in dates: Thursdays, never after today."""
    result = []
    for w in range(ctx.chunk.weeks):
        monday = cycle.starts_on + datetime.timedelta(weeks=w)
        checked = min(monday + datetime.timedelta(days=3), ctx.chunk.today)
        at = datetime.datetime.combine(checked, datetime.time(10), tzinfo=datetime.UTC)
        resolved = at + datetime.timedelta(days=7)
        open_ = cycle.phase == Phase.RUNNING and w >= ctx.chunk.weeks - OPEN_PROBLEM_WEEKS
        a = ctx.adapt
        result.append(
            Week(
                a.date(monday),
                a.date(checked),
                a.datetime(at),
                None if open_ else a.datetime(min(resolved, _now(ctx))),
            )
        )
    return result


def _now(ctx: Context) -> datetime.datetime:
    return datetime.datetime.combine(ctx.chunk.today, datetime.time(9), tzinfo=datetime.UTC)


def _objective(ctx: Context, cycle: Cycle, weeks: list[Week], team: TeamRef, position: int) -> None:
    rng, a, org = ctx.rng, ctx.adapt, ctx.chunk.org_id
    objective_id = ctx.ids.take(Objective)
    start = a.datetime(
        datetime.datetime.combine(cycle.starts_on, datetime.time(9), tzinfo=datetime.UTC)
    )
    title = text.objective_title(rng, team.area)
    why = f"{team.area} matters to {rng.choice(text.SUBJECTS).lower()} this quarter."
    kind = "aspirational" if position == 2 else "committed"
    ctx.rows.objectives.append(
        (objective_id, org, a.uuid(), start, start, team.id, cycle.pk, title, why, "", kind)
        + ("committed", start, position)
    )
    moal = ctx.chunk.moal_ids[(team.index + position) % len(ctx.chunk.moal_ids)]
    ctx.rows.moal_links.append((ctx.ids.take(Objective.moals.through), objective_id, moal))
    outcomes = [
        _key_result(ctx, cycle, weeks, team, objective_id, kr_position)
        for kr_position in range(KEY_RESULTS_PER_OBJECTIVE)
    ]
    if cycle.phase == Phase.CLOSED:
        _retrospective(ctx, cycle, objective_id, outcomes)


def _key_result(
    ctx: Context, cycle: Cycle, weeks: list[Week], team: TeamRef, objective_id: int, position: int
) -> tuple[str, str, float]:
    rng, a, org = ctx.rng, ctx.adapt, ctx.chunk.org_id
    kr_id = ctx.ids.take(KeyResult)
    metric, unit = text.METRICS[(team.index + position) % len(text.METRICS)]
    baseline = float(rng.randint(10, 80))
    target = baseline + rng.choice((10.0, 15.0, 20.0, 25.0, -8.0))
    reach = rng.uniform(0.1, 1.3)
    last = _checkins(ctx, cycle, weeks, team, objective_id, kr_id, baseline, target, reach)
    status, evidence = "untested", ""
    if cycle.phase == Phase.CLOSED:
        status = "supported" if reach >= 0.9 else "refuted" if reach < 0.5 else "inconclusive"
        evidence = text.learning_text(rng) if status != "inconclusive" else ""
    created = weeks[0].created_at
    hypothesis = f"We believe {team.area} changes what people do. We will see it in: {metric}."
    ctx.rows.key_results.append(
        (kr_id, org, a.uuid(), created, created, objective_id, metric, hypothesis, status)
        + (evidence, "metric", unit, baseline, target, "", "", "", position)
        + last
    )
    if position == 0:
        _indicator(ctx, cycle, kr_id, created)
    if evidence:
        learning_id = ctx.ids.take(Learning)
        end = weeks[-1].created_at
        ctx.rows.learnings.append(
            (learning_id, org, a.uuid(), end, end, team.id, cycle.pk, objective_id, kr_id, None)
            + (evidence, status, "retrospective")
        )
    return status, evidence, reach


def _checkins(
    ctx: Context,
    cycle: Cycle,
    weeks: list[Week],
    team: TeamRef,
    objective_id: int,
    kr_id: int,
    baseline: float,
    target: float,
    reach: float,
) -> tuple[Any, Any, Any]:
    """One check-in per week; returns (current value, confidence, last check-in date)."""
    rng, a, org, rows = ctx.rng, ctx.adapt, ctx.chunk.org_id, ctx.rows
    n = len(weeks)
    span = target - baseline
    confidence = rng.randint(4, 7)
    value = baseline
    for w, week in enumerate(weeks):
        checkin_id = ctx.ids.take(CheckIn)
        value = round(baseline + span * (reach * (w + 1) / n + rng.uniform(-0.05, 0.05)), 1)
        confidence = max(0, min(10, confidence + rng.choice((-1, 0, 0, 1))))
        roll = rng.random()
        note = ""
        if roll < PROBLEM_SHARE:
            note = text.problem_text(rng, team.area)
            _problem(ctx, week, checkin_id, kr_id, team, note)
        elif roll < PROBLEM_SHARE + LEARNING_SHARE:
            at = week.created_at
            rows.learnings.append(
                (ctx.ids.take(Learning), org, a.uuid(), at, at, team.id, cycle.pk, objective_id)
                + (kr_id, checkin_id, text.learning_text(rng), "", "checkin")
            )
        rows.checkins.append(
            (checkin_id, org, a.uuid(), week.created_at, week.created_at, kr_id, week.monday)
            + (week.checked_on, value, confidence, note)
        )
    return value, confidence, weeks[-1].checked_on


def _problem(
    ctx: Context, week: Week, checkin_id: int, kr_id: int, team: TeamRef, problem: str
) -> None:
    a, org, rows = ctx.adapt, ctx.chunk.org_id, ctx.rows
    problem_id = ctx.ids.take(Problem)
    status = "open" if week.resolved_at is None else "resolved"
    at = week.created_at
    rows.problems.append(
        (problem_id, org, a.uuid(), at, at, checkin_id, kr_id, team.id, problem, status)
        + (week.resolved_at, "")
    )
    teams = ctx.chunk.teams
    if len(teams) > 1 and ctx.rng.random() < HELP_SHARE:
        helper = teams[(team.index + 1) % len(teams)]
        message = ctx.rng.choice(text.HELP)
        rows.help_offers.append(
            (ctx.ids.take(HelpOffer), org, a.uuid(), at, at, problem_id, helper.id, message, "")
        )


def _indicator(ctx: Context, cycle: Cycle, kr_id: int, created: Any) -> None:
    """A leading indicator on the first key result; values only in the running cycle."""
    a, org, rows = ctx.adapt, ctx.chunk.org_id, ctx.rows
    indicator_id = ctx.ids.take(LeadingIndicator)
    rows.indicators.append(
        (indicator_id, org, a.uuid(), created, created, kr_id, "Weekly returning users", "%")
        + (20.0, 40.0, 0)
    )
    if cycle.phase != Phase.RUNNING:
        return
    checkins = rows.checkins[-ctx.chunk.weeks :]  # this key result's, written just before
    for w, checkin in enumerate(checkins):
        at = checkin[3]
        rows.values.append(
            (ctx.ids.take(IndicatorValue), org, a.uuid(), at, at, checkin[0], indicator_id)
            + (20.0 + w,)
        )


def _retrospective(
    ctx: Context, cycle: Cycle, objective_id: int, outcomes: list[tuple[str, str, float]]
) -> None:
    a, org = ctx.adapt, ctx.chunk.org_id
    held = " ".join(e for status, e, _r in outcomes if status == "supported")
    refuted = " ".join(e for status, e, _r in outcomes if status == "refuted")
    mean = sum(min(reach, 1.0) for _s, _e, reach in outcomes) / len(outcomes)
    at = a.datetime(
        datetime.datetime.combine(cycle.ends_on, datetime.time(16), tzinfo=datetime.UTC)
    )
    assessment = Decimal(str(round(mean, 1)))
    ctx.rows.retrospectives.append(
        (ctx.ids.take(Retrospective), org, a.uuid(), at, at, objective_id, held, refuted)
        + ("Keep what worked; test the refuted parts smaller.", _decimal(a, assessment))
    )


def _decimal(adapt: Adapt, value: Decimal) -> Any:
    return value if adapt.postgres else float(value)
