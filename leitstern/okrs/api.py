"""API: cycles, objectives, key results (outcome hypotheses) and leading indicators.

Reads are open to every member; writes go through okrs.services with the same permission
helpers as the web pages: members write their own teams' OKRs, facilitators any team's
wording and the cycles.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import codes_4xx

from leitstern.frame.models import Moal
from leitstern.lib.apikit import (
    FilterSchema,
    InputSchema,
    PageMeta,
    ProblemOut,
    check_if_match,
    etag_of,
    html_url,
    page,
)
from leitstern.okrs import services
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective
from leitstern.orgs.access import get_in_org, require_role, require_team_editor
from leitstern.orgs.api import team_by_slug
from leitstern.orgs.models import Membership, Role

router = Router()

PhaseName = Literal["planning", "running", "reflecting", "closed"]
Amount = Decimal  # inputs: a JSON number or a decimal string
AMOUNT = {"max_digits": 16, "decimal_places": 4}


# ---- output


class CycleOut(Schema):
    uuid: uuid.UUID
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    phase: str
    updated_at: datetime.datetime
    html_url: str


class IndicatorOut(Schema):
    uuid: uuid.UUID
    name: str
    unit: str
    baseline: float | None
    target: float | None
    position: int


class KeyResultOut(Schema):
    uuid: uuid.UUID
    objective: uuid.UUID
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
    uuid: uuid.UUID
    team: str
    cycle: uuid.UUID
    cycle_name: str
    title: str
    why: str
    open_questions: str
    kind: str
    status: str
    committed_at: datetime.datetime | None
    position: int
    carried_over_from: uuid.UUID | None
    moals: list[uuid.UUID]
    contributes_to: list[uuid.UUID]
    key_results: list[KeyResultOut]
    updated_at: datetime.datetime
    html_url: str


class CyclePage(PageMeta):
    items: list[CycleOut]


class ObjectivePage(PageMeta):
    items: list[ObjectiveOut]


class KeyResultPage(PageMeta):
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


def key_result_out(request: HttpRequest, kr: KeyResult, objective: Objective) -> dict[str, Any]:
    progress = kr.progress()
    text = ("title", "hypothesis", "hypothesis_status", "hypothesis_evidence", "kind", "unit")
    levels = ("commit_level", "target_level", "stretch_level", "position", "uuid")
    return {
        **{f: getattr(kr, f) for f in (*text, *levels)},
        "objective": objective.uuid,
        "team": objective.team.slug,
        "baseline": _num(kr.baseline),
        "target": _num(kr.target),
        "current_value": _num(kr.current_value),
        "current_confidence": kr.current_confidence,
        "last_checkin_on": kr.last_checkin_on,
        "progress_percent": progress.percent,
        "over_percent": progress.over_percent,
        "leading_indicators": [
            {
                "uuid": i.uuid,
                "name": i.name,
                "unit": i.unit,
                "baseline": _num(i.baseline),
                "target": _num(i.target),
                "position": i.position,
            }
            for i in kr.leading_indicators.all()
        ],
        "updated_at": kr.updated_at,
        "html_url": html_url(
            request, "key_result_detail", objective.organization.slug, key_result=kr.uuid
        ),
    }


def objective_out(request: HttpRequest, objective: Objective) -> dict[str, Any]:
    fields = ("uuid", "title", "why", "open_questions", "kind", "status", "committed_at")
    return {
        **{f: getattr(objective, f) for f in (*fields, "position", "updated_at")},
        "team": objective.team.slug,
        "cycle": objective.cycle.uuid,
        "cycle_name": objective.cycle.name,
        "carried_over_from": (
            objective.carried_over_from.uuid if objective.carried_over_from_id else None
        ),
        "moals": [m.uuid for m in objective.moals.all()],
        "contributes_to": [o.uuid for o in objective.contributes_to.all()],
        "key_results": [
            key_result_out(request, kr, objective) for kr in objective.key_results.all()
        ],
        "html_url": html_url(
            request, "objective_detail", objective.organization.slug, objective=objective.uuid
        ),
    }


# ---- fetching through the permission gate


def objectives_of(membership: Membership) -> QuerySet[Objective]:
    return (
        Objective.objects.filter(organization=membership.organization)
        .select_related("team", "cycle", "organization", "carried_over_from")
        .prefetch_related("key_results__leading_indicators", "moals", "contributes_to")
    )


def key_results_of(membership: Membership) -> QuerySet[KeyResult]:
    return (
        KeyResult.objects.filter(organization=membership.organization)
        .select_related("objective__team", "objective__cycle", "objective__organization")
        .prefetch_related("leading_indicators")
    )


def cycle_by_ref(membership: Membership, ref: str) -> Cycle:
    """A cycle by UUID or by its name (names are unique per organisation)."""
    cycles = Cycle.objects.all()
    try:
        return get_in_org(cycles, membership, uuid=uuid.UUID(str(ref)))
    except ValueError:
        return get_in_org(cycles, membership, name=ref)


def _objective(membership: Membership, objective_id: uuid.UUID) -> Objective:
    return get_in_org(objectives_of(membership), membership, uuid=objective_id)


def _key_result(membership: Membership, key_result_id: uuid.UUID) -> KeyResult:
    return get_in_org(key_results_of(membership), membership, uuid=key_result_id)


def _etag(obj: Any) -> str:
    return etag_of(obj.uuid, obj.updated_at)


# ---- cycles


class CycleIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=80)
    starts_on: datetime.date
    ends_on: datetime.date


class CyclePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=80)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class PhaseIn(InputSchema):
    to: PhaseName


@router.get("/cycles", response={200: CyclePage, codes_4xx: ProblemOut})
def list_cycles(
    request: HttpRequest,
    phase: PhaseName | None = Query(None),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Cycles, newest first."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycles = Cycle.objects.filter(organization=membership.organization).order_by("-starts_on")
    if phase:
        cycles = cycles.filter(phase=phase)
    items, meta = page(request, cycles, page_number, page_size)
    org = membership.organization.slug
    return {**meta.dict(), "items": [cycle_out(request, c, org) for c in items]}


@router.get("/cycles/{uuid:cycle_id}", response={200: CycleOut, codes_4xx: ProblemOut})
def get_cycle(request: HttpRequest, cycle_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    response["ETag"] = _etag(cycle)
    return cycle_out(request, cycle, membership.organization.slug)


@router.post("/cycles", response={201: CycleOut, codes_4xx: ProblemOut})
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status[dict[str, Any]]:
    """Facilitators and admins plan a cycle; it starts in the planning phase."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    cycle = services.create_cycle(
        organization=membership.organization,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        by=membership,
    )
    return Status(201, cycle_out(request, cycle, membership.organization.slug))


