"""Shared by the OKR API routers: representations, and fetching through the permission gate.

Used by okrs/api.py (cycles, objectives), okrs/api_key_results.py (key results, indicators)
and, through okrs/api.py, by the check-in, learning and exchange routers.
"""

from __future__ import annotations

import datetime
import functools
from collections import namedtuple
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Schema

from leitstern.lib.apikit import (
    CursorPageMeta,
    PageMeta,
    PlainOut,
    etag_of,
    html_links,
    html_url,
)
from leitstern.lib.progress import Progress
from leitstern.lib.sqlrows import PreparedRows
from leitstern.okrs.models import (
    Cycle,
    KeyResult,
    LeadingIndicator,
    Objective,
    progress_of,
)
from leitstern.orgs.access import get_in_org
from leitstern.orgs.models import Membership

# The leading indicators of a key result as loaded by key_results_of() and objectives_of().
INDICATORS = "indicator_list"

# ---- output


class CycleOut(Schema):
    uuid: UUID
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    phase: str
    updated_at: datetime.datetime
    html_url: str


class IndicatorOut(PlainOut):
    uuid: UUID
    name: str
    unit: str
    baseline: float | None
    target: float | None
    position: int


class KeyResultOut(PlainOut):
    uuid: UUID
    objective: UUID
    team: str
    title: str
    hypothesis: str
    hypothesis_status: str
    hypothesis_evidence: str
    kind: str
    unit: str
    baseline: float | None
    target: float | None
    commit_level: str
    target_level: str
    stretch_level: str
    current_value: float | None
    current_confidence: int | None
    last_checkin_on: datetime.date | None
    progress_percent: int | None
    over_percent: int
    position: int
    leading_indicators: list[IndicatorOut]
    updated_at: datetime.datetime
    html_url: str


class ObjectiveOut(Schema):
    uuid: UUID
    team: str
    cycle: UUID
    cycle_name: str
    title: str
    why: str
    open_questions: str
    kind: str
    status: str
    committed_at: datetime.datetime | None
    position: int
    carried_over_from: UUID | None
    moals: list[UUID]
    contributes_to: list[UUID]
    key_results: list[KeyResultOut]
    updated_at: datetime.datetime
    html_url: str


class CyclePage(PageMeta):
    items: list[CycleOut]


class ObjectivePage(PageMeta):
    items: list[ObjectiveOut]


class KeyResultPage(CursorPageMeta):
    items: list[KeyResultOut]


class CommittedOut(Schema):
    committed: int


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def cycle_out(request: HttpRequest, cycle: Cycle, org: str) -> dict[str, Any]:
    return {
        **{f: getattr(cycle, f) for f in ("uuid", "name", "starts_on", "ends_on", "phase")},
        "updated_at": cycle.updated_at,
        "html_url": html_url(request, "cycle_detail", org, cycle=cycle.uuid),
    }


def key_result_links(request: HttpRequest, org: str) -> Callable[[UUID], str]:
    """`html_url` of key results: one reverse() for a whole list."""
    return html_links(request, "key_result_detail", org, "key_result")


def _indicators(kr: KeyResult) -> list[LeadingIndicator]:
    # Loaded by key_results_of/objectives_of into a plain list: prefetching into the related
    # manager would build a queryset per key result, a third of a list's CPU time.
    loaded: list[LeadingIndicator] | None = getattr(kr, INDICATORS, None)
    return list(kr.leading_indicators.all()) if loaded is None else loaded


def key_result_out(
    kr: KeyResult, objective: Objective, link: Callable[[UUID], str]
) -> dict[str, Any]:
    """A key result as the API shows it; `link` from key_result_links()."""
    indicators = [
        _indicator_out(i.uuid, i.name, i.unit, i.baseline, i.target, i.position)
        for i in _indicators(kr)
    ]
    return _key_result_shown(
        kr, kr.progress(), objective.uuid, objective.team.slug, indicators, link
    )


def key_result_row_out(
    row: Any, indicators: list[dict[str, Any]], link: Callable[[UUID], str]
) -> dict[str, Any]:
    """key_result_out() for a row of key_result_rows(), with its indicators_out()."""
    progress = progress_of(row.kind, row.baseline, row.target, row.current_value)
    team = row.objective__team__slug
    return _key_result_shown(row, progress, row.objective__uuid, team, indicators, link)


