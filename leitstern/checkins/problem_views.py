"""The problems board: open problems invite help from other teams, ordered by date only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitstern.checkins.forms import OfferHelpForm, mark_invalid
from leitstern.checkins.models import HelpOffer, Problem, ProblemQuerySet, ProblemStatus
from leitstern.checkins.services import offer_help, resolve_problem
from leitstern.lib.forms import apply_validation_error
from leitstern.orgs.access import get_in_org, get_membership, require_team_editor
from leitstern.orgs.models import Attribution, Membership, Role, Team

PAGE_SIZE = 25


def _problems(membership: Membership) -> ProblemQuerySet:
    offers = HelpOffer.objects.select_related("team").order_by("created_at")
    return (
        Problem.objects.filter(organization=membership.organization)
        .select_related("team", "key_result")
        .prefetch_related(Prefetch("help_offers", queryset=offers))
    )


def _my_teams(membership: Membership) -> list[Team]:
    """Teams this person may speak for: their own; facilitators and admins any team."""
    teams = Team.objects.in_org(membership.organization).order_by("name")
    if not membership.has_role(Role.FACILITATOR):
        teams = teams.filter(memberships__membership=membership)
    return list(teams)


def _prepare(
    problem: Problem,
    membership: Membership,
    teams: list[Team],
    form: OfferHelpForm | None = None,
) -> Problem:
    """Attach what the card needs (permissions, help form) without further queries."""
    is_open = problem.status == ProblemStatus.OPEN
    own = any(team.pk == problem.team_id for team in teams)
    problem.can_resolve = is_open and (  # type: ignore[attr-defined]
        membership.has_role(Role.FACILITATOR) or own
    )
    helpers = [team for team in teams if team.pk != problem.team_id]
    if form is None and is_open and helpers:
        form = OfferHelpForm(teams=helpers, auto_id=f"id_{problem.uuid}_%s")
    problem.help_form = form if is_open else None  # type: ignore[attr-defined]
    return problem


def _search(problems: ProblemQuerySet, query: str) -> ProblemQuerySet:
    if not query:
        return problems
    return problems.filter(
        Q(text__icontains=query)
        | Q(team__name__icontains=query)
        | Q(key_result__title__icontains=query)
    )


@require_GET
def problem_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    resolved = request.GET.get("status") == ProblemStatus.RESOLVED
    query = request.GET.get("q", "").strip()[:200]
    status = ProblemStatus.RESOLVED if resolved else ProblemStatus.OPEN
    problems = _search(_problems(membership).filter(status=status), query)
    # By date only, never by team: the newest problem first, or the most recently resolved.
    problems = problems.order_by("-resolved_at" if resolved else "-created_at", "-id")
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    teams = _my_teams(membership)
    for problem in page:
        _prepare(problem, membership, teams)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "page": page,
        "resolved": resolved,
        "query": query,
        "status": status,
        "show_names": _show_names(membership),
    }
    template = "checkins/problem_list.html"
    if request.htmx and request.htmx.target == "problem-results":  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def _show_names(membership: Membership) -> bool:
    return membership.organization.attribution == Attribution.TEAM_AND_NAME


def _get_problem(membership: Membership, problem: object) -> Problem:
    return get_in_org(_problems(membership), membership, uuid=problem)


def _render_card(
    request: HttpRequest,
    membership: Membership,
    problem: Problem,
    form: OfferHelpForm | None = None,
    notice: str = "",
) -> HttpResponse:
    _prepare(problem, membership, _my_teams(membership), form)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "problem": problem,
        "show_names": _show_names(membership),
        "notice": notice,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "checkins/_problem.html", context)
    return render(request, "checkins/problem_detail.html", context)


@require_GET
def problem_detail(request: HttpRequest, org: str, problem: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    return _render_card(request, membership, _get_problem(membership, problem))


def _board_url(org: str, problem: Problem) -> str:
    return reverse("problem_list", kwargs={"org": org}) + f"#problem-{problem.uuid}"


@require_POST
def problem_offer_help(request: HttpRequest, org: str, problem: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_problem = _get_problem(membership, problem)
    helpers = [t for t in _my_teams(membership) if t.pk != the_problem.team_id]
    if not helpers:
        raise PermissionDenied(_("Offers of help come from members of another team."))
    form = OfferHelpForm(request.POST, teams=helpers, auto_id=f"id_{the_problem.uuid}_%s")
    offered = False
    if form.is_valid():
        try:
            offer_help(
                problem=the_problem,
                team=form.cleaned_data["team"],
                message=form.cleaned_data["message"],
                signed_as=str(getattr(request.user, "name", "")),
            )
            offered = True
        except ValidationError as error:
            apply_validation_error(form, error)
    if not offered:
        mark_invalid(form)
        return _render_card(request, membership, the_problem, form)
    notice = _("Thank you — %(team)s sees your offer on its problem.") % {
        "team": the_problem.team.name
    }
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, notice)
        return redirect(_board_url(org, the_problem))
    return _render_card(request, membership, _get_problem(membership, problem), notice=notice)


@require_POST
def problem_resolve(request: HttpRequest, org: str, problem: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_problem = _get_problem(membership, problem)
    require_team_editor(membership, the_problem.team)
    try:
        resolve_problem(problem=the_problem)
        notice = _("Marked as resolved. Thanks to everyone who offered help.")
    except ValidationError as error:
        notice = error.messages[0]
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, notice)
        return redirect(_board_url(org, the_problem))
    return _render_card(request, membership, the_problem, notice=notice)
