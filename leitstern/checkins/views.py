"""The weekly check-in: one form for all of a team's key results, saved all or nothing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from leitstern.checkins.forms import CheckInForm, mark_invalid
from leitstern.checkins.models import CheckIn
from leitstern.checkins.services import checkin_week, lock_for_checkin, record_checkin
from leitstern.learning.templatetags.plain_numbers import plain, plain_decimal
from leitstern.lib.forms import apply_validation_error
from leitstern.okrs.models import (
    Cycle,
    KeyResult,
    LeadingIndicator,
    ObjectiveStatus,
    OrdinalLevel,
    Phase,
)
from leitstern.orgs.access import can_edit_team_okrs, get_team_with_membership
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
        .order_by("-starts_on", "-id")  # as lock_for_checkin picks it
        .only("organization_id", "name", "starts_on", "ends_on", "phase")
        .first()
    )


def _key_results(team: Team, cycle: Cycle) -> QuerySet[KeyResult]:
    """The key results the team checks in on, in the order of its objectives."""
    return (
        KeyResult.objects.filter(objective__team=team, objective__cycle=cycle)
        .exclude(objective__status=ObjectiveStatus.DROPPED)
        .select_related("objective")
        .prefetch_related("leading_indicators")
        .order_by("objective__position", "objective__created_at", "position", "created_at")
    )


def _current_checkins(key_results: list[KeyResult], week: datetime.date) -> dict[int, CheckIn]:
    """This week's check-in per key result, with what the form shows of it."""
    return {
        c.key_result_id: c
        for c in CheckIn.objects.filter(key_result__in=key_results, week=week)
        .select_related("problem", "learning")
        .prefetch_related("indicator_values")
    }


def _previous_checkins(key_results: list[KeyResult], week: datetime.date) -> dict[int, CheckIn]:
    """The latest check-in before `week` per key result: one row each, not their history."""
    latest_week = (
        CheckIn.objects.filter(key_result=OuterRef("key_result"), week__lt=week)
        .order_by("-week")
        .values("week")[:1]
    )
    previous = CheckIn.objects.filter(key_result__in=key_results, week=Subquery(latest_week))
    fields = ("key_result_id", "week", "value", "confidence", "checked_on")
    return {c.key_result_id: c for c in previous.order_by().only(*fields)}


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


def _form(
    request: HttpRequest,
    kr: KeyResult,
    previous_confidence: int | None,
    current: CheckIn | None,
    indicators: list[LeadingIndicator] | None = None,
    *,
    bound: bool = True,
) -> CheckInForm:
    return CheckInForm(
        request.POST if request.method == "POST" and bound else None,
        prefix=f"kr-{kr.uuid}",
        key_result=kr,
        indicators=list(kr.leading_indicators.all()) if indicators is None else indicators,
        previous_confidence=previous_confidence,
        initial=_initial(current),
    )


def _rows(
    request: HttpRequest,
    key_results: list[KeyResult],
    week: datetime.date,
    posted: Sequence[CheckInRow] = (),
) -> list[CheckInRow]:
    """A row per key result; `posted` rows are reused with their forms (and errors). Shown
    again after a POST, the other rows were left blank or as they were: they show what they
    showed, unjudged."""
    current, previous = _current_checkins(key_results, week), _previous_checkins(key_results, week)
    reuse = {row.key_result.pk: row.form for row in posted}
    today = timezone.localdate()
    rows = []
    for kr in key_results:
        earlier = previous.get(kr.pk)
        confidence = earlier.confidence if earlier else None
        form = reuse.get(kr.pk)
        if form is None:
            form = _form(request, kr, confidence, current.get(kr.pk), bound=False)
        else:  # posted without indicator fields, it was validated without them
            form.add_indicator_fields(list(kr.leading_indicators.all()))
        stale = kr.is_stale(today) and kr.pk not in current
        rows.append(CheckInRow(kr, form, previous.get(kr.pk), current.get(kr.pk), stale))
    if rows:
        first = rows[0].form.fields["value"]
        first.widget.attrs["autofocus"] = True
    return rows


def _posted_rows_keys(request: HttpRequest) -> tuple[set[UUID], set[UUID]]:
    """Key results whose row was typed into (`kr-<uuid>-<field>` not blank, or changed from
    what the page showed of this week's check-in), and those of them whose rows were posted
    with leading-indicator fields (blank or not)."""
    filled, with_indicators = set(), set()
    for name, values in request.POST.lists():
        prefix, _dash, rest = name.partition("-")
        key, _dash, field = rest.rpartition("-")
        if prefix != "kr":
            continue
        if _typed(values, request.POST.getlist(f"{INITIAL}{name}")):
            filled.add(key)
        if field.startswith("indicator_"):
            with_indicators.add(key)
    return _uuids(filled), _uuids(filled & with_indicators)


# A week already checked in shows its values; the page posts them again under this prefix
# (checkin_form.html), so a row left as it was is not saved (or judged) again.
INITIAL = "initial-"


def _typed(values: list[str], shown: list[str]) -> bool:
    """Whether a field holds something the person typed: not blank, and not what the page
    showed; clearing a shown value counts too."""
    if not shown:
        return any(v.strip() for v in values)
    return [_plain(v) for v in values] != [_plain(v) for v in shown]


