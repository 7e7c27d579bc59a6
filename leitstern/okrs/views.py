"""Objective and key-result pages, their forms, cycles and planning."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitstern.lib.forms import apply_validation_error
from leitstern.lib.page_cache import render_page
from leitstern.okrs import services
from leitstern.okrs.charts import KeyResultChart, key_result_chart
from leitstern.okrs.coaching import (
    review_key_result_input,
    review_key_result_of,
    review_objective_input,
    review_objective_of,
)
from leitstern.okrs.forms import CycleForm, IndicatorForm, KeyResultForm, ObjectiveForm
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective, Phase
from leitstern.orgs import versions
from leitstern.orgs.access import (
    can_edit_team_okrs,
    get_in_org,
    get_key_result_with_membership,
    get_membership,
    require_role,
    require_team_editor,
)
from leitstern.orgs.models import Membership, Organization, Role, Team


def _objective(membership: Membership, uuid: object) -> Objective:
    queryset = Objective.objects.select_related("team", "cycle", "carried_over_from")
    return get_in_org(queryset, membership, uuid=uuid)


def objective_detail(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    obj = _objective(membership, objective)
    key_results = obj.key_results.prefetch_related("leading_indicators")
    context = {
        "organization": membership.organization,
        "membership": membership,
        "objective": obj,
        "key_results": key_results,
        "moals": obj.moals.all(),
        "contributes_to": obj.contributes_to.select_related("team"),
        "contributors": obj.contributors.select_related("team"),
        "carried_into": obj.carried_into.select_related("cycle"),
        "revisions": obj.revisions.select_related("key_result")[:50],
        "can_edit": can_edit_team_okrs(membership, obj.team) and obj.cycle.phase != Phase.CLOSED,
        "later_cycles": Cycle.objects.filter(
            organization=membership.organization, starts_on__gt=obj.cycle.starts_on
        )
        .exclude(phase=Phase.CLOSED)
        .order_by("starts_on"),
        "today": timezone.localdate(),
    }
    if context["can_edit"]:
        context["coach"] = review_objective_of(obj)
    return render(request, "okrs/objective_detail.html", context)


def key_result_detail(request: HttpRequest, org: str, key_result: uuid.UUID) -> HttpResponse:
    membership, kr = get_key_result_with_membership(request.user, org, key_result)  # type: ignore[arg-type]
    organization, objective = membership.organization, kr.objective
    can_edit = (
        can_edit_team_okrs(membership, objective.team) and objective.cycle.phase != Phase.CLOSED
    )
    # The whole page, and apart from it everything but the title and the form, comes from the
    # fragment cache while nothing on the page changed (keys in orgs/versions.py, receivers in
    # web/fragments.py): one query for membership and key result on a hit.
    key = versions.team_key("key-result", objective.team, organization, kr.pk, int(can_edit))

    def context() -> dict[str, Any]:
        parts = versions.cache().get_or_set(
            key, lambda: _key_result_parts(organization, kr, can_edit)
        )
        return _key_result_context(membership, kr, can_edit, parts)

    return render_page(request, membership.role, key, "okrs/key_result_detail.html", context)


KEY_RESULT_PARTS = ("head", "indicators", "indicator_fields", "history")


def _key_result_context(
    membership: Membership, kr: KeyResult, can_edit: bool, parts: dict[str, str]
) -> dict[str, Any]:
    return {
        "organization": membership.organization,
        "membership": membership,
        "key_result": kr,
        "can_edit": can_edit,
        # rendered by our own templates, escaped there
        **{f"{name}_html": mark_safe(html) for name, html in parts.items()},
    }


def _key_result_parts(organization: Organization, kr: KeyResult, can_edit: bool) -> dict[str, str]:
    """The cacheable parts of the key-result page, from plain rows: the same for every viewer
    with `can_edit`, in the current language."""
    checkins = list(
        kr.checkins.order_by("week").values(  # type: ignore[attr-defined]
            "week",
            "value",
            "confidence",
            "note",
            problem_text=F("problem__text"),
            learning_text=F("learning__text"),
        )
    )
    context = {
        "organization": organization,
        "key_result": kr,
        "objective": kr.objective,
        "checkins": checkins[::-1],
        "chart": _chart(kr, checkins),
        "indicator_rows": _indicator_rows(kr),
        "revisions": kr.revisions.all()[:50],
        "can_edit": can_edit,
        "coach": review_key_result_of(kr) if can_edit else None,
        "indicator_form": IndicatorForm() if can_edit else (),
    }
    template = "okrs/key_result_detail.html"
    return {name: render_to_string(f"{template}#{name}", context) for name in KEY_RESULT_PARTS}


def _chart(kr: KeyResult, checkins: Sequence[Mapping[str, Any]]) -> KeyResultChart | None:
    if not kr.is_metric or kr.baseline is None or kr.target is None:
        return None
    return key_result_chart(
        start=kr.objective.cycle.starts_on,
        end=kr.objective.cycle.ends_on,
        baseline=kr.baseline,
        target=kr.target,
        points=[(c["week"], c["value"], c["confidence"]) for c in checkins],
    )


def _indicator_rows(kr: KeyResult) -> list[dict[str, Any]]:
    """Each leading indicator with its values, week by week, from one query."""
    rows: dict[int, dict[str, Any]] = {}
    indicators = kr.leading_indicators.order_by(
        "position", "created_at", "pk", "values__checkin__week"
    ).values_list("pk", "name", "values__value")
    for pk, name, value in indicators:
        row = rows.setdefault(pk, {"name": name, "values": []})
        if value is not None:
            row["values"].append(value)
    return list(rows.values())


def _team_and_cycle(membership: Membership, team_slug: str) -> tuple[Team, Cycle | None]:
    team = get_in_org(Team.objects.all(), membership, slug=team_slug)
    cycle = Cycle.objects.filter(organization=membership.organization).current()
    return team, cycle


@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj, cycle = _team_and_cycle(membership, team)
    require_team_editor(membership, team_obj)
    back = reverse("team_detail", kwargs={"org": org, "team": team})
    if cycle is None:
        messages.info(request, _("There is no cycle yet. A facilitator plans the first one."))
        return redirect(back)
    form = ObjectiveForm(
        request.POST or None, organization=membership.organization, team=team_obj, cycle=cycle
    )
    if request.method == "POST" and form.is_valid():
        try:
            obj = _save_objective(form, team_obj, cycle)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Objective saved as a draft. Now add key results."))
            return redirect("objective_detail", org=org, objective=obj.uuid)
    return render(
        request,
        "okrs/objective_form.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "form": form,
            "coach": review_objective_input(form.data) if form.is_bound else None,
            "heading": _("New objective for %(team)s") % {"team": team_obj.name},
            "intro": _("Cycle: %(cycle)s") % {"cycle": cycle.name},
            "back_url": back,
        },
    )


def _save_objective(
    form: ObjectiveForm, team: Team, cycle: Cycle, obj: Objective | None = None
) -> Objective:
    fields = {k: form.cleaned_data[k] for k in ("title", "why", "open_questions", "kind")}
    from django.db import transaction

    with transaction.atomic():
        if obj is None:
            title = fields.pop("title")
            obj = services.add_objective(team=team, cycle=cycle, title=title, **fields)
        else:
            services.update_objective(objective=obj, **fields)
        services.align(
            objective=obj,
            moals=form.cleaned_data["moals"],
            contributes_to=form.cleaned_data["contributes_to"],
        )
    return obj


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    obj = _objective(membership, objective)
    require_team_editor(membership, obj.team)
    form = ObjectiveForm(
        request.POST or None,
        instance=Objective.objects.get(pk=obj.pk),
        organization=membership.organization,
        team=obj.team,
        cycle=obj.cycle,
    )
    back = reverse("objective_detail", kwargs={"org": org, "objective": obj.uuid})
    if request.method == "POST" and form.is_valid():
        try:
            _save_objective(form, obj.team, obj.cycle, obj)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Objective updated."))
            return redirect(back)
    data = form.data if form.is_bound else {"title": obj.title, "why": obj.why, "kind": obj.kind}
    return render(
        request,
        "okrs/objective_form.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "form": form,
            "coach": review_objective_input(data),
            "heading": _("Edit objective"),
            "back_url": back,
        },
    )


@require_POST
def objective_drop(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    obj = _objective(membership, objective)
    require_team_editor(membership, obj.team)
    try:
        services.drop_objective(objective=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Objective dropped. It stays in the history."))
    return redirect("objective_detail", org=org, objective=obj.uuid)


@require_POST
def objectives_commit(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj, cycle = _team_and_cycle(membership, team)
    require_team_editor(membership, team_obj)
    if cycle is not None:
        try:
            count = services.commit_objectives(team=team_obj, cycle=cycle)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The team committed %(n)s objectives.") % {"n": count})
    return redirect("team_detail", org=org, team=team)


@require_http_methods(["GET", "POST"])
def key_result_create(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    obj = _objective(membership, objective)
    require_team_editor(membership, obj.team)
    form = KeyResultForm(request.POST or None, initial={"kind": "metric"})
    back = reverse("objective_detail", kwargs={"org": org, "objective": obj.uuid})
    if request.method == "POST" and form.is_valid():
        data = form.domain_fields()
        try:
            kr = services.add_key_result(objective=obj, title=data.pop("title"), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Key result added."))
            return redirect("key_result_detail", org=org, key_result=kr.uuid)
    return _key_result_form(request, membership, form, obj, back, _("New key result"))


def _key_result_form(
    request: HttpRequest,
    membership: Membership,
    form: KeyResultForm,
    obj: Objective,
    back: str,
    heading: str,
) -> HttpResponse:
    data = (
        form.data
        if form.is_bound
        else {name: form[name].value() or "" for name in ("title", "baseline", "target", "unit")}
    )
    return render(
        request,
        "okrs/key_result_form.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "form": form,
            "objective": obj,
            "heading": heading,
            "back_url": back,
            "coach": review_key_result_input(data, objective=obj.title),
            "intro": _("Objective: %(title)s") % {"title": obj.title},
        },
    )


@require_http_methods(["GET", "POST"])
def key_result_edit(request: HttpRequest, org: str, key_result: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    kr = get_in_org(
        KeyResult.objects.select_related("objective__team", "objective__cycle"),
        membership,
        uuid=key_result,
    )
    require_team_editor(membership, kr.objective.team)
    form = KeyResultForm(request.POST or None, instance=KeyResult.objects.get(pk=kr.pk))
    back = reverse("key_result_detail", kwargs={"org": org, "key_result": kr.uuid})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_key_result(key_result=kr, **form.domain_fields())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Key result updated."))
            return redirect(back)
    return _key_result_form(request, membership, form, kr.objective, back, _("Edit key result"))


@require_POST
def indicator_add(request: HttpRequest, org: str, key_result: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    kr = get_in_org(
        KeyResult.objects.select_related("objective__team", "objective__cycle"),
        membership,
        uuid=key_result,
    )
    require_team_editor(membership, kr.objective.team)
    cycle = kr.objective.cycle
    if cycle.phase == Phase.CLOSED:  # the page offers no form then; a stale one is refused
        message = _("The cycle “%(name)s” is closed. A facilitator can reopen it.")
        messages.error(request, message % {"name": cycle.name})
        return redirect("key_result_detail", org=org, key_result=kr.uuid)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        LeadingIndicator.objects.create(
            organization=membership.organization,
            key_result=kr,
            position=kr.leading_indicators.count(),
            **form.cleaned_data,
        )
        messages.success(request, _("Leading indicator added."))
        return redirect("key_result_detail", org=org, key_result=kr.uuid)
    return _indicator_form_again(request, membership, kr, form)


def _indicator_form_again(
    request: HttpRequest, membership: Membership, kr: KeyResult, form: IndicatorForm
) -> HttpResponse:
    """The key-result page again, rendered and not cached: the indicator fields open, their
    errors beside them and what was typed kept."""
    parts = _key_result_parts(membership.organization, kr, can_edit=True)
    fields = "okrs/key_result_detail.html#indicator_fields"
    parts["indicator_fields"] = render_to_string(fields, {"indicator_form": form}, request)
    context = {**_key_result_context(membership, kr, True, parts), "indicator_open": True}
    return render(request, "okrs/key_result_detail.html", context, status=400)


@require_POST
def objective_carry_over(request: HttpRequest, org: str, objective: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    obj = _objective(membership, objective)
    require_team_editor(membership, obj.team)
    wanted = _uuid_or_none(request.POST.get("cycle"))
    target = (
        Cycle.objects.filter(organization=membership.organization, uuid=wanted).first()
        if wanted
        else None
    )
    if target is None:
        messages.error(request, _("Choose the cycle to carry the objective into."))
        return redirect("objective_detail", org=org, objective=obj.uuid)
    try:
        copy = services.carry_over(objective=obj, to_cycle=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("objective_detail", org=org, objective=obj.uuid)
    messages.success(request, _("Carried over into %(cycle)s.") % {"cycle": target.name})
    return redirect("objective_detail", org=org, objective=copy.uuid)


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def cycle_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    cycles = Cycle.objects.filter(organization=membership.organization).order_by("-starts_on")
    form = None
    if membership.has_role(Role.FACILITATOR):
        form = CycleForm()
    return render(
        request,
        "okrs/cycle_list.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "cycles": cycles,
            "form": form,
            "phases": list(Phase),
        },
    )


@require_POST
def cycle_create(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    form = CycleForm(request.POST)
    if form.is_valid():
        try:
            services.create_cycle(
                organization=membership.organization, by=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Cycle planned. Teams can now write objectives."))
            return redirect("cycle_list", org=org)
    cycles = Cycle.objects.filter(organization=membership.organization).order_by("-starts_on")
    return render(
        request,
        "okrs/cycle_list.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "cycles": cycles,
            "form": form,
        },
        status=400,
    )


@require_POST
def cycle_move(request: HttpRequest, org: str, cycle: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    obj = get_in_org(Cycle.objects.all(), membership, uuid=cycle)
    try:
        services.move_cycle(cycle=obj, to=request.POST.get("to", ""), by=membership)
    except (ValidationError, ValueError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Unknown phase.")
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("“%(name)s” is now in the phase “%(phase)s”.")
            % {"name": obj.name, "phase": obj.get_phase_display()},
        )
    return redirect("cycle_list", org=org)


def alignment_map(request: HttpRequest, org: str) -> HttpResponse:
    from leitstern.frame.models import Moal

    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    cycle = Cycle.objects.filter(organization=organization).current()
    objectives = (
        Objective.objects.filter(organization=organization, cycle=cycle)
        .live()
        .select_related("team")
        .prefetch_related("moals")
        .prefetch_related(
            Prefetch("contributes_to", queryset=Objective.objects.select_related("team"))
        )
        .order_by("team__name", "position")
    )
    query = request.GET.get("q", "").strip()
    if query:
        objectives = objectives.filter(Q(title__icontains=query) | Q(team__name__icontains=query))
    moals = list(Moal.objects.filter(organization=organization).active())
    by_moal: dict[int, list[Objective]] = {m.pk: [] for m in moals}
    unaligned = []
    for objective in objectives:
        linked = [m.pk for m in objective.moals.all() if m.pk in by_moal]
        for pk in linked:
            by_moal[pk].append(objective)
        if not linked:
            unaligned.append(objective)
    return render(
        request,
        "okrs/alignment_map.html",
        {
            "organization": organization,
            "membership": membership,
            "cycle": cycle,
            "moal_groups": [(m, by_moal[m.pk]) for m in moals],
            "unaligned": unaligned,
            "contributions": [o for o in objectives if o.contributes_to.all()],
            "query": query,
        },
    )
