"""Retrospectives per objective and the organisation's learning library."""

from __future__ import annotations

import functools
from html import escape
from importlib import metadata
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leitstern.frame.models import Moal
from leitstern.learning.forms import (
    HypothesisForm,
    LearningFilterForm,
    RetrospectiveForm,
    TeamInput,
    typable_names,
)
from leitstern.learning.models import Learning, LearningQuerySet, Retrospective, Source
from leitstern.learning.search import Scope, find_learnings
from leitstern.learning.services import write_retrospective
from leitstern.lib.digest_cache import cached_cards, digest_key
from leitstern.lib.forms import apply_validation_error
from leitstern.lib.page_cache import render_page
from leitstern.okrs.models import Cycle, HypothesisStatus, KeyResult, Objective, Phase
from leitstern.orgs.access import can_edit_team_okrs, get_in_org, get_membership
from leitstern.orgs.models import Membership, Organization, Team

PAGE_SIZE = 25
MAX_PAGE = 100_000
# What a card in the library shows, read as plain values.
CARD_FIELDS = (
    "text",
    "hypothesis_outcome",
    "source",
    "created_at",
    "team__name",
    "cycle__name",
    "objective__uuid",
    "objective__title",
    "key_result__title",
)
SOURCES = dict(Source.choices)
# Part of every cache key: raise when cached values change shape between releases.
FORMAT = 3
try:
    RELEASE = metadata.version("leitstern")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    RELEASE = "dev"
CELEBRATION = gettext_lazy("Refuted with a learning — that is the system working.")


def _general_learnings(objective: Objective) -> LearningQuerySet:
    return Learning.objects.filter(
        objective=objective, key_result__isnull=True, source=Source.RETROSPECTIVE
    ).order_by("created_at", "id")


def _hypothesis_forms(
    request: HttpRequest, key_results: list[KeyResult]
) -> list[tuple[KeyResult, HypothesisForm]]:
    data = request.POST if request.method == "POST" else None
    forms = []
    for kr in key_results:
        closed = kr.hypothesis_status != HypothesisStatus.UNTESTED
        initial = {
            "outcome": kr.hypothesis_status if closed else "",
            "evidence": kr.hypothesis_evidence,
        }
        forms.append((kr, HypothesisForm(data, prefix=f"kr-{kr.uuid}", initial=initial)))
    return forms


def _retro_form(
    request: HttpRequest, retro: Retrospective | None, learnings: list[Learning]
) -> RetrospectiveForm:
    initial: dict[str, object] = {"learnings": "\n".join(item.text for item in learnings)}
    if retro is not None:
        initial.update(
            what_held=retro.what_held,
            what_refuted=retro.what_refuted,
            carry_forward=retro.carry_forward,
            self_assessment=retro.self_assessment,
        )
    return RetrospectiveForm(request.POST if request.method == "POST" else None, initial=initial)


def _save_retrospective(
    objective: Objective,
    form: RetrospectiveForm,
    hypotheses: list[tuple[KeyResult, HypothesisForm]],
) -> bool:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            write_retrospective(
                objective=objective,
                what_held=data["what_held"],
                what_refuted=data["what_refuted"],
                carry_forward=data["carry_forward"],
                self_assessment=data["self_assessment"],
                hypotheses={
                    kr: (f.cleaned_data["outcome"], f.cleaned_data["evidence"])
                    for kr, f in hypotheses
                },
                learnings=form.learning_lines(),
            )
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True


def _confirmation(
    form: RetrospectiveForm, hypotheses: list[tuple[KeyResult, HypothesisForm]]
) -> str:
    refuted = [f for _kr, f in hypotheses if f.cleaned_data["outcome"] == HypothesisStatus.REFUTED]
    learned = any(f.cleaned_data["evidence"].strip() for f in refuted) or form.learning_lines()
    if refuted and learned:
        return f"{_('Retrospective saved.')} {CELEBRATION}"
    return _("Retrospective saved. Its learnings are in the library now.")


@require_http_methods(["GET", "POST"])
def retrospective_form(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_objective = get_in_org(
        Objective.objects.select_related("team", "cycle"), membership, uuid=objective
    )
    can_edit = can_edit_team_okrs(membership, the_objective.team)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the team writes its retrospective."))
    retro = Retrospective.objects.filter(objective=the_objective).first()
    key_results = list(the_objective.key_results.all())
    learnings = list(_general_learnings(the_objective))
    reflecting = the_objective.cycle.phase in (Phase.REFLECTING, Phase.CLOSED)
    wants_form = retro is None or request.GET.get("edit") or request.method == "POST"
    editing = bool(can_edit and reflecting and wants_form)
    form = _retro_form(request, retro, learnings) if editing else None
    hypotheses = _hypothesis_forms(request, key_results) if editing else []
    if request.method == "POST":
        if not reflecting:
            messages.info(request, _("Retrospectives are written when the cycle is reflecting."))
            return redirect(request.path)
        assert form is not None
        valid = [form.is_valid()] + [f.is_valid() for _kr, f in hypotheses]
        if all(valid) and _save_retrospective(the_objective, form, hypotheses):
            messages.success(request, _confirmation(form, hypotheses))
            return redirect(request.path)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "objective": the_objective,
        "retro": retro,
        "key_results": key_results,
        "learnings": learnings,
        "can_edit": can_edit,
        "reflecting": reflecting,
        "editing": editing,
        "form": form,
        "hypotheses": hypotheses,
        "has_errors": bool(form and form.is_bound and form.errors)
        or any(f.is_bound and f.errors for _kr, f in hypotheses),
    }
    return render(request, "learning/retrospective_form.html", context)


