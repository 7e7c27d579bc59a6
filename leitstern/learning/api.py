"""API: retrospectives per objective and the organisation-wide learning library."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import codes_4xx

from leitstern.learning.models import Learning, Retrospective
from leitstern.learning.search import LibraryPage, find_learnings
from leitstern.learning.services import write_retrospective
from leitstern.lib.apikit import (
    FilterSchema,
    InputSchema,
    PageMeta,
    ProblemOut,
    check_if_match,
    etag_of,
    html_url,
)
from leitstern.okrs.api import cycle_by_ref, objectives_of
from leitstern.okrs.models import Objective
from leitstern.orgs.access import get_in_org, require_team_editor
from leitstern.orgs.models import Membership

router = Router()

Outcome = Literal["supported", "refuted", "inconclusive"]


class HypothesisOut(Schema):
    key_result: UUID
    title: str
    hypothesis: str
    hypothesis_status: str
    hypothesis_evidence: str


class RetrospectiveOut(Schema):
    objective: UUID
    objective_title: str
    team: str
    cycle: UUID
    written: bool
    what_held: str
    what_refuted: str
    carry_forward: str
    self_assessment: float | None
    hypotheses: list[HypothesisOut]
    updated_at: datetime.datetime | None
    html_url: str


class HypothesisIn(InputSchema):
    status: Outcome
    evidence: str = Field("", max_length=10000)


class RetrospectiveIn(InputSchema):
    what_held: str = Field("", max_length=10000)
    what_refuted: str = Field("", max_length=10000)
    carry_forward: str = Field("", max_length=10000)
    self_assessment: Decimal | None = Field(None, ge=0, le=1, max_digits=3, decimal_places=2)
    hypotheses: dict[UUID, HypothesisIn] = Field(default_factory=dict, max_length=20)
    learnings: list[str] = Field(default_factory=list, max_length=50)


class LearningOut(Schema):
    uuid: UUID
    team: str
    cycle: UUID | None
    objective: UUID | None
    key_result: UUID | None
    text: str
    hypothesis_outcome: str
    source: str
    created_at: datetime.datetime
    html_url: str


class LearningPage(PageMeta):
    items: list[LearningOut]


class LearningFilter(FilterSchema):
    q: str | None = Field(None, max_length=200, description="words in the learning")
    team: str | None = Field(None, max_length=60)
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")
    hypothesis_outcome: Outcome | None = None


def retrospective_out(request: HttpRequest, objective: Objective) -> dict[str, Any]:
    retro: Retrospective | None = getattr(objective, "retrospective", None)
    return {
        "objective": objective.uuid,
        "objective_title": objective.title,
        "team": objective.team.slug,
        "cycle": objective.cycle.uuid,
        "written": retro is not None,
        "what_held": retro.what_held if retro else "",
        "what_refuted": retro.what_refuted if retro else "",
        "carry_forward": retro.carry_forward if retro else "",
        "self_assessment": (
            float(retro.self_assessment) if retro and retro.self_assessment is not None else None
        ),
        "hypotheses": [
            {
                "key_result": kr.uuid,
                **{
                    f: getattr(kr, f)
                    for f in ("title", "hypothesis", "hypothesis_status", "hypothesis_evidence")
                },
            }
            for kr in objective.key_results.all()
        ],
        "updated_at": retro.updated_at if retro else None,
        "html_url": html_url(
            request, "objective_detail", objective.organization.slug, objective=objective.uuid
        ),
    }


def learning_out(request: HttpRequest, learning: Learning, org: str) -> dict[str, Any]:
    return {
        "uuid": learning.uuid,
        "team": learning.team.slug,
        "cycle": learning.cycle.uuid if learning.cycle else None,
        "objective": learning.objective.uuid if learning.objective else None,
        "key_result": learning.key_result.uuid if learning.key_result else None,
        **{f: getattr(learning, f) for f in ("text", "hypothesis_outcome", "source", "created_at")},
        "html_url": html_url(request, "learning_list", org),
    }


def _with_retro(membership: Membership) -> QuerySet[Objective]:
    return objectives_of(membership).select_related("retrospective")


def _retro_etag(objective: Objective) -> str:
    retro = getattr(objective, "retrospective", None)
    return etag_of(objective.uuid, "retro", retro.updated_at if retro else "-")


@router.get("/retrospectives", response={200: list[RetrospectiveOut], codes_4xx: ProblemOut})
def list_retrospectives(
    request: HttpRequest,
    cycle: str = Query(..., max_length=80, description="cycle UUID or name"),
    team: str | None = Query(None, max_length=60),
) -> list[dict[str, Any]]:
    """The retrospectives of a cycle's objectives (also those not written yet)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objectives = _with_retro(membership).filter(cycle=cycle_by_ref(membership, cycle))
    if team:
        objectives = objectives.filter(team__slug=team)
    return [retrospective_out(request, o) for o in objectives.order_by("team__name", "position")]