@router.patch("/cycles/{uuid:cycle_id}", response={200: CycleOut, codes_4xx: ProblemOut})
def update_cycle(
    request: HttpRequest, cycle_id: uuid.UUID, payload: CyclePatch, response: HttpResponse
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    require_role(membership, Role.FACILITATOR)
    check_if_match(request, _etag(cycle))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(cycle, field, value.strip() if isinstance(value, str) else value)
    cycle.full_clean()
    cycle.save()
    response["ETag"] = _etag(cycle)
    return cycle_out(request, cycle, membership.organization.slug)


@router.post("/cycles/{uuid:cycle_id}/phase", response={200: CycleOut, codes_4xx: ProblemOut})
def move_cycle(
    request: HttpRequest, cycle_id: uuid.UUID, payload: PhaseIn, response: HttpResponse
) -> dict[str, Any]:
    """Move a cycle one phase forward (or back, to reopen)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    require_role(membership, Role.FACILITATOR)
    check_if_match(request, _etag(cycle))
    services.move_cycle(cycle=cycle, to=payload.to, by=membership)
    response["ETag"] = _etag(cycle)
    return cycle_out(request, cycle, membership.organization.slug)


# ---- objectives


class ObjectiveIn(InputSchema):
    team: str = Field(..., max_length=60, description="the team's short name (slug)")
    cycle: str = Field(..., max_length=80, description="the cycle's UUID or name")
    title: str = Field(..., min_length=1, max_length=200)
    why: str = Field("", max_length=10000)
    open_questions: str = Field("", max_length=10000)
    kind: Literal["committed", "aspirational"] = "committed"


class ObjectivePatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    why: str | None = Field(None, max_length=10000)
    open_questions: str | None = Field(None, max_length=10000)
    kind: Literal["committed", "aspirational"] | None = None
    status: Literal["dropped"] | None = Field(
        None, description="drop the objective; commit drafts with POST /objectives/commit"
    )
    moals: list[uuid.UUID] | None = Field(None, max_length=50)
    contributes_to: list[uuid.UUID] | None = Field(None, max_length=50)


class CommitIn(InputSchema):
    team: str = Field(..., max_length=60)
    cycle: str = Field(..., max_length=80)


class ObjectiveFilter(FilterSchema):
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")
    team: str | None = Field(None, max_length=60)
    status: Literal["draft", "committed", "closed", "dropped"] | None = None


@router.get("/objectives", response={200: ObjectivePage, codes_4xx: ProblemOut})
def list_objectives(
    request: HttpRequest,
    filters: ObjectiveFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Objectives with their key results, by team (alphabetically) and position."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objectives = objectives_of(membership).order_by("-cycle__starts_on", "team__name", "position")
    if filters.cycle:
        objectives = objectives.filter(cycle=cycle_by_ref(membership, filters.cycle))
    if filters.team:
        objectives = objectives.filter(team__slug=filters.team)
    if filters.status:
        objectives = objectives.filter(status=filters.status)
    items, meta = page(request, objectives, page_number, page_size)
    return {**meta.dict(), "items": [objective_out(request, o) for o in items]}


@router.get("/objectives/{uuid:objective_id}", response={200: ObjectiveOut, codes_4xx: ProblemOut})
def get_objective(
    request: HttpRequest, objective_id: uuid.UUID, response: HttpResponse
) -> dict[str, Any]:
    objective = _objective(request.auth, objective_id)  # type: ignore[attr-defined]
    response["ETag"] = _etag(objective)
    return objective_out(request, objective)


@router.post("/objectives", response={201: ObjectiveOut, codes_4xx: ProblemOut})
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Status[dict[str, Any]]:
    """A team adds a draft objective to a cycle (within the organisation's limit)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, payload.team)
    cycle = cycle_by_ref(membership, payload.cycle)
    require_team_editor(membership, team)
    objective = services.add_objective(
        team=team,
        cycle=cycle,
        title=payload.title,
        why=payload.why.strip(),
        open_questions=payload.open_questions.strip(),
        kind=payload.kind,
    )
    return Status(201, objective_out(request, _objective(membership, objective.uuid)))


@router.patch(
    "/objectives/{uuid:objective_id}", response={200: ObjectiveOut, codes_4xx: ProblemOut}
)
def update_objective(
    request: HttpRequest, objective_id: uuid.UUID, payload: ObjectivePatch, response: HttpResponse
) -> dict[str, Any]:
    """Change wording, drop, or set what the objective contributes to (MOALs, objectives)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objective = _objective(membership, objective_id)
    require_team_editor(membership, objective.team)
    check_if_match(request, _etag(objective))
    changes = payload.dict(exclude_unset=True)
    moals, targets = changes.pop("moals", None), changes.pop("contributes_to", None)
    dropping = changes.pop("status", None) == "dropped"
    wording = {
        k: v.strip() if isinstance(v, str) else v for k, v in changes.items() if v is not None
    }
    if wording:
        services.update_objective(objective=objective, **wording)
    if moals is not None or targets is not None:
        services.align(
            objective=objective,
            moals=_moals(membership, moals) if moals is not None else objective.moals.all(),
            contributes_to=(
                [_objective(membership, t) for t in targets]
                if targets is not None
                else objective.contributes_to.all()
            ),
        )
        Objective.objects.filter(pk=objective.pk).update(updated_at=timezone.now())
    if dropping:
        services.drop_objective(objective=objective)
    objective = _objective(membership, objective_id)
    response["ETag"] = _etag(objective)
    return objective_out(request, objective)


def _moals(membership: Membership, ids: list[uuid.UUID]) -> list[Moal]:
    return [get_in_org(Moal.objects.all(), membership, uuid=i) for i in ids]


@router.post("/objectives/commit", response={200: CommittedOut, codes_4xx: ProblemOut})
def commit_objectives(request: HttpRequest, payload: CommitIn) -> dict[str, int]:
    """The team commits its draft objectives of a cycle together."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, payload.team)
    cycle = cycle_by_ref(membership, payload.cycle)
    require_team_editor(membership, team)
    return {"committed": services.commit_objectives(team=team, cycle=cycle)}


# ---- key results and leading indicators


class KeyResultIn(InputSchema):
    objective: uuid.UUID
    title: str = Field(..., min_length=1, max_length=300)
    hypothesis: str = Field("", max_length=10000)
    kind: Literal["metric", "ordinal"] = "metric"
    unit: str = Field("", max_length=40)
    baseline: Amount | None = Field(None, **AMOUNT)
    target: Amount | None = Field(None, **AMOUNT)
    commit_level: str = Field("", max_length=300)
    target_level: str = Field("", max_length=300)
    stretch_level: str = Field("", max_length=300)


class KeyResultPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=300)
    hypothesis: str | None = Field(None, max_length=10000)
    unit: str | None = Field(None, max_length=40)
    baseline: Amount | None = Field(None, **AMOUNT)
    target: Amount | None = Field(None, **AMOUNT)
    commit_level: str | None = Field(None, max_length=300)
    target_level: str | None = Field(None, max_length=300)
    stretch_level: str | None = Field(None, max_length=300)


class IndicatorIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field("", max_length=40)
    baseline: Amount | None = Field(None, **AMOUNT)
    target: Amount | None = Field(None, **AMOUNT)


class IndicatorPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, max_length=40)
    baseline: Amount | None = Field(None, **AMOUNT)
    target: Amount | None = Field(None, **AMOUNT)