def _filter_choices(org: Organization) -> dict[str, Any]:
    """The filters' choices, from the fragment cache while the organisation's page version
    stands: every MOAL, team and cycle saved or deleted bumps it (web/fragments.py). The teams
    are read only when a team is asked for, once per request: 2,000 of them cost 1 ms."""
    key = f"library-choices:{FORMAT}:{org.pk}:{org.page_version}"
    choices: dict[str, list[tuple[str, str]]] | None = caches["fragments"].get(key)
    if choices is None:
        moals = Moal.objects.filter(organization=org).values_list("uuid", "title")
        cycles = Cycle.objects.filter(organization=org).values_list("uuid", "name")
        choices = {
            "moals": [(str(uuid), title) for uuid, title in moals],
            "cycles": [(str(uuid), name) for uuid, name in cycles],
        }
        caches["fragments"].set(key, choices)
    return {**choices, "teams": functools.cache(lambda: _teams(org))}


def _teams(org: Organization) -> list[tuple[str, str]]:
    key = f"library-teams:{FORMAT}:{org.pk}:{org.page_version}"
    teams: list[tuple[str, str]] | None = caches["fragments"].get(key)
    if teams is None:
        teams = list(Team.objects.in_org(org).order_by("name").values_list("slug", "name"))
        caches["fragments"].set(key, teams)
    return teams


# The library's filters as the lookups of a search's Scope.
_LOOKUPS = {
    "moal": "objective__moals__uuid",
    "team": "team__slug",
    "cycle": "cycle__uuid",
    "outcome": "hypothesis_outcome",
}


def _filtered(membership: Membership, filters: dict[str, str]) -> Scope:
    lookups = tuple((lookup, filters[name]) for name, lookup in _LOOKUPS.items() if name in filters)
    return Scope(membership.organization_id, lookups)


def _page_number(value: str | None) -> int:
    try:
        return min(max(1, int(value or 1)), MAX_PAGE)
    except ValueError:
        return 1


# The query parameters of a library page, which its cached copy may be kept under.
_PARAMETERS = frozenset({"q", "moal", "team", "cycle", "outcome", "page"})


@require_GET
def learning_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    form = LearningFilterForm(
        request.GET,
        **_filter_choices(organization),
        team_suggestions_url=reverse("learning_teams", args=[organization.slug]),
    )
    filters = form.valid_filters()
    page = find_learnings(
        _filtered(membership, filters),
        filters.get("q", ""),
        number=_page_number(request.GET.get("page")),
        size=PAGE_SIZE,
        fields=CARD_FIELDS,
        count_key=digest_key("library-many", (organization.pk, sorted(filters.items()))),
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "learning/learning_list.html"
    if request.htmx and request.htmx.target == "learning-results":  # type: ignore[attr-defined]
        template += "#results"
    # The whole page from the cache while the same search shows the same learnings: the key
    # is a digest of the rows shown and of what shapes the form (lib/page_cache.py).
    key = digest_key(
        "library-page",
        (
            FORMAT,
            RELEASE,
            organization.pk,
            organization.page_version,
            get_language(),
            get_current_timezone_name(),
            (page.number, page.count, page.more),
            [[row[field] for field in CARD_FIELDS] for row in page.learnings],
        ),
    )

    def context() -> dict[str, Any]:
        return {
            "organization": membership.organization,
            "membership": membership,
            "form": form,
            "page": page,
            "cards": _cards(membership.organization, page.learnings),
            "filtered": bool(filters),
            # the errors above the results, where an htmx answer has no form to show them
            "results_only": template.endswith("#results"),
            "query_string": query.urlencode(),
        }

    return render_page(request, membership.role, key, template, context, query_in_key=_PARAMETERS)


@require_GET
def learning_teams(request: HttpRequest, org: str) -> HttpResponse:
    """The team field's suggestions: every team of the organisation, by name (by short name
    where the name is ambiguous: forms.typable_names), with the other beside it."""
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    teams = _teams(membership.organization)
    typable = typable_names(teams)
    options = []
    for slug, name in teams:
        label = slug if typable[slug] == name else name
        options.append(f'<option value="{escape(typable[slug])}">{escape(label)}</option>')
    return HttpResponse(f'<datalist id="{TeamInput.DATALIST}">{"".join(options)}</datalist>')


def _cards(organization: Organization, rows: list[dict[str, Any]]) -> list[str]:
    """The page's learnings as HTML, from the fragment cache.

    A card's key is a digest of everything it shows, so an edited learning, a renamed team or
    a retitled objective is a new key in every app process, with no signal to miss. The cache
    saves the rendering: 25 cards cost ~6 ms of CPU.
    """
    shown_with = (FORMAT, RELEASE, organization.slug, get_language(), get_current_timezone_name())
    return cached_cards(
        "learning-card",
        [(shown_with, [row[field] for field in CARD_FIELDS]) for row in rows],
        lambda i: render_to_string(
            "learning/_learning.html", {"organization": organization, "learning": _shown(rows[i])}
        ),
    )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row in the shape of a Learning, as the card template reads it."""
    objective = row["objective__uuid"]
    return {
        **row,
        "source_label": SOURCES.get(row["source"], row["source"]),
        "team": {"name": row["team__name"]},
        "cycle": {"name": row["cycle__name"]} if row["cycle__name"] is not None else None,
        "objective": {"uuid": objective, "title": row["objective__title"]} if objective else None,
        "key_result": {"title": row["key_result__title"]}
        if row["key_result__title"] is not None
        else None,
    }