def _plain(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _untouched_rows_posted(request: HttpRequest) -> bool:
    return any(name.startswith(f"{INITIAL}kr-") for name in request.POST)


def _uuids(keys: set[str]) -> set[UUID]:
    found = set()
    for key in keys:
        try:
            found.add(UUID(key))
        except ValueError:
            continue
    return found


# What the form of a posted row needs of its key result (forms.CheckInForm).
_FORM_FIELDS = ("uuid", "kind", "unit", "commit_level", "target_level", "stretch_level")


def _posted_rows(
    request: HttpRequest, membership: Membership, team: Team, day: datetime.date
) -> tuple[list[CheckInRow], datetime.date | None]:
    """Rows for the key results the person filled in, locked for recording, and the week
    they count for (None: the cycle takes no check-ins on `day`); every other row is blank,
    hence valid. Call it in a transaction.

    Saving needs only these, and of them only what their forms check: the whole page (every
    key result, this week's check-ins) is built only to show it again, after an error.
    One query finds them in the cycle the team checks in for (as `_checkin_cycle`) and locks
    them, with what record_checkin reads. Leading indicators are fetched only for rows
    posted with indicator fields: without them the row's indicator values are blank anyway
    (`_rows` adds the inputs to show).
    """
    filled, with_indicators = _posted_rows_keys(request)
    if not filled:
        return [], None
    # The week is needed for the previous confidence before the cycle is read: it is the
    # day's Monday unless the day is after the cycle's end (corrected below).
    monday = day - datetime.timedelta(days=day.weekday())
    key_results = lock_for_checkin(team=team, uuids=filled, before=monday)
    if not key_results:
        return [], None
    week, _reason = _this_week(membership, key_results[0].objective.cycle, day)
    if week is None:
        return [], None
    if week != monday:  # a late check-in, for the cycle's last week
        _set_previous_confidence(key_results, week)
    indicators = _indicators_of([kr.pk for kr in key_results if kr.uuid in with_indicators])
    rows = [
        CheckInRow(
            kr,
            _form(request, kr, kr.previous_confidence, None, indicators.get(kr.pk, [])),  # type: ignore[attr-defined]
            None,
            None,
            stale=False,
        )
        for kr in key_results
    ]
    return rows, week


def _previous_confidence(week: datetime.date) -> Subquery:
    earlier = CheckIn.objects.filter(key_result=OuterRef("pk"), week__lt=week).order_by("-week")
    return Subquery(earlier.values("confidence")[:1])


def _set_previous_confidence(key_results: list[KeyResult], week: datetime.date) -> None:
    found = dict(
        KeyResult.objects.filter(pk__in=[kr.pk for kr in key_results])
        .annotate(previous_confidence=_previous_confidence(week))
        .values_list("pk", "previous_confidence")
    )
    for kr in key_results:
        kr.previous_confidence = found[kr.pk]  # type: ignore[attr-defined]


def _indicators_of(key_result_ids: list[int]) -> dict[int, list[LeadingIndicator]]:
    found: dict[int, list[LeadingIndicator]] = {}
    if key_result_ids:
        for indicator in LeadingIndicator.objects.filter(key_result_id__in=key_result_ids):
            found.setdefault(indicator.key_result_id, []).append(indicator)
    return found


def _save_posted(
    request: HttpRequest, membership: Membership, team: Team, *, day: datetime.date
) -> tuple[list[CheckInRow], int]:
    """Validate and save the filled rows: the rows, and how many were saved — none after an
    error or when nothing was filled in. All or nothing, in one transaction."""
    with transaction.atomic():
        posted, week = _posted_rows(request, membership, team, day)
        saved = 0
        if week is not None and all(row.form.is_valid() for row in posted):
            filled = [row for row in posted if not row.form.is_blank]
            saved = len(filled) if filled and _save(request, membership, filled, day) else 0
        if not saved:
            transaction.set_rollback(True)
    return posted, saved


def _signature(request: HttpRequest, membership: Membership) -> str:
    if membership.organization.attribution != Attribution.TEAM_AND_NAME:
        return ""
    # The name only, never the email: a signature is for colleagues, not an identifier.
    return str(getattr(request.user, "name", ""))


def _save(
    request: HttpRequest, membership: Membership, rows: list[CheckInRow], day: datetime.date
) -> bool:
    """Record every filled row (each row's errors, not only the first's): false if any
    failed, and the caller rolls all of them back."""
    saved = [_record(request, membership, row, day) for row in rows]
    return all(saved)


def _record(
    request: HttpRequest, membership: Membership, row: CheckInRow, day: datetime.date
) -> bool:
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
            locked=True,
        )
    except ValidationError as error:
        apply_validation_error(row.form, error)
        return False
    return True


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
    membership, the_team = get_team_with_membership(request.user, org, team)  # type: ignore[arg-type]
    can_edit = can_edit_team_okrs(membership, the_team)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only members of %(team)s check in for it.") % {"team": the_team})
    day = _chosen_day(request)
    posted: list[CheckInRow] = []
    if request.method == "POST":
        posted, saved = _save_posted(request, membership, the_team, day=day)
        if saved:
            messages.success(request, _saved_message(saved))
            return redirect(_after_save_url(org, the_team))
    cycle = _checkin_cycle(membership)
    if cycle is not None and day < cycle.starts_on:
        day = timezone.localdate()  # before this cycle: its current week, as for any unknown day
    week, closed_reason = _this_week(membership, cycle, day)
    rows = (
        _rows(request, list(_key_results(the_team, cycle)), week, posted) if cycle and week else []
    )
    page_error = ""
    if request.method == "POST" and rows:
        if not posted and _untouched_rows_posted(request):
            page_error = _("Nothing changed, so nothing was saved.")
        elif not posted:
            page_error = _("Nothing to save yet: enter a value and a confidence for a key result.")
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
