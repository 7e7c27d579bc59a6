"""The problems board: open problems invite help from other teams, ordered by date only."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from functools import cached_property
from importlib import metadata
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from leitstern.checkins.forms import OfferHelpForm, mark_invalid
from leitstern.checkins.models import HelpOffer, Problem, ProblemQuerySet, ProblemStatus
from leitstern.checkins.services import offer_help, resolve_problem
from leitstern.learning.forms import LongSelect, PlainChoices
from leitstern.lib.digest_cache import cached_cards
from leitstern.lib.forms import apply_validation_error
from leitstern.orgs.access import get_in_org, get_membership, require_team_editor
from leitstern.orgs.models import Attribution, Membership, Organization, Role, Team

PAGE_SIZE = 25
# A person who speaks for more teams than this (facilitators speak for every team) gets an
# "Offer help" button that loads the form for one problem: a select of 2,000 teams on each
# of 25 cards made the board 4 MB.
INLINE_TEAMS = 10
# What a card shows, read as plain values: model instances for 25 problems, their teams and
# key results cost more than the query.
CARD_FIELDS = (
    "id",
    "uuid",
    "status",
    "text",
    "created_at",
    "resolved_at",
    "signed_as",
    "team_id",
    "team__name",
    "key_result__uuid",
    "key_result__title",
)
# Where a cached card takes the viewer's buttons. Everything a person wrote is escaped, so
# only the template can put this comment into a card.
ACTIONS_HERE = mark_safe("<!-- actions -->")
# The problem id in buttons rendered once per request and then copied onto every card.
STAND_IN = str(uuid.uuid4())
# Raise when the card's markup changes within a release (a shared Redis keeps old cards).
FORMAT = 1
try:
    RELEASE = metadata.version("leitstern")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    RELEASE = "dev"


class HelpForm(OfferHelpForm):
    """The offer form for a person who may speak for 2,000 teams (facilitators speak for
    every team): the choices taken as they are and the select rendered in Python. Django
    normalised the choices twice and rendered a template per option, ~100 ms per card."""

    def __init__(
        self, *args: Any, teams: list[Team], autofocus: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, teams=[], **kwargs)
        self.helpers = {str(team.uuid): team for team in teams}
        field = cast(forms.ChoiceField, self.fields["team"])
        field.choices = PlainChoices([(key, team.name) for key, team in self.helpers.items()])
        # htmx focuses [autofocus] in swapped content: the button that loaded the form is gone.
        field.widget = LongSelect(
            choices=field.choices, attrs={"autofocus": True} if autofocus else None
        )

    def clean_team(self) -> Team:
        return self.helpers[self.cleaned_data["team"]]


def _problems(membership: Membership) -> ProblemQuerySet:
    offers = HelpOffer.objects.select_related("team").order_by("created_at")
    return (
        Problem.objects.filter(organization=membership.organization)
        .select_related("team", "key_result")
        .prefetch_related(Prefetch("help_offers", queryset=offers))
    )


def _speaks_for(membership: Membership) -> QuerySet[Team]:
    """Teams this person may speak for: their own; facilitators and admins any team."""
    teams = Team.objects.in_org(membership.organization).order_by("name")
    if not membership.has_role(Role.FACILITATOR):
        teams = teams.filter(memberships__membership=membership)
    return teams.only("organization_id", "uuid", "name")


def _my_teams(membership: Membership) -> list[Team]:
    return list(_speaks_for(membership))


def _allowed(
    membership: Membership, teams: Collection[int], team_id: int, status: str
) -> tuple[bool, bool]:
    """(may resolve, may offer help) on an open or resolved problem of team `team_id`, for a
    person who speaks for `teams` (ids): the own team resolves, other teams offer help."""
    is_open = status == ProblemStatus.OPEN
    own = team_id in teams
    may_resolve = is_open and (own or membership.has_role(Role.FACILITATOR))
    return may_resolve, is_open and len(teams) > int(own)


def _search(problems: QuerySet[Problem], query: str) -> QuerySet[Problem]:
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
    in_org = Problem.objects.filter(organization=membership.organization, status=status)
    # By date only, never by team: the newest problem first, or the most recently resolved.
    problems = _search(in_org, query).order_by("-resolved_at" if resolved else "-created_at", "-id")
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    # Values for the page only: on the paginator they would join teams and key results
    # into the count.
    rows = list(page.object_list.values(*CARD_FIELDS))  # type: ignore[attr-defined]
    context = {
        "organization": membership.organization,
        "membership": membership,
        "page": page,
        "cards": _cards(request, membership, rows),
        "resolved": resolved,
        "query": query,
        "status": status,
    }
    template = "checkins/problem_list.html"
    if request.htmx and request.htmx.target == "problem-results":  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def _show_names(membership: Membership) -> bool:
    return membership.organization.attribution == Attribution.TEAM_AND_NAME


# --- the board's cards ---------------------------------------------------------------------

Offer = tuple[str, str, str]  # team name, message, signed as


def _cards(request: HttpRequest, membership: Membership, rows: list[dict[str, Any]]) -> list[str]:
    """The cards of one page of the board as HTML: what every member sees from the fragment
    cache, then this viewer's buttons."""
    offers: dict[int, list[Offer]] = {row["id"]: [] for row in rows}
    in_order = HelpOffer.objects.filter(problem_id__in=offers).order_by("created_at", "id")
    for problem_id, *offer in in_order.values_list(
        "problem_id", "team__name", "message", "signed_as"
    ):
        offers[problem_id].append(cast(Offer, tuple(offer)))
    shared = _shared_cards(membership, rows, offers)
    actions = _Actions(request, membership)
    return [
        mark_safe(card.replace(ACTIONS_HERE, actions.of(row), 1))
        for card, row in zip(shared, rows, strict=True)
    ]


