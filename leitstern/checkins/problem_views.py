"""The problems board: open problems invite help from other teams, ordered by date only."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from functools import cached_property, partial
from importlib import metadata
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from leitstern.checkins.forms import OfferHelpForm, mark_invalid
from leitstern.checkins.models import HelpOffer, Problem, ProblemQuerySet, ProblemStatus
from leitstern.checkins.problem_board import (
    CARD_FIELDS,
    PAGE_SIZE,
    Board,
    Offer,
    converted,
    first_teams,
)
from leitstern.checkins.services import offer_help, resolve_problem
from leitstern.learning.forms import LongSelect, PlainChoices
from leitstern.lib.digest_cache import cached_cards
from leitstern.lib.forms import apply_validation_error
from leitstern.orgs.access import get_in_org, get_membership, require_team_editor
from leitstern.orgs.models import Attribution, Membership, Organization, Role, Team

# A person who speaks for more teams than this (facilitators speak for every team) gets an
# "Offer help" button that loads the form for one problem: a select of 2,000 teams on each
# of 25 cards made the board 4 MB.
INLINE_TEAMS = 10
# Where a cached card takes the viewer's buttons. Everything a person wrote is escaped, so
# only the template can put this comment into a card.
ACTIONS_HERE = mark_safe("<!-- actions -->")
# The problem id and the CSRF token in buttons rendered once and then copied onto every card;
# random, so nobody can write them into a team's name.
STAND_IN = str(uuid.uuid4())
TOKEN_STAND_IN = uuid.uuid4().hex
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
    facilitator: bool, teams: Collection[int], team_id: int, status: str
) -> tuple[bool, bool]:
    """(may resolve, may offer help) on an open or resolved problem of team `team_id`, for a
    person who speaks for `teams` (ids): the own team resolves, other teams offer help;
    facilitators resolve any."""
    is_open = status == ProblemStatus.OPEN
    own = team_id in teams
    may_resolve = is_open and (own or facilitator)
    return may_resolve, is_open and len(teams) > int(own)


@require_GET
def problem_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    resolved = request.GET.get("status") == ProblemStatus.RESOLVED
    query = request.GET.get("q", "").strip()[:200]
    status = ProblemStatus.RESOLVED if resolved else ProblemStatus.OPEN
    board = Board(membership.organization, status, query)
    # The paginator only counts: the rows come from one statement for the page.
    page = Paginator(range(board.count()), PAGE_SIZE).get_page(request.GET.get("page"))
    rows, offers = board.page((page.number - 1) * PAGE_SIZE)
    # One token for the page and the cards' forms (masking one costs more than copying it),
    # made when first shown, as Django's context processor does.
    token = SimpleLazyObject(partial(get_token, request))
    context = {
        "organization": membership.organization,
        "membership": membership,
        "page": page,
        "cards": _cards(token, membership, rows, offers),
        "csrf_token": token,
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


def _cards(
    csrf_token: object,
    membership: Membership,
    rows: list[dict[str, Any]],
    offers: dict[int, list[Offer]],
) -> list[str]:
    """The cards of one page of the board as HTML: what every member sees from the fragment
    cache, then this viewer's buttons."""
    shared = _shared_cards(membership, rows, offers)
    actions = _Actions(csrf_token, membership, rows)
    return [
        mark_safe(card.replace(ACTIONS_HERE, actions.of(row, kind), 1))
        for card, row, kind in zip(shared, rows, actions.kinds, strict=True)
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
            "problem": _shown(converted(row)),
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

    Rendered once per kind of card with stand-ins for the problem id and the CSRF token,
    cached like the cards, and copied onto each card with its own: rendering 25 forms cost
    more than all the rest of the board, and rendering one per kind still a tenth of it.
    """

    def __init__(
        self, csrf_token: object, membership: Membership, rows: list[dict[str, Any]]
    ) -> None:
        self.csrf_token, self.membership = csrf_token, membership
        self.facilitator = membership.has_role(Role.FACILITATOR)
        self.kinds = [self._kind(row) for row in rows]
        kinds = list(dict.fromkeys(self.kinds))
        self.rendered = dict(zip(kinds, self._render(kinds), strict=True))

    @cached_property
    def few_teams(self) -> dict[int, Team] | None:
        """The teams this viewer speaks for, by id, if few enough for a form on every card."""
        teams = first_teams(self.membership, INLINE_TEAMS + 1)
        return {team.pk: team for team in teams} if len(teams) <= INLINE_TEAMS else None

    def _kind(self, row: dict[str, Any]) -> tuple[bool, bool]:
        if self.few_teams is not None:
            teams: Collection[int] = self.few_teams.keys()
        elif self.facilitator:
            # Every team is theirs, and there are more than one: both buttons on open problems.
            is_open = row["status"] == ProblemStatus.OPEN
            return is_open, is_open
        else:
            teams = self._all_team_ids
        return _allowed(self.facilitator, teams, row["team_id"], row["status"])

    @cached_property
    def _all_team_ids(self) -> Collection[int]:
        # Ids only: many teams as model instances cost more than the rest of the board.
        return set(_speaks_for(self.membership).order_by().values_list("pk", flat=True))

    def _render(self, kinds: list[tuple[bool, bool]]) -> list[str]:
        if not kinds:
            return []
        teams = list(self.few_teams.values()) if self.few_teams is not None else None
        shown_with = (
            FORMAT,
            RELEASE,
            STAND_IN,
            TOKEN_STAND_IN,
            self.membership.organization.slug,
            get_language(),
            None if teams is None else [(team.uuid, team.name) for team in teams],
        )
        rendered = cached_cards(
            "problem-actions",
            [(shown_with, kind) for kind in kinds],
            lambda i: self._render_kind(kinds[i], teams),
        )
        token = str(self.csrf_token)
        return [html.replace(TOKEN_STAND_IN, token) for html in rendered]

    def _render_kind(self, kind: tuple[bool, bool], teams: list[Team] | None) -> str:
        may_resolve, may_help = kind
        form = None
        if may_help and teams is not None:
            form = HelpForm(teams=teams, auto_id=f"id_{STAND_IN}_%s")
        return _actions_html(
            None,
            self.membership,
            STAND_IN,
            may_resolve,
            form,
            offer_button=may_help and teams is None,
            csrf_token=TOKEN_STAND_IN,
        )

    def of(self, row: dict[str, Any], kind: tuple[bool, bool]) -> str:
        """The buttons of `kind` for the card of `row`."""
        html = self.rendered[kind]
        if kind[1] and self.few_teams and row["team_id"] in self.few_teams:
            # A team never offers help on its own problem: drop it from the select.
            own = self.few_teams[row["team_id"]]
            html = html.replace(f'<option value="{own.uuid}">{escape(own.name)}</option>', "", 1)
        return html.replace(STAND_IN, str(row["uuid"]))


def _actions_html(
    request: HttpRequest | None,
    membership: Membership,
    problem_uuid: str,
    may_resolve: bool,
    form: OfferHelpForm | None,
    *,
    offer_button: bool = False,
    offering: bool = False,
    csrf_token: str | None = None,
) -> str:
    """`offer_button`: a button that loads the form (`?offer`) instead of `form`;
    `offering`: the form asked for, shown open. Without a request, `csrf_token` goes into
    the forms."""
    context: dict[str, Any] = {
        "organization": membership.organization,
        "problem_uuid": problem_uuid,
        "can_resolve": may_resolve,
        "help_form": form,
        "offer_button": offer_button,
        "offering": offering,
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
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
        membership.has_role(Role.FACILITATOR),
        {team.pk for team in teams},
        problem.team_id,
        problem.status,
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
