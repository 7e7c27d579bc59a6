"""The weekly check-in: one form for all of a team's key results, saved all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from leitstern.checkins.forms import CheckInForm, mark_invalid
from leitstern.checkins.models import CheckIn
from leitstern.checkins.services import checkin_week, record_checkin
from leitstern.learning.templatetags.plain_numbers import plain, plain_decimal
from leitstern.lib.forms import apply_validation_error
from leitstern.okrs.models import Cycle, KeyResult, ObjectiveStatus, OrdinalLevel, Phase
from leitstern.orgs.access import can_edit_team_okrs, get_in_org, get_membership
from leitstern.orgs.models import Attribution, Membership, Team


@dataclass
class CheckInRow:
    key_result: KeyResult
    form: CheckInForm
    previous: CheckIn | None
    current: CheckIn | None
    stale: bool

    @property
    def latest(self) -> CheckIn | None:
        return self.current or self.previous

    @property
    def previous_value(self) -> str:
        return self._display(self.previous)

    @property
    def latest_value(self) -> str:
        return self._display(self.latest)

    def _display(self, checkin: CheckIn | None) -> str:
        if checkin is None:
            return ""
        if not self.key_result.is_metric:
            return str(OrdinalLevel(int(checkin.value)).label)
        return f"{plain(checkin.value)} {self.key_result.unit}".strip()


def _checkin_cycle(membership: Membership) -> Cycle | None:
    """The cycle a team checks in for: the latest running or reflecting one."""
    return (
        Cycle.objects.filter(
            organization=membership.organization, phase__in=[Phase.RUNNING, Phase.REFLECTING]
        )
        .order_by("-starts_on")
        .first()
    )


def _key_results(team: Team, cycle: Cycle) -> list[KeyResult]:
    return list(
        KeyResult.objects.filter(objective__team=team, objective__cycle=cycle)
        .exclude(objective__status=ObjectiveStatus.DROPPED)
        .select_related("objective")
        .prefetch_related("leading_indicators")
        .order_by("objective__position", "objective__created_at", "position", "created_at")
    )


def _checkins_by_key_result(
    key_results: list[KeyResult], week: datetime.date
) -> tuple[dict[int, CheckIn], dict[int, CheckIn]]:
    """This week's check-in and the latest earlier one, per key result: two queries."""
    ids = [kr.pk for kr in key_results]
    current = {
        c.key_result_id: c
        for c in CheckIn.objects.filter(key_result_id__in=ids, week=week)
        .select_related("problem", "learning")
        .prefetch_related("indicator_values")
    }
    previous: dict[int, CheckIn] = {}
    earlier = CheckIn.objects.filter(key_result_id__in=ids, week__lt=week).order_by("-week")
    for checkin in earlier.only("key_result_id", "week", "value", "confidence", "checked_on"):
        previous.setdefault(checkin.key_result_id, checkin)
    return current, previous


def _initial(checkin: CheckIn | None) -> dict[str, object]:
    if checkin is None:
        return {}
    problem = getattr(checkin, "problem", None)
    learning = getattr(checkin, "learning", None)
    initial: dict[str, object] = {
        "value": plain_decimal(checkin.value),
        "confidence": checkin.confidence,
        "note": checkin.note,
        "problem": problem.text if problem else "",
        "learning": learning.text if learning else "",
    }
    for item in checkin.indicator_values.all():
        initial[f"indicator_{item.indicator_id}"] = plain_decimal(item.value)
    return initial


def _rows(
    request: HttpRequest, key_results: list[KeyResult], week: datetime.date
) -> list[CheckInRow]:
    current, previous = _checkins_by_key_result(key_results, week)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    rows = []
    for kr in key_results:
        form = CheckInForm(
            data,
            prefix=f"kr-{kr.uuid}",
            key_result=kr,
            indicators=list(kr.leading_indicators.all()),
            previous=previous.get(kr.pk),
            initial=_initial(current.get(kr.pk)),
        )
        stale = kr.is_stale(today) and kr.pk not in current
        rows.append(CheckInRow(kr, form, previous.get(kr.pk), current.get(kr.pk), stale))
    if rows:
        first = rows[0].form.fields["value"]
        first.widget.attrs["autofocus"] = True
    return rows


