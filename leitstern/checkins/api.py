"""API: weekly check-ins (idempotent POST), problems and help offers.

A check-in belongs to its team; nothing here records which person wrote it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.responses import codes_4xx

from leitstern.accounts.models import IdempotentRequest
from leitstern.checkins import services
from leitstern.checkins.models import CheckIn, Problem
from leitstern.lib.apikit import (
    FilterSchema,
    InputSchema,
    PageMeta,
    ProblemOut,
    etag_of,
    html_url,
    page,
)
from leitstern.okrs.api import cycle_by_ref, key_results_of
from leitstern.okrs.models import LeadingIndicator
from leitstern.orgs.access import get_in_org, require_team_editor
from leitstern.orgs.api import team_by_slug
from leitstern.orgs.models import Attribution, Membership

router = Router()


class CheckInOut(Schema):
    uuid: UUID
    key_result: UUID
    objective: UUID
    team: str
    week: datetime.date
    checked_on: datetime.date
    value: float
    confidence: int
    note: str
    indicator_values: dict[str, float]
    problem: UUID | None
    learning: str | None
    updated_at: datetime.datetime
    html_url: str


class CheckInPage(PageMeta):
    items: list[CheckInOut]


class CheckInIn(InputSchema):
    key_result: UUID
    value: Decimal = Field(..., max_digits=16, decimal_places=4)
    confidence: int = Field(..., ge=0, le=10)
    checked_on: datetime.date | None = Field(None, description="defaults to today")
    note: str = Field("", max_length=10000)
    problem: str = Field("", max_length=10000, description="a problem the team asks help for")
    learning: str = Field("", max_length=10000)
    indicator_values: dict[UUID, Decimal] = Field(default_factory=dict, max_length=50)


class HelpOfferOut(Schema):
    uuid: UUID
    team: str
    message: str
    signed_as: str
    created_at: datetime.datetime


class ProblemDetailOut(Schema):
    uuid: UUID
    team: str
    key_result: UUID
    key_result_title: str
    checkin: UUID
    text: str
    status: str
    resolved_at: datetime.datetime | None
    signed_as: str
    help_offers: list[HelpOfferOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    html_url: str


class ProblemPage(PageMeta):
    items: list[ProblemDetailOut]


class HelpOfferIn(InputSchema):
    team: str = Field(..., max_length=60, description="the team offering help")
    message: str = Field(..., min_length=1, max_length=10000)


def checkin_out(request: HttpRequest, checkin: CheckIn) -> dict[str, Any]:
    kr = checkin.key_result
    problem = getattr(checkin, "problem", None)
    learning = getattr(checkin, "learning", None)
    return {
        "uuid": checkin.uuid,
        "key_result": kr.uuid,
        "objective": kr.objective.uuid,
        "team": kr.objective.team.slug,
        "week": checkin.week,
        "checked_on": checkin.checked_on,
        "value": float(checkin.value),
        "confidence": checkin.confidence,
        "note": checkin.note,
        "indicator_values": {
            str(v.indicator.uuid): float(v.value) for v in checkin.indicator_values.all()
        },
        "problem": problem.uuid if problem else None,
        "learning": learning.text if learning else None,
        "updated_at": checkin.updated_at,
        "html_url": html_url(
            request, "key_result_detail", checkin.organization.slug, key_result=kr.uuid
        ),
    }


def _shown_name(problem: Problem, name: str) -> str:
    """Names appear only while the organisation's attribution setting shows them."""
    shown = problem.organization.attribution == Attribution.TEAM_AND_NAME
    return name if shown else ""


def problem_out(request: HttpRequest, problem: Problem) -> dict[str, Any]:
    return {
        **{f: getattr(problem, f) for f in ("uuid", "text", "status", "resolved_at")},
        "signed_as": _shown_name(problem, problem.signed_as),
        "team": problem.team.slug,
        "key_result": problem.key_result.uuid,
        "key_result_title": problem.key_result.title,
        "checkin": problem.checkin.uuid,
        "help_offers": [
            {
                "uuid": o.uuid,
                "team": o.team.slug,
                "message": o.message,
                "signed_as": _shown_name(problem, o.signed_as),
                "created_at": o.created_at,
            }
            for o in problem.help_offers.all()
        ],
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "html_url": html_url(request, "problem_list", problem.organization.slug),
    }


def checkins_of(membership: Membership) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(organization=membership.organization)
        .select_related("organization", "key_result__objective__team", "problem", "learning")
        .prefetch_related("indicator_values__indicator")
    )


def problems_of(membership: Membership) -> QuerySet[Problem]:
    return (
        Problem.objects.filter(organization=membership.organization)
        .select_related("organization", "team", "key_result", "checkin")
        .prefetch_related("help_offers__team")
    )


class CheckInFilter(FilterSchema):
    key_result: UUID | None = None
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")
    team: str | None = Field(None, max_length=60)


