"""Retrospectives per objective and the organisation's learning library."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leitstern.frame.models import Moal
from leitstern.learning.forms import HypothesisForm, LearningFilterForm, RetrospectiveForm
from leitstern.learning.models import Learning, LearningQuerySet, Retrospective, Source
from leitstern.learning.search import find_learnings
from leitstern.learning.services import write_retrospective
from leitstern.lib.forms import apply_validation_error
from leitstern.okrs.models import Cycle, HypothesisStatus, KeyResult, Objective, Phase
from leitstern.orgs.access import can_edit_team_okrs, get_in_org, get_membership
from leitstern.orgs.models import Membership, Team

PAGE_SIZE = 25
MAX_PAGE = 100_000
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


def _filter_choices(membership: Membership) -> dict[str, list[tuple[str, str]]]:
    org = membership.organization
    teams = Team.objects.in_org(org).order_by("name").values_list("slug", "name")
    return {
        "moals": [(str(m.uuid), m.title) for m in Moal.objects.filter(organization=org)],
        "teams": list(teams),
        "cycles": [(str(c.uuid), c.name) for c in Cycle.objects.filter(organization=org)],
    }


def _filtered(membership: Membership, filters: dict[str, str]) -> LearningQuerySet:
    learnings = Learning.objects.in_org(membership.organization)
    if "moal" in filters:
        learnings = learnings.filter(objective__moals__uuid=filters["moal"])
    if "team" in filters:
        learnings = learnings.filter(team__slug=filters["team"])
    if "cycle" in filters:
        learnings = learnings.filter(cycle__uuid=filters["cycle"])
    if "outcome" in filters:
        learnings = learnings.filter(hypothesis_outcome=filters["outcome"])
    return learnings


def _page_number(value: str | None) -> int:
    try:
        return min(max(1, int(value or 1)), MAX_PAGE)
    except ValueError:
        return 1


@require_GET
def learning_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    form = LearningFilterForm(request.GET, **_filter_choices(membership))
    filters = form.valid_filters()
    page = find_learnings(
        _filtered(membership, filters),
        filters.get("q", ""),
        number=_page_number(request.GET.get("page")),
        size=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "query_string": query.urlencode(),
    }
    template = "learning/learning_list.html"
    if request.htmx and request.htmx.target == "learning-results":  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)
