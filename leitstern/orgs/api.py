"""API: the token's organisation and its teams (read by everyone, written by admins)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import codes_4xx

from leitstern.lib.apikit import (
    InputSchema,
    PageMeta,
    ProblemOut,
    check_if_match,
    etag_of,
    html_url,
    page,
)
from leitstern.orgs.access import get_in_org, require_role
from leitstern.orgs.models import Membership, Role, Team

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"


class MeOut(Schema):
    organization: str
    organization_name: str
    role: str
    token_name: str
    token_expires_at: datetime.datetime | None
    html_url: str


class StrategyTimeOut(Schema):
    hours_per_week: float | None
    slot: str


class TeamOut(Schema):
    slug: str
    name: str
    description: str
    parent: str | None
    strategy_time: StrategyTimeOut | None
    updated_at: datetime.datetime
    html_url: str


class TeamPage(PageMeta):
    items: list[TeamOut]


class TeamIn(InputSchema):
    slug: str = Field(..., min_length=1, max_length=60, pattern=SLUG)
    name: str = Field(..., min_length=1, max_length=150)
    description: str = Field("", max_length=5000)
    parent: str | None = Field(None, max_length=60)


class TeamPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=150)
    description: str | None = Field(None, max_length=5000)
    parent: str | None = Field(None, max_length=60)


def team_out(request: HttpRequest, team: Team) -> dict[str, Any]:
    strategy = getattr(team, "strategy_time", None)
    return {
        "slug": team.slug,
        "name": team.name,
        "description": team.description,
        "parent": team.parent.slug if team.parent else None,
        "strategy_time": (
            {
                "hours_per_week": (
                    None if strategy.hours_per_week is None else float(strategy.hours_per_week)
                ),
                "slot": strategy.slot,
            }
            if strategy
            else None
        ),
        "updated_at": team.updated_at,
        "html_url": html_url(request, "team_detail", team.organization.slug, team=team.slug),
    }


def teams_of(membership: Membership) -> Any:
    return Team.objects.in_org(membership.organization).select_related(
        "parent", "strategy_time", "organization"
    )


def team_by_slug(membership: Membership, slug: str) -> Team:
    return get_in_org(teams_of(membership), membership, slug=slug)


def _parent(membership: Membership, slug: str | None) -> Team | None:
    return None if not slug else team_by_slug(membership, slug)


@router.get("/me", response={200: MeOut, codes_4xx: ProblemOut})
def me(request: HttpRequest) -> dict[str, Any]:
    """The organisation and role this token acts with."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    token = membership.api_token  # type: ignore[attr-defined]
    org = membership.organization
    return {
        "organization": org.slug,
        "organization_name": org.name,
        "role": membership.role,
        "token_name": token.name,
        "token_expires_at": token.expires_at,
        "html_url": html_url(request, "org_home", org.slug),
    }


@router.get("/teams", response={200: TeamPage, codes_4xx: ProblemOut})
def list_teams(
    request: HttpRequest,
    parent: str | None = Query(None, max_length=60),
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """All teams of the organisation, alphabetically (never ranked)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    teams = teams_of(membership).order_by("name", "slug")
    if parent:
        teams = teams.filter(parent__slug=parent)
    items, meta = page(request, teams, page_number, page_size)
    return {**meta.dict(), "items": [team_out(request, t) for t in items]}


@router.get("/teams/{slug}", response={200: TeamOut, codes_4xx: ProblemOut})
def get_team(request: HttpRequest, slug: str, response: HttpResponse) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, slug)
    response["ETag"] = etag_of(team.uuid, team.updated_at)
    return team_out(request, team)


@router.post("/teams", response={201: TeamOut, codes_4xx: ProblemOut})
def create_team(request: HttpRequest, payload: TeamIn) -> Status[dict[str, Any]]:
    """Admins create teams."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.ADMIN)
    team = Team(
        organization=membership.organization,
        slug=payload.slug,
        name=payload.name.strip(),
        description=payload.description,
        parent=_parent(membership, payload.parent),
    )
    team.full_clean()
    team.save()
    return Status(201, team_out(request, team_by_slug(membership, team.slug)))


@router.patch("/teams/{slug}", response={200: TeamOut, codes_4xx: ProblemOut})
def update_team(
    request: HttpRequest, slug: str, payload: TeamPatch, response: HttpResponse
) -> dict[str, Any]:
    """Admins rename, describe and re-parent teams (the parent is for navigation only)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    team = team_by_slug(membership, slug)
    require_role(membership, Role.ADMIN)
    check_if_match(request, etag_of(team.uuid, team.updated_at))
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes:
        team.parent = _parent(membership, changes.pop("parent"))
    for field, value in changes.items():
        if value is not None:
            setattr(team, field, value)
    team.full_clean()
    team.save()
    response["ETag"] = etag_of(team.uuid, team.updated_at)
    return team_out(request, team)
