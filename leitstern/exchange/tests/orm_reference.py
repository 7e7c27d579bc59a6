"""The export as it was built from model instances with prefetches (until the row reader).

Kept only as the reference that the row reader (`leitstern/exchange/rows.py`) must match,
key for key and byte for byte once written: the slow, obvious way to read the same data.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import Prefetch, QuerySet

from leitstern.checkins.models import CheckIn, HelpOffer
from leitstern.exchange.document import FORMAT_VERSION
from leitstern.exchange.export import CSV_COLUMNS, CSV_DIALECTS, CsvDialect, safe_cell
from leitstern.exchange.models import ExternalKey
from leitstern.frame.models import Frame, Moal
from leitstern.health.models import HealthMetric
from leitstern.learning.models import Learning
from leitstern.okrs.models import Cycle, KeyResult, Objective
from leitstern.orgs.models import Organization, Team

Progress = Callable[[int, int], None]

SETTINGS = (
    "language",
    "attribution",
    "max_objectives_per_team",
    "max_key_results_per_objective",
    "pulse_min_responses",
    "audit_retention_days",
    "late_checkin_days",
)


def number(value: Decimal | None) -> int | float | str | None:
    """A decimal in its shortest exact form: int, float when exact, else a string."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return format(value.normalize(), "f")


def _plain(value: Any) -> Any:
    # Choices are str/int enums; YAML's safe dumper wants the plain values.
    return str(value) if isinstance(value, str) else int(value)


def _moment(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).isoformat()


class Keys:
    """Stable keys: the remembered key of an imported object, else its UUID."""

    def __init__(self, organization: Organization) -> None:
        rows = ExternalKey.objects.filter(organization=organization)
        self._by_uuid = {(r.kind, r.object_uuid): r.key for r in rows}

    def __call__(self, kind: str, obj: Any) -> str:
        return self._by_uuid.get((kind, obj.uuid), str(obj.uuid))


