"""Pages that span the domain apps: liveness, the landing page and the organisation home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leitstern.checkins.models import Problem
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.okrs.models import Cycle, Objective
from leitstern.orgs.access import get_membership, organizations_of
from leitstern.orgs.models import Organization, Team


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organizations = list(organizations_of(request.user))  # type: ignore[arg-type]
    if len(organizations) == 1:
        return redirect("org_home", org=organizations[0].slug)
    return render(request, "web/home.html", {"organizations": organizations})


@require_GET
def org_home(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    frame = Frame.objects.filter(organization=organization).first()
    cycle = Cycle.objects.filter(organization=organization).current()
    teams_page = _teams_page(request, organization)
    objectives = (
        Objective.objects.filter(cycle=cycle, team__in=list(teams_page.object_list))
        .live()
        .select_related("team")
        .prefetch_related("key_results")
        .order_by("team__name", "position")
    )
    context = {
        "teams_page": teams_page,
        "query": request.GET.get("q", "").strip(),
        "membership": membership,
        "organization": organization,
        "frame": frame,
        "moals": Moal.objects.filter(organization=organization).active(),
        "cycle": cycle,
        "objectives": objectives,
        "problems": Problem.objects.filter(organization=organization)
        .open()
        .select_related("team", "key_result")[:20],
        "organizations": organizations_of(request.user),  # type: ignore[arg-type]
        "strategy_times": StrategyTime.objects.filter(organization=organization)
        .select_related("team")
        .order_by("team__name")[:STRATEGY_TIMES_SHOWN],
        "first_run": _first_run_steps(organization, frame, cycle),
    }
    return render(request, "web/org_home.html", context)


TEAMS_PER_PAGE = 25
STRATEGY_TIMES_SHOWN = 50


def _teams_page(request: HttpRequest, organization: Organization) -> Page[Team]:
    """One page of teams, alphabetical (never by progress), optionally filtered by name."""
    teams = Team.objects.in_org(organization).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        teams = teams.filter(name__icontains=query)
    return Paginator(teams, TEAMS_PER_PAGE).get_page(request.GET.get("page"))


def _first_run_steps(
    organization: Organization, frame: Frame | None, cycle: Cycle | None
) -> list[dict[str, object]] | None:
    """The guided start of a new organisation; None once it has objectives."""
    if cycle is not None and Objective.objects.filter(cycle=cycle).exists():
        return None
    slug = organization.slug
    return [
        {
            "label": _("Write vision and purpose"),
            "url": reverse("frame_edit", args=[slug]),
            "done": bool(frame and (frame.vision or frame.purpose)),
        },
        {
            "label": _("Set two or three mid-term goals (MOALs)"),
            "url": reverse("moal_create", args=[slug]),
            "done": Moal.objects.filter(organization=organization).exists(),
        },
        {
            "label": _("Create the teams"),
            "url": reverse("team_create", args=[slug]),
            "done": Team.objects.in_org(organization).exists(),
        },
        {
            "label": _("Plan the first cycle"),
            "url": reverse("cycle_list", args=[slug]),
            "done": cycle is not None,
        },
        {
            "label": _("Teams write their first objectives"),
            "url": reverse("team_list", args=[slug]),
            "done": False,
        },
    ]