def _key_result_shown(
    kr: Any,
    progress: Progress,
    objective: UUID,
    team: str,
    indicators: list[dict[str, Any]],
    link: Callable[[UUID], str],
) -> dict[str, Any]:
    """`kr`: a KeyResult or a row of key_result_rows() (the same attribute names)."""
    return {
        # UUIDs as text already: the JSON encoder's fallback per value costs a list 10% of its CPU
        "uuid": str(kr.uuid),
        "objective": str(objective),
        "team": team,
        "title": kr.title,
        "hypothesis": kr.hypothesis,
        "hypothesis_status": kr.hypothesis_status,
        "hypothesis_evidence": kr.hypothesis_evidence,
        "kind": kr.kind,
        "unit": kr.unit,
        "baseline": _num(kr.baseline),
        "target": _num(kr.target),
        "commit_level": kr.commit_level,
        "target_level": kr.target_level,
        "stretch_level": kr.stretch_level,
        "current_value": _num(kr.current_value),
        "current_confidence": kr.current_confidence,
        "last_checkin_on": kr.last_checkin_on,
        "progress_percent": progress.percent,
        "over_percent": progress.over_percent,
        "position": kr.position,
        "leading_indicators": indicators,
        "updated_at": kr.updated_at,
        "html_url": link(kr.uuid),
    }


def _indicator_out(
    uuid: UUID,
    name: str,
    unit: str,
    baseline: Decimal | None,
    target: Decimal | None,
    position: int,
) -> dict[str, Any]:
    return {
        "uuid": str(uuid),
        "name": name,
        "unit": unit,
        "baseline": _num(baseline),
        "target": _num(target),
        "position": position,
    }


def objective_out(
    request: HttpRequest, objective: Objective, links: Callable[[UUID], str] | None = None
) -> dict[str, Any]:
    """An objective with its key results; pass `links` when showing many objectives."""
    link = links or key_result_links(request, objective.organization.slug)
    fields = ("uuid", "title", "why", "open_questions", "kind", "status", "committed_at")
    return {
        **{f: getattr(objective, f) for f in (*fields, "position", "updated_at")},
        "team": objective.team.slug,
        "cycle": objective.cycle.uuid,
        "cycle_name": objective.cycle.name,
        "carried_over_from": (
            objective.carried_over_from.uuid if objective.carried_over_from else None
        ),
        "moals": [m.uuid for m in objective.moals.all()],
        "contributes_to": [o.uuid for o in objective.contributes_to.all()],
        "key_results": [key_result_out(kr, objective, link) for kr in objective.key_results.all()],
        "html_url": html_url(
            request, "objective_detail", objective.organization.slug, objective=objective.uuid
        ),
    }


# ---- fetching through the permission gate


def objectives_of(membership: Membership) -> QuerySet[Objective]:
    return (
        Objective.objects.filter(organization=membership.organization)
        .select_related("team", "cycle", "organization", "carried_over_from")
        .prefetch_related("key_results", _indicators_of("key_results__"), "moals", "contributes_to")
    )


def key_results_of(membership: Membership) -> QuerySet[KeyResult]:
    """Key results of the membership's organisation with what key_result_out() shows."""
    return (
        KeyResult.objects.filter(organization=membership.organization)
        .select_related("objective__team")
        .prefetch_related(_indicators_of())
    )


# A key result as key_result_row_out() shows it, with its objective's uuid and team's slug:
# rows, because model instances of a page of key results, objectives and teams cost more
# CPU than the query. Named rows: `row.pk`, `row.uuid`, … read like the model's attributes.
KEY_RESULT_COLUMNS = (
    "pk",
    "uuid",
    "title",
    "hypothesis",
    "hypothesis_status",
    "hypothesis_evidence",
    "kind",
    "unit",
    "baseline",
    "target",
    "commit_level",
    "target_level",
    "stretch_level",
    "position",
    "current_value",
    "current_confidence",
    "last_checkin_on",
    "updated_at",
    "objective__uuid",
    "objective__team__slug",
)