@router.get("/checkins", response={200: CheckInPage, codes_4xx: ProblemOut})
def list_checkins(
    request: HttpRequest,
    filters: CheckInFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Check-ins, newest week first."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    checkins = checkins_of(membership).order_by("-week", "key_result__objective__team__name", "pk")
    if filters.key_result:
        checkins = checkins.filter(key_result__uuid=filters.key_result)
    if filters.cycle:
        checkins = checkins.filter(
            key_result__objective__cycle=cycle_by_ref(membership, filters.cycle)
        )
    if filters.team:
        checkins = checkins.filter(key_result__objective__team__slug=filters.team)
    items, meta = page(request, checkins, page_number, page_size)
    return {**meta.dict(), "items": [checkin_out(request, c) for c in items]}


@router.get("/checkins/{uuid:checkin_id}", response={200: CheckInOut, codes_4xx: ProblemOut})
def get_checkin(request: HttpRequest, checkin_id: UUID, response: HttpResponse) -> dict[str, Any]:
    checkin = get_in_org(checkins_of(request.auth), request.auth, uuid=checkin_id)  # type: ignore[attr-defined]
    response["ETag"] = etag_of(checkin.uuid, checkin.updated_at)
    return checkin_out(request, checkin)


@router.post("/checkins", response={200: CheckInOut, 201: CheckInOut, codes_4xx: ProblemOut})
def create_checkin(
    request: HttpRequest,
    payload: CheckInIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
) -> Status[dict[str, Any]]:
    """Record the team's weekly check-in; a second one in the same week updates the first.

    Send an `Idempotency-Key` header (any unique string) so a retried request returns the
    same answer instead of writing twice.
    """
    membership: Membership = request.auth  # type: ignore[attr-defined]
    token = membership.api_token  # type: ignore[attr-defined]
    digest = hashlib.sha256(payload.model_dump_json().encode()).hexdigest()
    if idempotency_key:
        earlier = IdempotentRequest.objects.filter(token=token, key=idempotency_key).first()
        if earlier is not None:
            return _replay(earlier, digest, response)
    with transaction.atomic():
        status, body = _record(request, membership, payload)
        if idempotency_key:
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        token=token,
                        key=idempotency_key,
                        request_digest=digest,
                        status=status,
                        response=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                    )
            except IntegrityError:  # a parallel retry won the race; answer as it did
                earlier = IdempotentRequest.objects.get(token=token, key=idempotency_key)
                return _replay(earlier, digest, response)
    return Status(status, body)


def _replay(
    earlier: IdempotentRequest, digest: str, response: HttpResponse
) -> Status[dict[str, Any]]:
    if earlier.request_digest != digest:
        raise ValidationError(
            {
                "Idempotency-Key": (
                    "This Idempotency-Key was already used for a different request. Use a new "
                    "key for a new check-in."
                )
            }
        )
    response["Idempotent-Replayed"] = "true"
    return Status(earlier.status, earlier.response)


def _record(
    request: HttpRequest, membership: Membership, payload: CheckInIn
) -> tuple[int, dict[str, Any]]:
    kr = get_in_org(key_results_of(membership), membership, uuid=payload.key_result)
    require_team_editor(membership, kr.objective.team)
    indicators = {i.uuid: i for i in LeadingIndicator.objects.filter(key_result=kr)}
    unknown = [str(u) for u in payload.indicator_values if u not in indicators]
    if unknown:
        raise ValidationError(
            {
                "indicator_values": "Not a leading indicator of this key result: "
                + ", ".join(unknown)
            }
        )
    existing = set(kr.checkins.values_list("pk", flat=True))  # 200 for an update, 201 if new
    checkin = services.record_checkin(
        key_result=kr,
        value=payload.value,
        confidence=payload.confidence,
        on=payload.checked_on,
        note=payload.note,
        problem=payload.problem,
        learning=payload.learning,
        indicator_values={indicators[u]: v for u, v in payload.indicator_values.items()},
        signed_as=membership.person.name,
    )
    fresh = get_in_org(checkins_of(membership), membership, pk=checkin.pk)
    return (200 if checkin.pk in existing else 201), checkin_out(request, fresh)


# ---- problems and help offers


class ProblemFilter(FilterSchema):
    status: Literal["open", "resolved"] | None = None
    team: str | None = Field(None, max_length=60)
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")


@router.get("/problems", response={200: ProblemPage, codes_4xx: ProblemOut})
def list_problems(
    request: HttpRequest,
    filters: ProblemFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Problems teams asked help for: an invitation, not a warning."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    problems = problems_of(membership).order_by("-created_at", "pk")
    if filters.status:
        problems = problems.filter(status=filters.status)
    if filters.team:
        problems = problems.filter(team__slug=filters.team)
    if filters.cycle:
        problems = problems.filter(
            key_result__objective__cycle=cycle_by_ref(membership, filters.cycle)
        )
    items, meta = page(request, problems, page_number, page_size)
    return {**meta.dict(), "items": [problem_out(request, p) for p in items]}


@router.get("/problems/{uuid:problem_id}", response={200: ProblemDetailOut, codes_4xx: ProblemOut})
def get_problem(request: HttpRequest, problem_id: UUID) -> dict[str, Any]:
    problem = get_in_org(problems_of(request.auth), request.auth, uuid=problem_id)  # type: ignore[attr-defined]
    return problem_out(request, problem)


@router.post(
    "/problems/{uuid:problem_id}/resolve", response={200: ProblemDetailOut, codes_4xx: ProblemOut}
)
def resolve_problem(request: HttpRequest, problem_id: UUID) -> dict[str, Any]:
    """The problem's own team marks it resolved."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    problem = get_in_org(problems_of(membership), membership, uuid=problem_id)
    require_team_editor(membership, problem.team)
    services.resolve_problem(problem=problem)
    return problem_out(request, get_in_org(problems_of(membership), membership, uuid=problem_id))


@router.post(
    "/problems/{uuid:problem_id}/help-offers",
    response={201: ProblemDetailOut, codes_4xx: ProblemOut},
)
def offer_help(
    request: HttpRequest, problem_id: UUID, payload: HelpOfferIn
) -> Status[dict[str, Any]]:
    """Another team offers help; members offer for their own teams."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    problem = get_in_org(problems_of(membership), membership, uuid=problem_id)
    team = team_by_slug(membership, payload.team)
    require_team_editor(membership, team)
    services.offer_help(
        problem=problem, team=team, message=payload.message, signed_as=membership.person.name
    )
    return Status(
        201, problem_out(request, get_in_org(problems_of(membership), membership, uuid=problem_id))
    )
