"""The OKR-as-code document, read as plain rows and grouped in Python.

The export reads only the columns it writes (`values_list()`), never model instances: at
2,000 teams one cycle holds 6,000 objectives and 234,000 check-ins, and building instances
with Django's per-instance prefetch machinery cost 77 s of CPU for it. Objectives are read
in chunks, and each chunk's rows go once its objectives are written, so memory stays bounded
and the writers (`render.py`) can stream. The document is the same, key for key and in the
same order, as the one built from model instances before (a test compares them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet

from leitstern.exchange.checkin_rows import checkins_by_key_result
from leitstern.exchange.document import FORMAT_VERSION
from leitstern.exchange.values import Keys, day, moment, number, plain
from leitstern.frame.models import Frame, Moal
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.learning.models import Learning
from leitstern.okrs.models import Contribution, Cycle, KeyResult, LeadingIndicator, Objective
from leitstern.orgs.models import Organization, Team

Progress = Callable[[int, int], None]
Row = tuple[Any, ...]
# Small enough that every IN list stays short (SQLite refuses very long expressions) and a
# chunk's rows take a few MB; large enough that the per-query cost does not show.
OBJECTIVES_PER_CHUNK = 250

SETTINGS = (
    "language",
    "attribution",
    "max_objectives_per_team",
    "max_key_results_per_objective",
    "pulse_min_responses",
    "audit_retention_days",
    "late_checkin_days",
)


class Streamed:
    """A list of the document that is read and written one item at a time."""

    def __init__(self, items: Iterator[dict[str, Any]]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.items


def document_parts(
    organization: Organization, *, cycle: Cycle | None = None, progress: Progress | None = None
) -> Iterator[tuple[str, Any]]:
    """The document's top-level entries in order; objectives and learnings as `Streamed`.

    A generator: the learnings and health metrics are read only once the objectives
    have been written.
    """
    keys = Keys(organization)
    frame = Frame.objects.filter(organization=organization).values("vision", "purpose").first()
    yield "leitstern", FORMAT_VERSION
    yield "settings", {name: plain(getattr(organization, name)) for name in SETTINGS}
    yield "frame", frame or {"vision": "", "purpose": ""}
    yield "moals", _moals(organization, keys)
    yield "teams", _teams(organization)
    yield "cycles", _cycles(organization, cycle)
    total, ids = _objective_ids(organization, cycle)
    yield "objectives", Streamed(_objectives(ids, keys, total, progress))
    yield "learnings", Streamed(_learnings(organization, cycle, keys))
    yield "health_metrics", _metrics(organization, keys)


def _moals(organization: Organization, keys: Keys) -> list[dict[str, Any]]:
    rows = Moal.objects.filter(organization=organization).order_by("position", "title", "pk")
    return [
        {
            "key": keys.of("moal", u),
            "title": title,
            "description": description,
            "horizon": day(horizon),
            "archived": archived,
        }
        for u, title, description, horizon, archived in rows.values_list(
            "uuid", "title", "description", "horizon", "archived"
        )
    ]


def _teams(organization: Organization) -> list[dict[str, Any]]:
    rows = Team.objects.in_org(organization).order_by("slug")
    return [
        {
            "slug": slug,
            "name": name,
            "description": description,
            "parent": parent,
            "strategy_time": (
                {"hours_per_week": number(hours), "slot": slot} if strategy is not None else None
            ),
        }
        for slug, name, description, parent, strategy, hours, slot in rows.values_list(
            "slug",
            "name",
            "description",
            "parent__slug",
            "strategy_time__id",
            "strategy_time__hours_per_week",
            "strategy_time__slot",
        )
    ]


def _cycles(organization: Organization, cycle: Cycle | None) -> list[dict[str, Any]]:
    rows = Cycle.objects.filter(organization=organization).order_by("starts_on", "name")
    if cycle is not None:
        rows = rows.filter(pk=cycle.pk)
    return [
        {"name": name, "starts_on": starts.isoformat(), "ends_on": ends.isoformat(), "phase": phase}
        for name, starts, ends, phase in rows.values_list("name", "starts_on", "ends_on", "phase")
    ]


def _objective_ids(organization: Organization, cycle: Cycle | None) -> tuple[int, list[int]]:
    ordered = Objective.objects.filter(organization=organization).order_by(
        "cycle__starts_on", "team__slug", "position", "created_at", "pk"
    )
    if cycle is not None:
        ordered = ordered.filter(cycle=cycle)
    ids = list(ordered.values_list("pk", flat=True))
    return len(ids), ids


def _objectives(
    ids: list[int], keys: Keys, total: int, progress: Progress | None
) -> Iterator[dict[str, Any]]:
    done = 0
    for start in range(0, len(ids), OBJECTIVES_PER_CHUNK):
        for doc in objective_documents(ids[start : start + OBJECTIVES_PER_CHUNK], keys):
            yield doc
            done += 1
            if progress:
                progress(done, total)


def objective_documents(chunk: list[int], keys: Keys) -> list[dict[str, Any]]:
    """The objectives with these primary keys, in this order, with all they hold."""
    key_results = _key_results(chunk, keys)
    moals: dict[int, list[str]] = defaultdict(list)
    for objective_id, u in Objective.moals.through.objects.filter(
        objective_id__in=chunk
    ).values_list("objective_id", "moal__uuid"):
        moals[objective_id].append(keys.of("moal", u))
    aligned: dict[int, list[str]] = defaultdict(list)
    for source_id, u in (
        Contribution.objects.filter(source_id__in=chunk)
        .order_by()
        .values_list("source_id", "target__uuid")
    ):
        aligned[source_id].append(keys.of("objective", u))
    rows = Objective.objects.filter(pk__in=chunk).order_by().values_list(*OBJECTIVE_COLUMNS)
    by_id = {
        row[0]: _objective(row, keys, moals[row[0]], aligned[row[0]], key_results[row[0]])
        for row in rows
    }
    return [by_id[pk] for pk in chunk]


OBJECTIVE_COLUMNS = (
    "pk",
    "uuid",
    "cycle__name",
    "team__slug",
    "title",
    "why",
    "open_questions",
    "kind",
    "status",
    "committed_at",
    "carried_over_from__uuid",
    "retrospective__id",
    "retrospective__what_held",
    "retrospective__what_refuted",
    "retrospective__carry_forward",
    "retrospective__self_assessment",
)


def _objective(
    row: Row, keys: Keys, moals: list[str], aligned: list[str], key_results: list[dict[str, Any]]
) -> dict[str, Any]:
    (_pk, u, cycle, team, title, why, questions, kind, status, committed, carried) = row[:11]
    retro, held, refuted, carry, assessment = row[11:]
    return {
        "key": keys.of("objective", u),
        "cycle": cycle,
        "team": team,
        "title": title,
        "why": why,
        "open_questions": questions,
        "kind": kind,
        "status": status,
        "committed_at": moment(committed),
        "carried_over_from": keys.of("objective", carried) if carried else None,
        "moals": sorted(moals),
        "contributes_to": sorted(aligned),
        "key_results": key_results,
        "retrospective": (
            {
                "what_held": held,
                "what_refuted": refuted,
                "carry_forward": carry,
                "self_assessment": number(assessment),
            }
            if retro is not None
            else None
        ),
    }


def _key_results(chunk: list[int], keys: Keys) -> dict[int, list[dict[str, Any]]]:
    """Key results per objective, with their indicators and check-ins."""
    by_objective: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_id: dict[int, dict[str, Any]] = {}
    rows = KeyResult.objects.filter(objective_id__in=chunk).order_by("position", "created_at", "pk")
    for row in rows.values_list(*KEY_RESULT_COLUMNS):
        kr = {
            "key": keys.of("key_result", row[2]),
            **dict(zip(KEY_RESULT_TEXTS, row[3:9], strict=True)),
            "baseline": number(row[9]),
            "target": number(row[10]),
            "commit_level": row[11],
            "target_level": row[12],
            "stretch_level": row[13],
            "leading_indicators": [],
            "checkins": [],
        }
        by_objective[row[1]].append(kr)
        by_id[row[0]] = kr
    indicators = _leading_indicators(chunk, keys, by_id)
    for kr_id, checkins in checkins_by_key_result(chunk, indicators, keys).items():
        by_id[kr_id]["checkins"] = checkins
    return by_objective


def _leading_indicators(
    chunk: list[int], keys: Keys, key_results: dict[int, dict[str, Any]]
) -> dict[int, str]:
    """Add the key results' indicators; return the indicators' keys by primary key."""
    indicators: dict[int, str] = {}
    rows = LeadingIndicator.objects.filter(key_result__objective_id__in=chunk)
    for pk, kr_id, u, name, unit, baseline, target in rows.order_by(
        "position", "created_at", "pk"
    ).values_list("pk", "key_result_id", "uuid", "name", "unit", "baseline", "target"):
        indicators[pk] = keys.of("indicator", u)
        key_results[kr_id]["leading_indicators"].append(
            {
                "key": indicators[pk],
                "name": name,
                "unit": unit,
                "baseline": number(baseline),
                "target": number(target),
            }
        )
    return indicators


KEY_RESULT_TEXTS = (
    "title",
    "hypothesis",
    "hypothesis_status",
    "hypothesis_evidence",
    "kind",
    "unit",
)
KEY_RESULT_COLUMNS = (
    "pk",
    "objective_id",
    "uuid",
    *KEY_RESULT_TEXTS,
    "baseline",
    "target",
    "commit_level",
    "target_level",
    "stretch_level",
)


def _learnings(
    organization: Organization, cycle: Cycle | None, keys: Keys
) -> Iterator[dict[str, Any]]:
    # The library: 84,000 learnings at 2,000 teams, read and written a few thousand at a time.
    rows: QuerySet[Learning] = Learning.objects.filter(
        organization=organization, checkin__isnull=True
    ).order_by("created_at", "pk")
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    for u, team, cycle_name, objective, key_result, text, outcome, source in rows.values_list(
        "uuid",
        "team__slug",
        "cycle__name",
        "objective__uuid",
        "key_result__uuid",
        "text",
        "hypothesis_outcome",
        "source",
    ).iterator(chunk_size=2000):
        yield {
            "key": keys.of("learning", u),
            "team": team,
            "cycle": cycle_name,
            "objective": keys.of("objective", objective) if objective else None,
            "key_result": keys.of("key_result", key_result) if key_result else None,
            "text": text,
            "hypothesis_outcome": outcome,
            "source": source,
        }


def _metrics(organization: Organization, keys: Keys) -> list[dict[str, Any]]:
    metrics = HealthMetric.objects.filter(organization=organization)
    readings: dict[int, list[tuple[datetime.date, Any]]] = defaultdict(list)
    for metric_id, measured_on, value in (
        HealthReading.objects.filter(metric__organization=organization)
        .order_by("metric_id", "measured_on")
        .values_list("metric_id", "measured_on", "value")
    ):
        readings[metric_id].append((measured_on, value))
    return [
        {
            "key": keys.of("health_metric", u),
            "team": team,
            "name": name,
            "description": description,
            "unit": unit,
            "healthy_min": number(low),
            "healthy_max": number(high),
            "readings": [
                {"measured_on": measured_on.isoformat(), "value": number(value)}
                for measured_on, value in readings[pk]
            ],
        }
        for pk, u, team, name, description, unit, low, high in metrics.order_by(
            "position", "name", "pk"
        ).values_list(
            "pk", "uuid", "team__slug", "name", "description", "unit", "healthy_min", "healthy_max"
        )
    ]