@router.get(
    "/objectives/{uuid:objective_id}/retrospective",
    response={200: RetrospectiveOut, codes_4xx: ProblemOut},
)
def get_retrospective(
    request: HttpRequest, objective_id: UUID, response: HttpResponse
) -> dict[str, Any]:
    objective = get_in_org(_with_retro(request.auth), request.auth, uuid=objective_id)  # type: ignore[attr-defined]
    response["ETag"] = _retro_etag(objective)
    return retrospective_out(request, objective)


@router.put(
    "/objectives/{uuid:objective_id}/retrospective",
    response={200: RetrospectiveOut, codes_4xx: ProblemOut},
)
def put_retrospective(
    request: HttpRequest, objective_id: UUID, payload: RetrospectiveIn, response: HttpResponse
) -> dict[str, Any]:
    """The team writes its retrospective while the cycle reflects: what held, what was refuted."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objective = get_in_org(_with_retro(membership), membership, uuid=objective_id)
    require_team_editor(membership, objective.team)
    check_if_match(request, _retro_etag(objective))
    key_results = {kr.uuid: kr for kr in objective.key_results.all()}
    unknown = [str(u) for u in payload.hypotheses if u not in key_results]
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {"hypotheses": f"Not a key result of this objective: {', '.join(unknown)}"}
        )
    write_retrospective(
        objective=objective,
        what_held=payload.what_held,
        what_refuted=payload.what_refuted,
        carry_forward=payload.carry_forward,
        self_assessment=payload.self_assessment,
        hypotheses={key_results[u]: (h.status, h.evidence) for u, h in payload.hypotheses.items()},
        learnings=payload.learnings,
    )
    objective = get_in_org(_with_retro(membership), membership, uuid=objective_id)
    response["ETag"] = _retro_etag(objective)
    return retrospective_out(request, objective)


def _page_meta(request: HttpRequest, found: LibraryPage) -> PageMeta:
    """As apikit.page: links to the neighbouring pages with the same query string."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    start = (found.number - 1) * found.size
    return PageMeta(
        count=found.count,
        page=found.number,
        page_size=found.size,
        next=link(found.number + 1) if found.has_next else None,
        previous=link(found.number - 1)
        if found.number > 1 and start - found.size < found.count
        else None,
    )


@router.get("/learnings", response={200: LearningPage, codes_4xx: ProblemOut})
def list_learnings(
    request: HttpRequest,
    filters: LearningFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """The learning library: what teams learned, newest first, searchable."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    learnings = Learning.objects.in_org(membership.organization)
    if filters.team:
        learnings = learnings.filter(team__slug=filters.team)
    if filters.cycle:
        learnings = learnings.filter(cycle=cycle_by_ref(membership, filters.cycle))
    if filters.hypothesis_outcome:
        learnings = learnings.filter(hypothesis_outcome=filters.hypothesis_outcome)
    found = find_learnings(
        learnings, filters.q or "", number=page_number, size=page_size, exact=True, clamp=False
    )
    return {
        **_page_meta(request, found).dict(),
        "items": [learning_out(request, lr, membership.organization.slug) for lr in found],
    }


@router.get("/learnings/{uuid:learning_id}", response={200: LearningOut, codes_4xx: ProblemOut})
def get_learning(request: HttpRequest, learning_id: UUID) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    learning = get_in_org(
        Learning.objects.select_related("team", "cycle", "objective", "key_result"),
        membership,
        uuid=learning_id,
    )
    return learning_out(request, learning, membership.organization.slug)