def _signature(request: HttpRequest, membership: Membership) -> str:
    if membership.organization.attribution != Attribution.TEAM_AND_NAME:
        return ""
    # The name only, never the email: a signature is for colleagues, not an identifier.
    return str(getattr(request.user, "name", ""))


def _save(
    request: HttpRequest, membership: Membership, rows: list[CheckInRow], day: datetime.date
) -> bool:
    """Record every filled row in one transaction; any error rolls all of them back."""
    failed = False
    with transaction.atomic():
        for row in rows:
            data = row.form.cleaned_data
            try:
                record_checkin(
                    key_result=row.key_result,
                    value=data["value"],
                    confidence=data["confidence"],
                    note=data["note"],
                    problem=data["problem"],
                    learning=data["learning"],
                    indicator_values=row.form.indicator_values(),
                    signed_as=_signature(request, membership),
                    on=day,
                )
            except ValidationError as error:
                apply_validation_error(row.form, error)
                failed = True
        if failed:
            transaction.set_rollback(True)
    return not failed


def _after_save_url(org: str, team: Team) -> str:
    try:
        return reverse("team_detail", kwargs={"org": org, "team": team.slug})
    except NoReverseMatch:  # the team page arrives with another slice
        return reverse("checkin_form", kwargs={"org": org, "team": team.slug})


def _this_week(
    membership: Membership, cycle: Cycle | None, day: datetime.date
) -> tuple[datetime.date | None, str]:
    if cycle is None:
        return None, ""
    try:
        week = checkin_week(
            cycle=cycle, day=day, late_days=membership.organization.late_checkin_days
        )
    except ValidationError as error:
        return None, error.messages[0]
    return week, ""


def _chosen_day(request: HttpRequest) -> datetime.date:
    """The day to check in for: today, or an earlier week the team catches up on."""
    today = timezone.localdate()
    raw = request.POST.get("day") or request.GET.get("day") or ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return today
    return min(day, today)


def _selectable_weeks(cycle: Cycle | None) -> list[datetime.date]:
    """Mondays of the cycle up to this week, newest first, for catching up."""
    if cycle is None:
        return []
    today = timezone.localdate()
    last = min(today, cycle.ends_on)
    monday = cycle.starts_on - datetime.timedelta(days=cycle.starts_on.weekday())
    weeks = []
    while monday <= last:
        weeks.append(max(monday, cycle.starts_on))
        monday += datetime.timedelta(weeks=1)
    return list(reversed(weeks))


@require_http_methods(["GET", "POST"])
def checkin_form(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    the_team = get_in_org(Team.objects.all(), membership, slug=team)
    can_edit = can_edit_team_okrs(membership, the_team)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only members of %(team)s check in for it.") % {"team": the_team})
    cycle = _checkin_cycle(membership)
    day = _chosen_day(request)
    week, closed_reason = _this_week(membership, cycle, day)
    rows = _rows(request, _key_results(the_team, cycle), week) if cycle and week else []
    page_error = ""
    if request.method == "POST" and rows:
        valid = [row.form.is_valid() for row in rows]
        filled = [row for row in rows if row.form.is_valid() and not row.form.is_blank]
        if all(valid) and not filled:
            page_error = _("Nothing to save yet: enter a value and a confidence for a key result.")
        elif all(valid) and _save(request, membership, filled, day):
            messages.success(request, _saved_message(len(filled)))
            return redirect(_after_save_url(org, the_team))
        for row in rows:
            mark_invalid(row.form)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "team": the_team,
        "cycle": cycle,
        "week": week,
        "day": day,
        "weeks": _selectable_weeks(cycle),
        "closed_reason": closed_reason,
        "rows": rows,
        "can_edit": can_edit,
        "page_error": page_error,
        "has_errors": any(row.form.errors for row in rows),
    }
    return render(request, "checkins/checkin_form.html", context)


def _saved_message(count: int) -> str:
    return ngettext(
        "Check-in saved for %(count)d key result. Thank you!",
        "Check-in saved for %(count)d key results. Thank you!",
        count,
    ) % {"count": count}
