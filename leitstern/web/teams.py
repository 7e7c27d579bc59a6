"""The team directory and the team page: objectives, key results, health, strategy time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from leitstern.checkins.models import CheckIn
from leitstern.frame.models import StrategyTime
from leitstern.health.models import HealthMetric
from leitstern.lib.page_cache import render_page
from leitstern.lib.svg import Sparkline, sparkline
from leitstern.okrs.models import Cycle, Objective, ObjectiveStatus
from leitstern.orgs.access import can_edit_team_okrs, get_membership, get_team_with_membership
from leitstern.orgs.models import Membership, Organization, Team
from leitstern.web import fragments

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


def confidence_trend(confidences: list[int]) -> Sparkline | None:
    """A sparkline of the last TREND_WEEKS confidences (in week order), if there are two."""
    values = confidences[-TREND_WEEKS:]
    if len(values) < 2:
        return None
    return sparkline(values, width=90, height=22, include=[0, 10])


def team_detail(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership, team_obj = get_team_with_membership(request.user, org, team)  # type: ignore[arg-type]
    organization = membership.organization
    can_edit = can_edit_team_okrs(membership, team_obj)
    # The whole page comes from the fragment cache while nothing on it changed (keys in
    # orgs/versions.py, receivers in web/fragments.py); the objectives, health metrics and
    # members are cached apart as well, for viewers with another role or language.
    key = fragments.team_key("team-page", team_obj, organization, int(can_edit))

    def context() -> dict[str, Any]:
        parts = fragments.cache().get_or_set(
            key, lambda: _team_parts(organization, team_obj, can_edit)
        )
        return {
            "organization": organization,
            "membership": membership,
            "team": team_obj,
            "can_edit": can_edit,
            "drafts": range(parts["drafts"]),
            "okrs_html": mark_safe(parts["okrs"]),  # rendered by our own templates, escaped there
            "people_html": mark_safe(parts["people"]),
        }

    return render_page(request, membership.role, key, "web/team_detail.html", context)


def _team_parts(organization: Organization, team: Team, can_edit: bool) -> dict[str, Any]:
    """Render the cacheable parts of the team page: the same for every viewer with `can_edit`."""
    # The current cycle, cached while the organisation's page version stands (cycles bump it):
    # a first view of each of 2,000 teams need not ask again.
    cycle = fragments.cache().get_or_set(
        fragments.organization_key("current-cycle", organization),
        lambda: Cycle.objects.filter(organization=organization).current(),
    )
    objectives = list(
        Objective.objects.filter(team=team, cycle=cycle).live().prefetch_related("key_results")
    )
    key_results = [kr for objective in objectives for kr in objective.key_results.all()]
    # The confidences as plain values, in week order: a sparkline and its text need no
    # check-in instances.
    confidences: dict[int, list[int]] = {kr.pk: [] for kr in key_results}
    rows = (
        CheckIn.objects.filter(key_result__in=key_results)
        .order_by("week")
        .values_list("key_result_id", "confidence")
    )
    for key_result_id, confidence in rows:
        confidences[key_result_id].append(confidence)
    today = timezone.localdate()
    accepts_checkins = cycle is not None and cycle.accepts_checkins()
    for kr in key_results:
        values = confidences[kr.pk]
        kr.trend = confidence_trend(values)  # type: ignore[attr-defined]
        kr.trend_label = ", ".join(str(v) for v in values)  # type: ignore[attr-defined]
        kr.stale = accepts_checkins and kr.is_stale(today)  # type: ignore[attr-defined]
    context = {
        "organization": organization,
        "team": team,
        "cycle": cycle,
        "objectives": objectives,
        "can_edit": can_edit,
        "strategy_time": StrategyTime.objects.filter(team=team).first(),
    }
    people = {
        "organization": organization,
        "members": _members(team),
        "children": list(Team.objects.filter(parent=team).order_by("name")),
        "health_metrics": _health_metrics(team),
    }
    return {
        "okrs": render_to_string("web/_team_okrs.html", context),
        "people": render_to_string("web/_team_people.html", people),
        "drafts": sum(1 for o in objectives if o.status == ObjectiveStatus.DRAFT),
    }


def _members(team: Team) -> list[str]:
    """The members' names as the page shows them (the address for a person without a name):
    plain values, as 25 memberships with their people cost 1.5 ms to build."""
    rows = (
        Membership.objects.filter(teams=team)
        .order_by("person__name")
        .values_list("person__name", "person__email")
    )
    return [name or email for name, email in rows]


def _health_metrics(team: Team) -> list[HealthMetric]:
    return list(HealthMetric.objects.of_team(team).with_recent_readings())
