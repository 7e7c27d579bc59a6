"""Health metrics: watched, not scored. Kept apart from the OKR pages on purpose."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leitstern.health.forms import HealthMetricForm, HealthReadingForm
from leitstern.health.models import HealthMetric, HealthMetricQuerySet
from leitstern.health.services import RecordedReading, record_reading
from leitstern.learning.templatetags.plain_numbers import plain
from leitstern.lib.forms import apply_validation_error
from leitstern.orgs.access import get_in_org, get_membership
from leitstern.orgs.models import Membership, Role, Team, TeamMembership


def _editable_team_ids(membership: Membership) -> set[int] | None:
    """Teams whose metrics this person keeps; None means every team (facilitators, admins)."""
    if membership.has_role(Role.FACILITATOR):
        return None
    rows = TeamMembership.objects.filter(membership=membership).values_list("team_id", flat=True)
    return set(rows)


def _can_edit(membership: Membership, metric: HealthMetric, team_ids: set[int] | None) -> bool:
    # Org-wide metrics belong to the frame: facilitators and admins keep them.
    if metric.team_id is None:
        return membership.has_role(Role.FACILITATOR)
    return team_ids is None or metric.team_id in team_ids


def _prepare(metric: HealthMetric, can_edit: bool, form: HealthReadingForm | None = None) -> None:
    metric.can_edit = can_edit  # type: ignore[attr-defined]
    if can_edit:
        metric.reading_form = form or HealthReadingForm(  # type: ignore[attr-defined]
            auto_id=f"id_{metric.uuid}_%s"
        )


def _metrics(membership: Membership) -> HealthMetricQuerySet:
    return (
        HealthMetric.objects.in_org(membership.organization)
        .select_related("team")
        .with_recent_readings()
    )


def _get_metric(membership: Membership, metric_uuid: object) -> HealthMetric:
    return get_in_org(_metrics(membership), membership, uuid=metric_uuid)


def health_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_ids = _editable_team_ids(membership)
    metrics = list(
        _metrics(membership).order_by(F("team__name").asc(nulls_first=True), "position", "name")
    )
    for metric in metrics:
        _prepare(metric, _can_edit(membership, metric, team_ids))
    can_create = team_ids is None or bool(team_ids)
    return render(
        request,
        "health/health_list.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "metrics": metrics,
            "can_create": can_create,
        },
    )


def health_metric_detail(request: HttpRequest, org: str, metric: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    health_metric = _get_metric(membership, metric)
    _prepare(health_metric, _can_edit(membership, health_metric, _editable_team_ids(membership)))
    return _render_detail(request, membership, health_metric)


def _render_detail(
    request: HttpRequest, membership: Membership, metric: HealthMetric, status: int = 200
) -> HttpResponse:
    readings = [(r, metric.is_healthy(r.value)) for r in metric.readings.all()[:100]]
    context = {
        "organization": membership.organization,
        "membership": membership,
        "metric": metric,
        "readings": readings,
    }
    return render(request, "health/health_metric_detail.html", context, status=status)


@require_POST
def health_reading_add(request: HttpRequest, org: str, metric: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    health_metric = _get_metric(membership, metric)
    if not _can_edit(membership, health_metric, _editable_team_ids(membership)):
        raise PermissionDenied(_("Only the team that watches this metric adds readings."))
    form = HealthReadingForm(request.POST, auto_id=f"id_{health_metric.uuid}_%s")
    saved = ""
    if form.is_valid():
        try:
            recorded = record_reading(
                metric=health_metric,
                value=form.cleaned_data["value"],
                measured_on=form.cleaned_data["measured_on"],
            )
            saved = _saved_message(health_metric, recorded)
        except ValidationError as error:
            apply_validation_error(form, error)
    if saved and not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, saved)
        return redirect("health_list", org=org)
    detail = reverse("health_metric_detail", args=[org, health_metric.uuid])
    if saved and request.htmx.current_url_abs_path == detail:  # type: ignore[attr-defined]
        # The metric's own page shows its readings below the card: load it again, so the
        # table has the new reading too (the card alone would leave it stale).
        messages.success(request, saved)
        return HttpResponseClientRedirect(detail)
    if saved:
        health_metric = _get_metric(membership, metric)  # fresh readings for the card
    _prepare(health_metric, True, None if saved else form)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"organization": membership.organization, "metric": health_metric, "saved": saved}
        return render(request, "health/_metric.html", context)
    return _render_detail(request, membership, health_metric)


def _saved_message(metric: HealthMetric, recorded: RecordedReading) -> str:
    # A second reading of a day replaces the first: say so, with the old value, so nobody
    # overwrites a colleague's reading without noticing.
    if recorded.replaced_value is None:
        return _("Reading saved.")
    day = recorded.reading.measured_on
    values = {"metric": metric.name, "value": plain(recorded.replaced_value)}
    if day == timezone.localdate():
        return _("You replaced today's reading of %(metric)s (was %(value)s).") % values
    return _("You replaced the reading of %(metric)s for %(day)s (was %(value)s).") % {
        **values,
        "day": date_format(day, "SHORT_DATE_FORMAT"),
    }


def _scope_teams(membership: Membership) -> list[Team]:
    teams = Team.objects.in_org(membership.organization).order_by("name")
    if not membership.has_role(Role.FACILITATOR):
        teams = teams.filter(memberships__membership=membership)
    return list(teams)


@require_http_methods(["GET", "POST"])
def health_metric_create(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    metric = HealthMetric(organization=membership.organization)
    return _metric_form(request, membership, metric)


@require_http_methods(["GET", "POST"])
def health_metric_edit(request: HttpRequest, org: str, metric: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    health_metric = _get_metric(membership, metric)
    if not _can_edit(membership, health_metric, _editable_team_ids(membership)):
        raise PermissionDenied(_("Only the team that watches this metric changes it."))
    return _metric_form(request, membership, health_metric)


def _metric_form(
    request: HttpRequest, membership: Membership, metric: HealthMetric
) -> HttpResponse:
    teams = _scope_teams(membership)
    allow_org_wide = membership.has_role(Role.FACILITATOR)
    if not teams and not allow_org_wide:
        raise PermissionDenied(_("Join a team to watch health metrics with it."))
    initial = {"scope": request.GET.get("team", "")} if not metric.pk else None
    form = HealthMetricForm(
        request.POST or None,
        instance=metric,
        initial=initial,
        teams=teams,
        allow_org_wide=allow_org_wide,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Health metric saved."))
        return redirect("health_list", org=membership.organization.slug)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "form": form,
        "metric": metric,
    }
    return render(request, "health/health_metric_form.html", context)
