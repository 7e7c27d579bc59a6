"""API: cycles, objectives, key results (outcome hypotheses) and leading indicators.

Reads are open to every member; writes go through okrs.services with the same permission
helpers as the web pages: members write their own teams' OKRs, facilitators any team's
wording and the cycles. This module holds cycles and objectives; key results and leading
indicators live in okrs/api_key_results.py, representations in okrs/api_common.py.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Status
from ninja.responses import codes_4xx

from leitstern.frame.models import Moal
from leitstern.lib.apikit import FilterSchema, InputSchema, ProblemOut, check_if_match, page
from leitstern.okrs import services
from leitstern.okrs.api_common import (
    CommittedOut,
    CycleOut,
    CyclePage,
    ObjectiveOut,
    ObjectivePage,
    cycle_by_ref,
    cycle_out,
    etag_for,
    fetch_objective,
    key_result_links,
    key_results_of,
    objective_out,
    objectives_of,
)
from leitstern.okrs.api_key_results import router as key_results_router
from leitstern.okrs.models import Cycle, Objective
from leitstern.orgs.access import get_in_org, require_role, require_team_editor
from leitstern.orgs.api import team_by_slug
from leitstern.orgs.models import Membership, Role

# The check-in, learning and exchange routers import these from here.
__all__ = ["cycle_by_ref", "key_results_of", "objectives_of", "router"]

router = Router()
router.add_router("", key_results_router)

PhaseName = Literal["planning", "running", "reflecting", "closed"]


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
def get_cycle(request: HttpRequest, cycle_id: UUID, response: HttpResponse) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    response["ETag"] = etag_for(cycle)
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
    request: HttpRequest, cycle_id: UUID, payload: CyclePatch, response: HttpResponse
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    require_role(membership, Role.FACILITATOR)
    check_if_match(request, etag_for(cycle))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(cycle, field, value.strip() if isinstance(value, str) else value)
    cycle.full_clean()
    cycle.save()
    response["ETag"] = etag_for(cycle)
    return cycle_out(request, cycle, membership.organization.slug)


@router.post("/cycles/{uuid:cycle_id}/phase", response={200: CycleOut, codes_4xx: ProblemOut})
def move_cycle(
    request: HttpRequest, cycle_id: UUID, payload: PhaseIn, response: HttpResponse
) -> dict[str, Any]:
    """Move a cycle one phase forward (or back, to reopen)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = get_in_org(Cycle.objects.all(), membership, uuid=cycle_id)
    require_role(membership, Role.FACILITATOR)
    check_if_match(request, etag_for(cycle))
    services.move_cycle(cycle=cycle, to=payload.to, by=membership)
    response["ETag"] = etag_for(cycle)
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
    moals: list[UUID] | None = Field(None, max_length=50)
    contributes_to: list[UUID] | None = Field(None, max_length=50)


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
    links = key_result_links(request, membership.organization.slug)
    return {**meta.dict(), "items": [objective_out(request, o, links) for o in items]}


@router.get("/objectives/{uuid:objective_id}", response={200: ObjectiveOut, codes_4xx: ProblemOut})
def get_objective(
    request: HttpRequest, objective_id: UUID, response: HttpResponse
) -> dict[str, Any]:
    objective = fetch_objective(request.auth, objective_id)  # type: ignore[attr-defined]
    response["ETag"] = etag_for(objective)
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
    return Status(201, objective_out(request, fetch_objective(membership, objective.uuid)))


@router.patch(
    "/objectives/{uuid:objective_id}", response={200: ObjectiveOut, codes_4xx: ProblemOut}
)
def update_objective(
    request: HttpRequest, objective_id: UUID, payload: ObjectivePatch, response: HttpResponse
) -> dict[str, Any]:
    """Change wording, drop, or set what the objective contributes to (MOALs, objectives)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objective = fetch_objective(membership, objective_id)
    require_team_editor(membership, objective.team)
    check_if_match(request, etag_for(objective))
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
                [fetch_objective(membership, t) for t in targets]
                if targets is not None
                else objective.contributes_to.all()
            ),
        )
        Objective.objects.filter(pk=objective.pk).update(updated_at=timezone.now())
    if dropping:
        services.drop_objective(objective=objective)
    objective = fetch_objective(membership, objective_id)
    response["ETag"] = etag_for(objective)
    return objective_out(request, objective)


def _moals(membership: Membership, ids: list[UUID]) -> list[Moal]:
    return [get_in_org(Moal.objects.all(), membership, uuid=i) for i in ids]


@router.post("/objectives/commit", response={200: CommittedOut, codes_4xx: ProblemOut})
def commit_objectives(request: HttpRequest, payload: CommitIn) -> dict[str, int]:
    """The team commits its draft objectives of a cycle together."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, payload.team)
    cycle = cycle_by_ref(membership, payload.cycle)
    require_team_editor(membership, team)
    return {"committed": services.commit_objectives(team=team, cycle=cycle)}
