"""The team directory and the team page: objectives, key results, health, strategy time."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from leitstern.checkins.models import CheckIn
from leitstern.frame.models import StrategyTime
from leitstern.health.models import HealthMetric
from leitstern.lib.svg import Sparkline, sparkline
from leitstern.okrs.models import Cycle, KeyResult, Objective, ObjectiveStatus
from leitstern.orgs.access import can_edit_team_okrs, get_in_org, get_membership
from leitstern.orgs.models import Membership, Team

TREND_WEEKS = 8


@dataclass
class TeamNode:
    team: Team
    depth: int


def team_tree(teams: list[Team]) -> list[TeamNode]:
    """Teams in tree order (parents before children, siblings alphabetical) — never ranked."""
    children: dict[int | None, list[Team]] = {}
    ids = {t.pk for t in teams}
    for team in sorted(teams, key=lambda t: t.name.lower()):
        parent = team.parent_id if team.parent_id in ids else None
        children.setdefault(parent, []).append(team)
    ordered: list[TeamNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in children.get(parent, []):
            ordered.append(TeamNode(team, depth))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return ordered


def team_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    teams = list(Team.objects.in_org(membership.organization))
    query = request.GET.get("q", "").strip()
    nodes = team_tree(teams)
    if query:
        nodes = [n for n in nodes if query.lower() in n.team.name.lower()]
    mine = set(membership.teams.values_list("pk", flat=True))
    return render(
        request,
        "web/team_list.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "nodes": nodes,
            "query": query,
            "mine": mine,
        },
    )


def confidence_trend(key_result: KeyResult) -> Sparkline | None:
    values = [c.confidence for c in key_result.checkins.all()][-TREND_WEEKS:]
    if len(values) < 2:
        return None
    return sparkline(values, width=90, height=22, include=[0, 10])


def team_detail(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.select_related("parent"), membership, slug=team)
    organization = membership.organization
    cycle = Cycle.objects.filter(organization=organization).current()
    objectives = list(
        Objective.objects.filter(team=team_obj, cycle=cycle)
        .live()
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.prefetch_related(
                    Prefetch(
                        "checkins",
                        queryset=CheckIn.objects.order_by("week").only(
                            "key_result_id", "week", "confidence"
                        ),
                    )
                ),
            )
        )
    )
    today = timezone.localdate()
    for objective in objectives:
        for kr in objective.key_results.all():
            kr.trend = confidence_trend(kr)  # type: ignore[attr-defined]
            kr.stale = cycle is not None and cycle.accepts_checkins() and kr.is_stale(today)  # type: ignore[attr-defined]
    context = {
        "organization": organization,
        "membership": membership,
        "team": team_obj,
        "cycle": cycle,
        "objectives": objectives,
        "drafts": [o for o in objectives if o.status == ObjectiveStatus.DRAFT],
        "members": _members(team_obj),
        "children": Team.objects.filter(parent=team_obj).order_by("name"),
        "strategy_time": StrategyTime.objects.filter(team=team_obj).first(),
        "can_edit": can_edit_team_okrs(membership, team_obj),
        "health_metrics": _health_metrics(team_obj),
    }
    return render(request, "web/team_detail.html", context)


def _members(team: Team) -> list[Membership]:
    return list(
        Membership.objects.filter(teams=team).select_related("person").order_by("person__name")
    )


def _health_metrics(team: Team) -> list[HealthMetric]:
    return list(HealthMetric.objects.of_team(team).with_recent_readings())