def build_document(
    organization: Organization, *, cycle: Cycle | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Everything of the organisation's OKR work, or of one cycle plus the shared parts."""
    keys = Keys(organization)
    frame = Frame.objects.filter(organization=organization).first()
    cycles = Cycle.objects.filter(organization=organization).order_by("starts_on", "name")
    if cycle is not None:
        cycles = cycles.filter(pk=cycle.pk)
    total, objectives = _objectives(organization, cycle)
    doc: dict[str, Any] = {
        "leitstern": FORMAT_VERSION,
        "settings": {name: _plain(getattr(organization, name)) for name in SETTINGS},
        "frame": {
            "vision": frame.vision if frame else "",
            "purpose": frame.purpose if frame else "",
        },
        "moals": [_moal(m, keys) for m in Moal.objects.filter(organization=organization)],
        "teams": [_team(t) for t in _teams(organization)],
        "cycles": [_cycle(c) for c in cycles],
        "objectives": [],
        "learnings": [],
        "health_metrics": [],
    }
    for index, objective in enumerate(objectives, start=1):
        doc["objectives"].append(_objective(objective, keys))
        if progress:
            progress(index, total)
    doc["learnings"] = [_learning(lr, keys) for lr in _learnings(organization, cycle)]
    doc["health_metrics"] = [_metric(m, keys) for m in _metrics(organization)]
    return doc


def _teams(organization: Organization) -> Iterable[Team]:
    return (
        Team.objects.in_org(organization).select_related("parent", "strategy_time").order_by("slug")
    )


OBJECTIVES_PER_CHUNK = 100


def _objectives(organization: Organization, cycle: Cycle | None) -> tuple[int, Iterator[Objective]]:
    """How many objectives, and the objectives with all they hold, read in chunks.

    A chunk keeps every prefetch's IN list small (SQLite refuses very long ones, "Expression
    tree is too large", at 6,000 objectives) and lets each chunk's objects go once written:
    an organisation of 2,000 teams exports in bounded memory.
    """
    checkins = CheckIn.objects.order_by("week").select_related("problem", "learning")
    checkins = checkins.prefetch_related(
        "indicator_values__indicator",
        Prefetch(
            "problem__help_offers",
            HelpOffer.objects.select_related("team").order_by("created_at", "pk"),
        ),
    )
    key_results = KeyResult.objects.order_by("position", "created_at", "pk").prefetch_related(
        "leading_indicators", Prefetch("checkins", checkins)
    )
    ordered = Objective.objects.filter(organization=organization).order_by(
        "cycle__starts_on", "team__slug", "position", "created_at", "pk"
    )
    if cycle is not None:
        ordered = ordered.filter(cycle=cycle)
    ids = list(ordered.values_list("pk", flat=True))
    full = Objective.objects.select_related(
        "team", "cycle", "carried_over_from", "retrospective"
    ).prefetch_related("moals", "contributes_to", Prefetch("key_results", key_results))

    def chunks() -> Iterator[Objective]:
        for start in range(0, len(ids), OBJECTIVES_PER_CHUNK):
            chunk = ids[start : start + OBJECTIVES_PER_CHUNK]
            loaded = {o.pk: o for o in full.filter(pk__in=chunk)}
            yield from (loaded[pk] for pk in chunk)

    return len(ids), chunks()


def _learnings(organization: Organization, cycle: Cycle | None) -> Iterable[Learning]:
    learnings = (
        Learning.objects.filter(organization=organization, checkin__isnull=True)
        .select_related("team", "cycle", "objective", "key_result")
        .order_by("created_at", "pk")
    )
    return learnings.filter(cycle=cycle) if cycle is not None else learnings


def _metrics(organization: Organization) -> Iterable[HealthMetric]:
    return (
        HealthMetric.objects.filter(organization=organization)
        .select_related("team")
        .prefetch_related("readings")
        .order_by("position", "name", "pk")
    )


def _moal(moal: Moal, keys: Keys) -> dict[str, Any]:
    return {
        "key": keys("moal", moal),
        "title": moal.title,
        "description": moal.description,
        "horizon": moal.horizon.isoformat() if moal.horizon else None,
        "archived": moal.archived,
    }


def _team(team: Team) -> dict[str, Any]:
    strategy = getattr(team, "strategy_time", None)
    return {
        "slug": team.slug,
        "name": team.name,
        "description": team.description,
        "parent": team.parent.slug if team.parent else None,
        "strategy_time": (
            {"hours_per_week": number(strategy.hours_per_week), "slot": strategy.slot}
            if strategy
            else None
        ),
    }


def _cycle(cycle: Cycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "starts_on": cycle.starts_on.isoformat(),
        "ends_on": cycle.ends_on.isoformat(),
        "phase": cycle.phase,
    }


def _objective(objective: Objective, keys: Keys) -> dict[str, Any]:
    retro = getattr(objective, "retrospective", None)
    carried = objective.carried_over_from
    return {
        "key": keys("objective", objective),
        "cycle": objective.cycle.name,
        "team": objective.team.slug,
        "title": objective.title,
        "why": objective.why,
        "open_questions": objective.open_questions,
        "kind": objective.kind,
        "status": objective.status,
        "committed_at": _moment(objective.committed_at),
        "carried_over_from": keys("objective", carried) if carried else None,
        "moals": sorted(keys("moal", m) for m in objective.moals.all()),
        "contributes_to": sorted(keys("objective", o) for o in objective.contributes_to.all()),
        "key_results": [_key_result(kr, keys) for kr in objective.key_results.all()],
        "retrospective": (
            {
                "what_held": retro.what_held,
                "what_refuted": retro.what_refuted,
                "carry_forward": retro.carry_forward,
                "self_assessment": number(retro.self_assessment),
            }
            if retro
            else None
        ),
    }


def _key_result(kr: KeyResult, keys: Keys) -> dict[str, Any]:
    text = ("title", "hypothesis", "hypothesis_status", "hypothesis_evidence", "kind", "unit")
    return {
        "key": keys("key_result", kr),
        **{name: getattr(kr, name) for name in text},
        "baseline": number(kr.baseline),
        "target": number(kr.target),
        "commit_level": kr.commit_level,
        "target_level": kr.target_level,
        "stretch_level": kr.stretch_level,
        "leading_indicators": [
            {
                "key": keys("indicator", i),
                "name": i.name,
                "unit": i.unit,
                "baseline": number(i.baseline),
                "target": number(i.target),
            }
            for i in kr.leading_indicators.all()
        ],
        "checkins": [_checkin(c, keys) for c in kr.checkins.all()],
    }


def _checkin(checkin: CheckIn, keys: Keys) -> dict[str, Any]:
    problem = getattr(checkin, "problem", None)
    learning = getattr(checkin, "learning", None)
    values = sorted(
        (keys("indicator", v.indicator), number(v.value)) for v in checkin.indicator_values.all()
    )
    return {
        "week": checkin.week.isoformat(),
        "checked_on": checkin.checked_on.isoformat(),
        "value": number(checkin.value),
        "confidence": checkin.confidence,
        "note": checkin.note,
        "indicator_values": dict(values),
        "problem": (
            {
                "text": problem.text,
                "status": problem.status,
                "resolved_at": _moment(problem.resolved_at),
                "signed_as": problem.signed_as,
                "help_offers": [
                    {"team": o.team.slug, "message": o.message, "signed_as": o.signed_as}
                    for o in problem.help_offers.all()
                ],
            }
            if problem
            else None
        ),
        "learning": learning.text if learning else None,
    }


def _learning(learning: Learning, keys: Keys) -> dict[str, Any]:
    return {
        "key": keys("learning", learning),
        "team": learning.team.slug,
        "cycle": learning.cycle.name if learning.cycle else None,
        "objective": keys("objective", learning.objective) if learning.objective_id else None,
        "key_result": keys("key_result", learning.key_result) if learning.key_result_id else None,
        "text": learning.text,
        "hypothesis_outcome": learning.hypothesis_outcome,
        "source": learning.source,
    }


def _metric(metric: HealthMetric, keys: Keys) -> dict[str, Any]:
    readings = sorted(metric.readings.all(), key=lambda r: r.measured_on)
    return {
        "key": keys("health_metric", metric),
        "team": metric.team.slug if metric.team else None,
        "name": metric.name,
        "description": metric.description,
        "unit": metric.unit,
        "healthy_min": number(metric.healthy_min),
        "healthy_max": number(metric.healthy_max),
        "readings": [
            {"measured_on": r.measured_on.isoformat(), "value": number(r.value)} for r in readings
        ],
    }


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_yaml(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def _csv_number(value: Decimal | None, dialect: CsvDialect) -> str:
    shortest = number(value)
    if shortest is None:
        return ""
    text = str(shortest)
    return text.replace(".", ",") if dialect.decimal_comma else text


def to_csv(
    organization: Organization, *, cycle: Cycle | None = None, dialect: str = "standard"
) -> str:
    """One row per key result, for spreadsheets; it imports back as it was exported."""
    style = CSV_DIALECTS[dialect]
    keys = Keys(organization)
    out = io.StringIO()
    if style.bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator=style.lineterminator)
    writer.writerow(CSV_COLUMNS)
    # In chunks: a large organisation's sheet is written without holding all its objects.
    for objective in _sheet_objectives(organization, cycle).iterator(chunk_size=2000):
        for kr in objective.key_results.all():
            writer.writerow(_csv_row(objective, kr, keys, style))
    return out.getvalue()


def _sheet_objectives(organization: Organization, cycle: Cycle | None) -> QuerySet[Objective]:
    # The sheet needs the key results' derived values only, not their check-ins: loading
    # those (as the full document does) would read every check-in of every cycle.
    key_results = KeyResult.objects.order_by("position", "created_at", "pk")
    objectives = (
        Objective.objects.filter(organization=organization)
        .select_related("team", "cycle")
        .prefetch_related(Prefetch("key_results", key_results))
        .order_by("cycle__starts_on", "team__slug", "position", "created_at", "pk")
    )
    return objectives.filter(cycle=cycle) if cycle is not None else objectives


def _csv_row(objective: Objective, kr: KeyResult, keys: Keys, style: CsvDialect) -> list[str]:
    cycle = objective.cycle
    texts = [
        cycle.name,
        objective.team.slug,
        objective.title,
        keys("objective", objective),
        kr.title,
        keys("key_result", kr),
        kr.kind,
        kr.unit,
    ]
    numbers = [kr.baseline, kr.target, kr.current_value]
    confidence = "" if kr.current_confidence is None else str(kr.current_confidence)
    more = [
        kr.last_checkin_on.isoformat() if kr.last_checkin_on else "",
        objective.status,
        kr.hypothesis_status,
        kr.commit_level,
        kr.target_level,
        kr.stretch_level,
        cycle.starts_on.isoformat(),
        cycle.ends_on.isoformat(),
        cycle.phase,
    ]
    return [
        *(safe_cell(t) for t in texts),
        *(_csv_number(n, style) for n in numbers),
        confidence,
        *(safe_cell(t) for t in more),
    ]
