"""Recording check-ins and working on problems — one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem, ProblemStatus
from leitstern.learning.models import Learning, Source
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator
from leitstern.orgs.models import Attribution, Team


def checkin_week(*, cycle: Cycle, day: datetime.date, late_days: int) -> datetime.date:
    """The Monday of the week a check-in made on `day` counts for.

    Rule for late check-ins: a check-in dated up to `late_days` after the cycle's end
    still counts, for the cycle's last week; before the start or later it is refused.
    """
    if day < cycle.starts_on:
        raise ValidationError(
            {
                "checked_on": _("The cycle “%(name)s” starts on %(start)s; check-ins begin then.")
                % {"name": cycle.name, "start": cycle.starts_on}
            }
        )
    last_day = cycle.ends_on + datetime.timedelta(days=late_days)
    if day > last_day:
        raise ValidationError(
            {
                "checked_on": _(
                    "The cycle “%(name)s” ended on %(end)s; late check-ins are accepted "
                    "until %(last)s."
                )
                % {"name": cycle.name, "end": cycle.ends_on, "last": last_day}
            }
        )
    counted = min(day, cycle.ends_on)
    return counted - datetime.timedelta(days=counted.weekday())


def _validate(key_result: KeyResult, value: Decimal | None, confidence: int | None) -> None:
    key_result.validate_value(value)
    if confidence is None or not 0 <= int(confidence) <= 10:
        raise ValidationError({"confidence": _("Confidence is a number from 0 to 10.")})
    cycle = key_result.objective.cycle
    if not cycle.accepts_checkins():
        raise ValidationError(
            _(
                "The cycle “%(name)s” is %(phase)s: check-ins are possible while it is running or "
                "reflecting."
            )
            % {"name": cycle.name, "phase": cycle.get_phase_display().lower()}
        )


@transaction.atomic
def record_checkin(
    *,
    key_result: KeyResult,
    value: Decimal | None,
    confidence: int | None,
    on: datetime.date | None = None,
    note: str = "",
    problem: str = "",
    learning: str = "",
    indicator_values: Mapping[LeadingIndicator, Decimal] | None = None,
    signed_as: str = "",
) -> CheckIn:
    """Record the team's check-in for a key result; a second one in the same week updates it.

    Keeps the key result's derived current value and confidence consistent with its
    latest check-in, also under concurrent check-ins: the key result row is locked (only
    that row: locking the joined cycle and organisation would queue every team's check-in
    behind one another), so writers of the same key result take turns.
    """
    key_result = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "objective__team__organization")
        .get(pk=key_result.pk)
    )
    _validate(key_result, value, confidence)
    assert value is not None and confidence is not None
    org = key_result.objective.team.organization
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError({"checked_on": _("A check-in cannot be dated in the future.")})
    week = checkin_week(cycle=key_result.objective.cycle, day=day, late_days=org.late_checkin_days)
    # This week's check-in and any later one, newest first, in one query under the lock:
    # whether to insert or update, what it carries, and which check-in is the latest after.
    from_this_week = list(
        CheckIn.objects.filter(key_result=key_result, week__gte=week)
        .select_related("problem", "learning")
        .order_by("-week")
    )
    existing = from_this_week[-1] if from_this_week and from_this_week[-1].week == week else None
    existed = existing is not None
    checkin = _write_checkin(
        existing, key_result, week, day=day, value=value, confidence=int(confidence), note=note
    )
    _save_indicator_values(checkin, key_result, indicator_values or {}, existed=existed)
    signature = signed_as if org.attribution == Attribution.TEAM_AND_NAME else ""
    _save_problem(checkin, problem.strip(), signature, existed=existed)
    _save_learning(checkin, learning.strip(), existed=existed)
    newest = from_this_week[0] if from_this_week else None
    _set_derived(key_result, newest if newest and newest.week > week else checkin)
    return checkin


def _write_checkin(
    existing: CheckIn | None,
    key_result: KeyResult,
    week: datetime.date,
    *,
    day: datetime.date,
    value: Decimal,
    confidence: int,
    note: str,
) -> CheckIn:
    # No update_or_create: the lock on the key result already serialises its writers, so
    # its savepoint and second SELECT would buy nothing.
    checkin = existing or CheckIn(
        organization_id=key_result.organization_id, key_result=key_result, week=week
    )
    checkin.key_result = key_result  # with its objective: no query for the team later
    checkin.checked_on, checkin.value, checkin.confidence = day, value, confidence
    checkin.note = note.strip()
    if existing is None:
        checkin.save()
    else:
        fields = ["checked_on", "value", "confidence", "note", "updated_at"]
        checkin.save(update_fields=fields)
    return checkin


def _save_indicator_values(
    checkin: CheckIn,
    key_result: KeyResult,
    values: Mapping[LeadingIndicator, Decimal],
    *,
    existed: bool,
) -> None:
    if not values:
        return
    if any(indicator.key_result_id != key_result.pk for indicator in values):
        raise ValidationError(_("This leading indicator belongs to another key result."))
    stored = (
        {iv.indicator_id: iv for iv in IndicatorValue.objects.filter(checkin=checkin)}
        if existed
        else {}
    )
    for indicator, value in values.items():
        item = stored.get(indicator.pk)
        if item is None:
            IndicatorValue.objects.create(
                organization_id=checkin.organization_id,
                checkin=checkin,
                indicator=indicator,
                value=value,
            )
        elif item.value != value:
            item.value = value
            item.save(update_fields=["value", "updated_at"])


def _related(checkin: CheckIn, name: str, *, existed: bool) -> Any:
    """The problem or learning fetched with an existing check-in (select_related), or None."""
    if not existed:
        return None  # a new check-in has neither; asking would cost a query
    try:
        return getattr(checkin, name)
    except ObjectDoesNotExist:
        return None


def _save_problem(checkin: CheckIn, text: str, signed_as: str, *, existed: bool) -> None:
    existing = _related(checkin, "problem", existed=existed)
    if not text:
        # An emptied problem disappears unless other teams already offered help on it.
        if existing is not None and not existing.help_offers.exists():
            existing.delete()
        return
    if existing is not None:
        if existing.text != text:
            existing.text = text
            existing.save(update_fields=["text", "updated_at"])
        return
    checkin.problem = Problem.objects.create(
        organization_id=checkin.organization_id,
        checkin=checkin,
        key_result=checkin.key_result,
        team_id=checkin.key_result.objective.team_id,
        text=text,
        signed_as=signed_as,
    )


def _save_learning(checkin: CheckIn, text: str, *, existed: bool) -> None:
    existing: Learning | None = _related(checkin, "learning", existed=existed)
    if not text:
        if existing is not None:
            existing.delete()
        return
    objective = checkin.key_result.objective
    learning = existing or Learning(checkin=checkin)
    learning.organization_id, learning.source = checkin.organization_id, Source.CHECKIN
    learning.team_id, learning.cycle_id = objective.team_id, objective.cycle_id
    learning.objective, learning.key_result = objective, checkin.key_result
    learning.text = text
    learning.save()


def refresh_derived(key_result: KeyResult) -> None:
    """Copy the latest check-in's value and confidence onto the key result."""
    _set_derived(key_result, key_result.checkins.order_by("-week").first())


