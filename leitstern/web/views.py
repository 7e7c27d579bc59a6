"""Pages that span the domain apps: liveness, the landing page and the organisation home."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leitstern.checkins.models import Problem
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.lib.digest_cache import digest_key
from leitstern.lib.page_cache import render_page
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
    head = _org_head(organization)
    cycle = head["cycle"]
    teams_page = _teams_page(request, organization, head["teams"])
    problems = list(
        Problem.objects.filter(organization=organization)
        .open()
        .values_list("text", "team__name", "key_result__title")[:PROBLEMS_SHOWN]
    )
    other_organizations = list(
        organizations_of(request.user)  # type: ignore[arg-type]
        .exclude(pk=organization.pk)
        .values_list("slug", "name")
    )
    # The whole page comes from the fragment cache under a digest of everything it shows:
    # the organisation's and the listed teams' page versions, the problems and the other
    # organisations (leitstern.lib.page_cache).
    key = digest_key(
        "org-home",
        (
            fragments.organization_key("org-home", organization),
            [(team.pk, team.page_version) for team in teams_page.object_list],
            problems,
            other_organizations,
        ),
    )

    def context() -> dict[str, Any]:
        cards = _team_cards(organization, cycle, list(teams_page.object_list))
        # a card with objectives answers "has the cycle any?" without a query
        has_objectives = any(with_objectives for _html, with_objectives in cards)
        first_run = None if has_objectives else _first_run_steps(organization, cycle)
        return {
            "teams_page": teams_page,
            "query": request.GET.get("q", "").strip(),
            "membership": membership,
            "organization": organization,
            "frame_html": mark_safe(head["frame"]),  # rendered by our own template, escaped there
            "cycle": cycle,
            # joined here: a template loop over 25 cards costs more than the rest of the section
            "cards_html": mark_safe("".join(f"{html}\n  " for html, _objectives in cards)),
            # every team has a card now: the cycle's empty state shows above them when none of
            # them has objectives
            "has_objectives": first_run is None,
            "problems": [
                {"text": text, "team_name": team, "key_result_title": title}
                for text, team, title in problems
            ],
            "other_organizations": other_organizations,
            "first_run": first_run,
        }

    return render_page(request, membership.role, key, "web/org_home.html", context)


def _org_head(organization: Organization) -> dict[str, Any]:
    """The frame section as HTML, the current cycle and the number of teams, from the fragment
    cache while the organisation's page version stands (frame, MOALs, cycles and teams bump
    it: web/fragments.py)."""
    key = fragments.organization_key("org-head", organization)
    head: dict[str, Any] | None = fragments.cache().get(key)
    if head is None:
        context = {
            "organization": organization,
            "frame": Frame.objects.filter(organization=organization).first(),
            "moals": Moal.objects.filter(organization=organization).active(),
        }
        head = {
            "frame": render_to_string("web/org_home.html#frame", context),
            "cycle": Cycle.objects.filter(organization=organization).current(),
            "teams": Team.objects.in_org(organization).count(),
        }
        fragments.cache().set(key, head)
    return head


def _team_cards(
    organization: Organization, cycle: Cycle | None, teams: list[Team]
) -> list[tuple[str, bool]]:
    """Each team's objectives, key results and strategy time as HTML (a team without any
    still shows, saying so: the heading promises all teams), and whether it has objectives,
    in team order.

    Cards come from the fragment cache while the team is unchanged (web/fragments.py), so a
    warm organisation home renders no objectives at all; the misses take two queries.
    """
    keys = {team.pk: fragments.team_key("org-card", team, organization) for team in teams}
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
            keys[team.pk]: (
                _team_card(organization, cycle, team, by_team[team.pk], strategy),
                bool(by_team[team.pk]),
            )
            for team in missing
        }
        fragments.cache().set_many(rendered)
        cached.update(rendered)
    return [cached[keys[team.pk]] for team in teams]


def _team_card(
    organization: Organization,
    cycle: Cycle | None,
    team: Team,
    objectives: list[Objective],
    strategy: dict[int, StrategyTime],
) -> str:
    context = {
        "organization": organization,
        "cycle": cycle,  # the key carries the organisation's version, which cycles bump
        "team": team,
        "objectives": objectives,
        "strategy_time": strategy.get(team.pk),
    }
    return render_to_string("web/_team_card.html", context)


TEAMS_PER_PAGE = 25
PROBLEMS_SHOWN = 10  # the problems page has them all


class _CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told the number of teams, which the organisation's page version keeps."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _teams_page(request: HttpRequest, organization: Organization, count: int) -> Page[Team]:
    """One page of teams, alphabetical (never by progress), optionally filtered by name."""
    # only what a card and its key need
    teams = Team.objects.in_org(organization).order_by("name").only("name", "slug", "page_version")
    query = request.GET.get("q", "").strip()
    if query:
        paginator = Paginator(teams.filter(name__icontains=query), TEAMS_PER_PAGE)
    else:
        paginator = _CountedPaginator(teams, TEAMS_PER_PAGE, count)
    return paginator.get_page(request.GET.get("page"))


def _first_run_steps(
    organization: Organization, cycle: Cycle | None
) -> list[dict[str, object]] | None:
    """The guided start of a new organisation; None once it has objectives."""
    if cycle is not None and Objective.objects.filter(cycle=cycle).exists():
        return None
    frame = Frame.objects.filter(organization=organization).first()
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
