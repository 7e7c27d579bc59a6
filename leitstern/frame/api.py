"""API: the leadership frame (vision, purpose, MOALs) and teams' strategy time."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import codes_4xx

from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.lib.apikit import InputSchema, ProblemOut, check_if_match, etag_of, html_url
from leitstern.orgs.access import get_in_org, require_role, require_team_editor
from leitstern.orgs.api import TeamOut, team_by_slug, team_out
from leitstern.orgs.models import Membership, Role

router = Router()


class MoalOut(Schema):
    uuid: uuid.UUID
    title: str
    description: str
    horizon: datetime.date | None
    position: int
    archived: bool
    updated_at: datetime.datetime
    html_url: str


class FrameOut(Schema):
    organization: str
    name: str
    vision: str
    purpose: str
    moals: list[MoalOut]
    html_url: str


class FrameIn(InputSchema):
    vision: str = Field(..., max_length=10000)
    purpose: str = Field(..., max_length=10000)


class MoalIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    horizon: datetime.date | None = None
    archived: bool = False


class MoalPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    horizon: datetime.date | None = None
    archived: bool | None = None
    position: int | None = Field(None, ge=0, le=32767)


class StrategyTimeIn(InputSchema):
    hours_per_week: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1)
    slot: str = Field("", max_length=120)


def moal_out(request: HttpRequest, moal: Moal, org: str) -> dict[str, Any]:
    return {
        "uuid": moal.uuid,
        "title": moal.title,
        "description": moal.description,
        "horizon": moal.horizon,
        "position": moal.position,
        "archived": moal.archived,
        "updated_at": moal.updated_at,
        "html_url": html_url(request, "org_home", org),
    }


def _frame_etag(frame: Frame | None, moals: list[Moal]) -> str:
    stamps = [frame.updated_at if frame else "-"] + [m.updated_at for m in moals]
    return etag_of("frame", *stamps)


def _frame_out(request: HttpRequest, membership: Membership) -> tuple[dict[str, Any], str]:
    org = membership.organization
    frame = Frame.objects.filter(organization=org).first()
    moals = list(Moal.objects.filter(organization=org))
    body = {
        "organization": org.slug,
        "name": org.name,
        "vision": frame.vision if frame else "",
        "purpose": frame.purpose if frame else "",
        "moals": [moal_out(request, m, org.slug) for m in moals],
        "html_url": html_url(request, "org_home", org.slug),
    }
    return body, _frame_etag(frame, moals)


@router.get("/frame", response={200: FrameOut, codes_4xx: ProblemOut})
def get_frame(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """Vision, purpose and mid-term goals: the orientation above all OKRs."""
    body, etag = _frame_out(request, request.auth)  # type: ignore[attr-defined]
    response["ETag"] = etag
    return body


@router.put("/frame", response={200: FrameOut, codes_4xx: ProblemOut})
def set_frame(request: HttpRequest, payload: FrameIn, response: HttpResponse) -> dict[str, Any]:
    """Facilitators and admins write vision and purpose."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    _body, etag = _frame_out(request, membership)
    check_if_match(request, etag)
    Frame.objects.update_or_create(
        organization=membership.organization,
        defaults={"vision": payload.vision.strip(), "purpose": payload.purpose.strip()},
    )
    body, response["ETag"] = _frame_out(request, membership)
    return body


@router.get("/moals", response={200: list[MoalOut], codes_4xx: ProblemOut})
def list_moals(request: HttpRequest, archived: bool | None = Query(None)) -> list[dict[str, Any]]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    moals = Moal.objects.filter(organization=membership.organization)
    if archived is not None:
        moals = moals.filter(archived=archived)
    return [moal_out(request, m, membership.organization.slug) for m in moals]


@router.post("/moals", response={201: MoalOut, codes_4xx: ProblemOut})
def create_moal(request: HttpRequest, payload: MoalIn) -> Status[dict[str, Any]]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    org = membership.organization
    moal = Moal(
        organization=org,
        position=Moal.objects.filter(organization=org).count(),
        **{**payload.dict(), "title": payload.title.strip()},
    )
    moal.full_clean()
    moal.save()
    return Status(201, moal_out(request, moal, org.slug))


@router.get("/moals/{uuid:moal_id}", response={200: MoalOut, codes_4xx: ProblemOut})
def get_moal(request: HttpRequest, moal_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    moal = get_in_org(Moal.objects.all(), membership, uuid=moal_id)
    response["ETag"] = etag_of(moal.uuid, moal.updated_at)
    return moal_out(request, moal, membership.organization.slug)


@router.patch("/moals/{uuid:moal_id}", response={200: MoalOut, codes_4xx: ProblemOut})
def update_moal(
    request: HttpRequest, moal_id: uuid.UUID, payload: MoalPatch, response: HttpResponse
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    moal = get_in_org(Moal.objects.all(), membership, uuid=moal_id)
    require_role(membership, Role.FACILITATOR)
    check_if_match(request, etag_of(moal.uuid, moal.updated_at))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None or field == "horizon":
            setattr(moal, field, value)
    moal.full_clean()
    moal.save()
    response["ETag"] = etag_of(moal.uuid, moal.updated_at)
    return moal_out(request, moal, membership.organization.slug)


@router.put("/teams/{slug}/strategy-time", response={200: TeamOut, codes_4xx: ProblemOut})
def set_strategy_time(request: HttpRequest, slug: str, payload: StrategyTimeIn) -> dict[str, Any]:
    """The team declares its protected time for OKR work (hours per week and/or a slot)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, slug)
    require_team_editor(membership, team)
    strategy = StrategyTime.objects.filter(team=team).first() or StrategyTime(
        organization=team.organization, team=team
    )
    strategy.hours_per_week, strategy.slot = payload.hours_per_week, payload.slot.strip()
    strategy.full_clean()
    strategy.save()
    return team_out(request, team_by_slug(membership, slug))