def _set_derived(key_result: KeyResult, latest: CheckIn | None) -> None:
    key_result.current_value = latest.value if latest else None
    key_result.current_confidence = latest.confidence if latest else None
    key_result.last_checkin_on = latest.checked_on if latest else None
    key_result.save(update_fields=["current_value", "current_confidence", "last_checkin_on"])


def offer_help(*, problem: Problem, team: Team, message: str, signed_as: str = "") -> HelpOffer:
    """Another team offers help on an open problem."""
    if team.organization_id != problem.organization_id:
        raise ValidationError(_("Only teams of the same organisation can offer help."))
    if team.pk == problem.team_id:
        raise ValidationError(_("This is your own team's problem; offers come from other teams."))
    if problem.status != ProblemStatus.OPEN:
        raise ValidationError(_("This problem is already resolved."))
    if not message.strip():
        raise ValidationError({"message": _("Say in a sentence how your team can help.")})
    if team.organization.attribution != Attribution.TEAM_AND_NAME:
        signed_as = ""
    offer = HelpOffer(
        organization_id=problem.organization_id,
        problem=problem,
        team=team,
        message=message.strip(),
        signed_as=signed_as,
    )
    offer.full_clean()
    offer.save()
    return offer


def resolve_problem(*, problem: Problem) -> Problem:
    """The problem's team marks it resolved."""
    if problem.status == ProblemStatus.RESOLVED:
        raise ValidationError(_("This problem is already resolved."))
    problem.status = ProblemStatus.RESOLVED
    problem.resolved_at = timezone.now()
    problem.save(update_fields=["status", "resolved_at", "updated_at"])
    return problem
