"""The printable cycle report, for a team or the whole organisation."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from leitstern.checkins.models import Problem
from leitstern.learning.models import Learning
from leitstern.okrs.models import Cycle, KeyResult, Objective
from leitstern.orgs.access import get_in_org, get_membership
from leitstern.orgs.models import Team


def cycle_report(request: HttpRequest, org: str, cycle: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    cycle_obj = get_in_org(Cycle.objects.all(), membership, uuid=cycle)
    team = None
    if request.GET.get("team"):
        team = get_in_org(Team.objects.all(), membership, slug=request.GET["team"])
    objectives = (
        Objective.objects.filter(cycle=cycle_obj)
        .live()
        .select_related("team")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.all()))
        .order_by("team__name", "position")
    )
    problems = Problem.objects.filter(key_result__objective__cycle=cycle_obj).select_related(
        "team", "key_result"
    )
    learnings = Learning.objects.filter(cycle=cycle_obj).select_related("team")
    if team is not None:
        objectives = objectives.filter(team=team)
        problems = problems.filter(team=team)
        learnings = learnings.filter(team=team)
    return render(
        request,
        "web/cycle_report.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "cycle": cycle_obj,
            "team": team,
            "objectives": objectives,
            "problems": problems.order_by("team__name", "-created_at"),
            "learnings": learnings.order_by("team__name", "-created_at"),
            "teams": Team.objects.in_org(membership.organization),
        },
    )