def _shared_cards(
    membership: Membership, rows: list[dict[str, Any]], offers: dict[int, list[Offer]]
) -> list[str]:
    """The cards without buttons, from the fragment cache.

    A card's key is a digest of everything it shows, so any change — an edit, an offer, a
    renamed team, a name erased on request — is a new key, in every app process, with no
    signal to miss. The cache saves the rendering, most of the board's CPU.
    """
    organization = membership.organization
    show_names = _show_names(membership)
    shown_with = (
        FORMAT,
        RELEASE,
        organization.slug,
        show_names,
        get_language(),
        get_current_timezone_name(),
    )
    return cached_cards(
        "problem-card",
        [(shown_with, [row[field] for field in CARD_FIELDS], offers[row["id"]]) for row in rows],
        lambda i: _render_shared_card(organization, show_names, rows[i], offers[rows[i]["id"]]),
    )


def _render_shared_card(
    organization: Organization, show_names: bool, row: dict[str, Any], offers: list[Offer]
) -> str:
    return render_to_string(
        "checkins/_problem.html",
        {
            "organization": organization,
            "show_names": show_names,
            "problem": _shown(row),
            "offers": [
                {"team": {"name": team}, "message": message, "signed_as": signed_as}
                for team, message, signed_as in offers
            ],
            "actions": ACTIONS_HERE,
        },
    )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row in the shape of a Problem, as the card template reads it."""
    return {
        **row,
        "team": {"name": row["team__name"]},
        "key_result": {"uuid": row["key_result__uuid"], "title": row["key_result__title"]},
    }


class _Actions:
    """This viewer's buttons under each card: offer help (for their teams other than the
    problem's; a button that loads the form for a person of many teams) and mark as resolved.

    Rendered once per kind of card with a stand-in problem id and copied onto each card with
    its own: rendering 25 forms cost more than all the rest of the board.
    """

    def __init__(self, request: HttpRequest, membership: Membership) -> None:
        self.request, self.membership = request, membership
        self.rendered: dict[tuple[bool, bool], str] = {}

    @cached_property
    def few_teams(self) -> dict[int, Team] | None:
        """The teams this viewer speaks for, by id, if few enough for a form on every card."""
        teams = list(_speaks_for(self.membership)[: INLINE_TEAMS + 1])
        return {team.pk: team for team in teams} if len(teams) <= INLINE_TEAMS else None

    @cached_property
    def on_demand(self) -> bool:
        return self.few_teams is None

    @cached_property
    def team_ids(self) -> Collection[int]:
        if self.few_teams is not None:
            return self.few_teams.keys()
        # Ids only: 2,000 teams as model instances cost more than the rest of the board.
        return set(_speaks_for(self.membership).order_by().values_list("pk", flat=True))

    def of(self, row: dict[str, Any]) -> str:
        kind = _allowed(self.membership, self.team_ids, row["team_id"], row["status"])
        if kind not in self.rendered:
            may_resolve, may_help = kind
            form = None
            if may_help and self.few_teams is not None:
                teams = list(self.few_teams.values())
                form = HelpForm(teams=teams, auto_id=f"id_{STAND_IN}_%s")
            self.rendered[kind] = _actions_html(
                self.request,
                self.membership,
                STAND_IN,
                may_resolve,
                form,
                offer_button=may_help and self.on_demand,
            )
        html = self.rendered[kind]
        if kind[1] and self.few_teams and row["team_id"] in self.few_teams:
            # A team never offers help on its own problem: drop it from the select.
            own = self.few_teams[row["team_id"]]
            html = html.replace(f'<option value="{own.uuid}">{escape(own.name)}</option>', "", 1)
        return html.replace(STAND_IN, str(row["uuid"]))


def _actions_html(
    request: HttpRequest,
    membership: Membership,
    problem_uuid: str,
    may_resolve: bool,
    form: OfferHelpForm | None,
    *,
    offer_button: bool = False,
    offering: bool = False,
) -> str:
    """`offer_button`: a button that loads the form (`?offer`) instead of `form`;
    `offering`: the form asked for, shown open."""
    context = {
        "organization": membership.organization,
        "problem_uuid": problem_uuid,
        "can_resolve": may_resolve,
        "help_form": form,
        "offer_button": offer_button,
        "offering": offering,
    }
    return render_to_string("checkins/_problem_actions.html", context, request)


# --- one card: the detail page and the answers to offers and resolving ----------------------


def _get_problem(membership: Membership, problem: object) -> Problem:
    return get_in_org(_problems(membership), membership, uuid=problem)


def _render_card(
    request: HttpRequest,
    membership: Membership,
    problem: Problem,
    form: OfferHelpForm | None = None,
    notice: str = "",
    offering: bool = False,
) -> HttpResponse:
    teams = _my_teams(membership)
    may_resolve, may_help = _allowed(
        membership, {team.pk for team in teams}, problem.team_id, problem.status
    )
    # A card swapped into the board after an offer or resolving stays as light as the board's.
    on_demand = bool(
        request.htmx  # type: ignore[attr-defined]
        and may_help
        and form is None
        and not offering
        and len(teams) > INLINE_TEAMS
    )
    if form is None and may_help and not on_demand:
        helpers = [team for team in teams if team.pk != problem.team_id]
        form = HelpForm(teams=helpers, auto_id=f"id_{problem.uuid}_%s", autofocus=offering)
    actions = _actions_html(
        request,
        membership,
        str(problem.uuid),
        may_resolve,
        form if may_help else None,
        offer_button=on_demand,
        offering=offering and may_help,
    )
    context = {
        "organization": membership.organization,
        "membership": membership,
        "problem": problem,
        "offers": problem.help_offers.all(),
        "show_names": _show_names(membership),
        "notice": notice,
        "actions": actions,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "checkins/_problem.html", context)
    return render(request, "checkins/problem_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")  # the card alone for htmx, the page without
def problem_detail(request: HttpRequest, org: str, problem: str) -> HttpResponse:
    """One problem; `?offer` opens the offer form: the board's "Offer help" button loads this
    card with htmx, or the whole page without JavaScript."""
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_problem = _get_problem(membership, problem)
    return _render_card(request, membership, the_problem, offering="offer" in request.GET)


def _board_url(org: str, problem: Problem) -> str:
    return reverse("problem_list", kwargs={"org": org}) + f"#problem-{problem.uuid}"


@require_POST
def problem_offer_help(request: HttpRequest, org: str, problem: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_problem = _get_problem(membership, problem)
    helpers = [t for t in _my_teams(membership) if t.pk != the_problem.team_id]
    if not helpers:
        raise PermissionDenied(_("Offers of help come from members of another team."))
    form = HelpForm(request.POST, teams=helpers, auto_id=f"id_{the_problem.uuid}_%s")
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
