"""Pages that span the domain apps: liveness, the landing page and the organisation home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leitstern.checkins.models import Problem
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.okrs.models import Cycle, Objective
from leitstern.orgs.access import get_membership, organizations_of
from leitstern.orgs.models import Organization, Team
from leitstern.web import fragments


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
    cards = _team_cards(organization, cycle, list(teams_page.object_list))
    context = {
        "teams_page": teams_page,
        "query": request.GET.get("q", "").strip(),
        "membership": membership,
        "organization": organization,
        "frame": frame,
        "moals": Moal.objects.filter(organization=organization).active(),
        "cycle": cycle,
        "cards": [card for card in cards if card],
        "problems": Problem.objects.filter(organization=organization)
        .open()
        .select_related("team", "key_result")
        .only("text", "team__name", "key_result__title")[:PROBLEMS_SHOWN],
        "organizations": organizations_of(request.user),  # type: ignore[arg-type]
        "first_run": _first_run_steps(organization, frame, cycle),
    }
    return render(request, "web/org_home.html", context)


def _team_cards(organization: Organization, cycle: Cycle | None, teams: list[Team]) -> list[str]:
    """Each team's objectives, key results and strategy time as HTML, in team order ("" for a
    team with neither objectives nor strategy time).

    Cards come from the fragment cache while the team is unchanged (web/fragments.py), so a
    warm organisation home renders no objectives at all; the misses take two queries.
    """
    keys = {team.pk: fragments.team_key("team-card", team, organization) for team in teams}
    cached = fragments.cache().get_many(list(keys.values()))
    missing = [team for team in teams if keys[team.pk] not in cached]
    if missing:
        by_team: dict[int, list[Objective]] = {team.pk: [] for team in missing}
        strategy = {st.team_id: st for st in StrategyTime.objects.filter(team__in=missing)}
        objectives = (
            Objective.objects.filter(cycle=cycle, team__in=missing)
            .live()
            .prefetch_related("key_results")
            .order_by("position")
        )
        for objective in objectives:
            by_team[objective.team_id].append(objective)
        rendered = {
            keys[team.pk]: render_to_string(
                "web/_team_card.html",
                {
                    "organization": organization,
                    "team": team,
                    "objectives": by_team[team.pk],
                    "strategy_time": strategy.get(team.pk),
                },
            )
            if by_team[team.pk] or team.pk in strategy
            else ""
            for team in missing
        }
        fragments.cache().set_many(rendered)
        cached.update(rendered)
    return [cached[keys[team.pk]] for team in teams]


TEAMS_PER_PAGE = 25
PROBLEMS_SHOWN = 10  # the problems page has them all


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