# A leading indicator as _indicator_out() takes it.
INDICATOR_COLUMNS = ("uuid", "name", "unit", "baseline", "target", "position")

# A row of key_result_rows(), for rows read with more or other columns.
KeyResultRow = namedtuple("KeyResultRow", KEY_RESULT_COLUMNS)  # type: ignore[misc]


def key_result_rows(membership: Membership) -> QuerySet[Any]:
    """Key results of the membership's organisation as named rows for key_result_row_out()."""
    in_org = KeyResult.objects.filter(organization=membership.organization)
    return in_org.values_list(*KEY_RESULT_COLUMNS, named=True)


def indicators_out(key_result_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The leading indicators of these key results as the API shows them, by key result."""
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in key_result_ids}
    if found:
        rows = _indicators_of_ids(len(found)).rows(*found)
        for key_result_id, uuid, name, unit, baseline, target, position in rows:
            found[key_result_id].append(
                _indicator_out(uuid, name, unit, baseline, target, position)
            )
    return found


@functools.lru_cache(maxsize=256)
def _indicators_of_ids(count: int) -> PreparedRows:
    # One prepared query per number of key results (a page holds 1 to 200).
    return PreparedRows(
        lambda *ids: LeadingIndicator.objects.filter(key_result_id__in=ids).values_list(
            "key_result_id", *INDICATOR_COLUMNS
        ),
        fields=(LeadingIndicator._meta.get_field("key_result"),) * count,
        markers=tuple(1_987_000_000 + n for n in range(count)),
    )


def _indicators_of(path: str = "") -> Prefetch[str, QuerySet[LeadingIndicator], str]:
    indicators = LeadingIndicator.objects.only(
        "key_result_id", "uuid", "name", "unit", "baseline", "target", "position"
    )
    return Prefetch(f"{path}leading_indicators", indicators, to_attr=INDICATORS)


def cycle_by_ref(membership: Membership, ref: str) -> Cycle:
    """A cycle by UUID or by its name (names are unique per organisation)."""
    cycles = Cycle.objects.all()
    try:
        return get_in_org(cycles, membership, uuid=UUID(str(ref)))
    except ValueError:
        return get_in_org(cycles, membership, name=ref)


def fetch_objective(membership: Membership, objective_id: UUID) -> Objective:
    return get_in_org(objectives_of(membership), membership, uuid=objective_id)


def fetch_key_result(membership: Membership, key_result_id: UUID) -> KeyResult:
    return get_in_org(key_results_of(membership), membership, uuid=key_result_id)


def key_result_row(membership: Membership, key_result_id: UUID) -> Any:
    """One key result of key_result_rows(), or 404: for reading, not changing it."""
    return get_in_org(key_result_rows(membership), membership, uuid=key_result_id)


def key_result_with_indicators(
    membership: Membership, key_result_id: UUID
) -> tuple[Any, list[dict[str, Any]]]:
    """key_result_row() and its indicators_out() in one query, or 404.

    One row per leading indicator (the key result's columns repeated), in the indicators'
    order: the API's most frequent read pays for one prepared query instead of two built ones.
    """
    rows = _KEY_RESULT_WITH_INDICATORS.rows(membership.organization_id, key_result_id)
    if not rows:
        raise Http404
    width = len(KEY_RESULT_COLUMNS)
    row = KeyResultRow._make(rows[0][:width])
    indicators = [_indicator_out(*r[width:]) for r in rows if r[width] is not None]
    return row, indicators


_KEY_RESULT_WITH_INDICATORS = PreparedRows(
    lambda organization, uuid: (
        KeyResult.objects.filter(organization_id=organization, uuid=uuid)
        .values_list(*KEY_RESULT_COLUMNS, *(f"leading_indicators__{c}" for c in INDICATOR_COLUMNS))
        .order_by("leading_indicators__position", "leading_indicators__created_at")
    ),
    fields=(KeyResult._meta.get_field("organization"), KeyResult._meta.get_field("uuid")),
    markers=(1_987_654_321, UUID("00000000-0000-4000-8000-0000000c0de1")),
)


def etag_for(obj: Any) -> str:
    return etag_of(obj.uuid, obj.updated_at)