class KeyResultFilter(FilterSchema):
    objective: uuid.UUID | None = None
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")
    team: str | None = Field(None, max_length=60)
    hypothesis_status: Literal["untested", "supported", "refuted", "inconclusive"] | None = None


def _kr_response(request: HttpRequest, membership: Membership, kr_id: uuid.UUID) -> dict[str, Any]:
    kr = _key_result(membership, kr_id)
    return key_result_out(request, kr, kr.objective)


@router.get("/key-results", response={200: KeyResultPage, codes_4xx: ProblemOut})
def list_key_results(
    request: HttpRequest,
    filters: KeyResultFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    krs = key_results_of(membership).order_by(
        "-objective__cycle__starts_on", "objective__team__name", "objective__position", "position"
    )
    if filters.objective:
        krs = krs.filter(objective__uuid=filters.objective)
    if filters.cycle:
        krs = krs.filter(objective__cycle=cycle_by_ref(membership, filters.cycle))
    if filters.team:
        krs = krs.filter(objective__team__slug=filters.team)
    if filters.hypothesis_status:
        krs = krs.filter(hypothesis_status=filters.hypothesis_status)
    items, meta = page(request, krs, page_number, page_size)
    return {**meta.dict(), "items": [key_result_out(request, k, k.objective) for k in items]}


@router.get(
    "/key-results/{uuid:key_result_id}", response={200: KeyResultOut, codes_4xx: ProblemOut}
)
def get_key_result(
    request: HttpRequest, key_result_id: uuid.UUID, response: HttpResponse
) -> dict[str, Any]:
    kr = _key_result(request.auth, key_result_id)  # type: ignore[attr-defined]
    response["ETag"] = _etag(kr)
    return key_result_out(request, kr, kr.objective)


@router.post("/key-results", response={201: KeyResultOut, codes_4xx: ProblemOut})
def create_key_result(request: HttpRequest, payload: KeyResultIn) -> Status[dict[str, Any]]:
    """An outcome hypothesis: baseline → target (metric) or levels in words (ordinal)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objective = _objective(membership, payload.objective)
    require_team_editor(membership, objective.team)
    fields = payload.dict(exclude={"objective", "title"})
    kr = services.add_key_result(
        objective=objective,
        title=payload.title,
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
    )
    return Status(201, _kr_response(request, membership, kr.uuid))


@router.patch(
    "/key-results/{uuid:key_result_id}", response={200: KeyResultOut, codes_4xx: ProblemOut}
)
def update_key_result(
    request: HttpRequest, key_result_id: uuid.UUID, payload: KeyResultPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change a key result's wording or numbers; after commitment the change is kept as history."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    kr = _key_result(membership, key_result_id)
    require_team_editor(membership, kr.objective.team)
    check_if_match(request, _etag(kr))
    changes = {
        k: v.strip() if isinstance(v, str) else v
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None or k in {"baseline", "target"}
    }
    if changes:
        services.update_key_result(key_result=kr, **changes)
    body = _kr_response(request, membership, key_result_id)
    response["ETag"] = etag_of(body["uuid"], body["updated_at"])
    return body


@router.post(
    "/key-results/{uuid:key_result_id}/indicators",
    response={201: KeyResultOut, codes_4xx: ProblemOut},
)
def add_indicator(
    request: HttpRequest, key_result_id: uuid.UUID, payload: IndicatorIn
) -> Status[dict[str, Any]]:
    """A leading indicator: an early signal, ideally a behaviour of the people you serve."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    kr = _key_result(membership, key_result_id)
    require_team_editor(membership, kr.objective.team)
    indicator = LeadingIndicator(
        organization=membership.organization,
        key_result=kr,
        position=kr.leading_indicators.count(),
        **{**payload.dict(), "name": payload.name.strip()},
    )
    indicator.full_clean()
    indicator.save()
    return Status(201, _kr_response(request, membership, key_result_id))


@router.patch(
    "/indicators/{uuid:indicator_id}", response={200: KeyResultOut, codes_4xx: ProblemOut}
)
def update_indicator(
    request: HttpRequest, indicator_id: uuid.UUID, payload: IndicatorPatch
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    indicator = get_in_org(
        LeadingIndicator.objects.select_related("key_result__objective__team"),
        membership,
        uuid=indicator_id,
    )
    require_team_editor(membership, indicator.key_result.objective.team)
    check_if_match(request, _etag(indicator))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None or field in {"baseline", "target"}:
            setattr(indicator, field, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    indicator.save()
    return _kr_response(request, membership, indicator.key_result.uuid)
