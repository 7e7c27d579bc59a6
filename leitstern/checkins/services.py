"""Recording check-ins and working on problems — one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
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
    latest check-in, also under concurrent check-ins (the key result row is locked).
    """
    key_result = (
        KeyResult.objects.select_for_update()
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
    checkin, _created = CheckIn.objects.update_or_create(
        key_result=key_result,
        week=week,
        defaults={
            "organization": org,
            "checked_on": day,
            "value": value,
            "confidence": int(confidence),
            "note": note.strip(),
        },
    )
    _save_indicator_values(checkin, key_result, indicator_values or {})
    _save_problem(
        checkin, problem.strip(), signed_as if org.attribution == Attribution.TEAM_AND_NAME else ""
    )
    _save_learning(checkin, learning.strip())
    refresh_derived(key_result)
    return checkin


def _save_indicator_values(
    checkin: CheckIn, key_result: KeyResult, values: Mapping[LeadingIndicator, Decimal]
) -> None:
    for indicator, value in values.items():
        if indicator.key_result_id != key_result.pk:
            raise ValidationError(_("This leading indicator belongs to another key result."))
        IndicatorValue.objects.update_or_create(
            checkin=checkin,
            indicator=indicator,
            defaults={"organization_id": checkin.organization_id, "value": value},
        )


def _save_problem(checkin: CheckIn, text: str, signed_as: str) -> None:
    existing = Problem.objects.filter(checkin=checkin).first()
    if not text:
        # An emptied problem disappears unless other teams already offered help on it.
        if existing is not None and not existing.help_offers.exists():
            existing.delete()
        return
    if existing is not None:
        existing.text = text
        existing.save(update_fields=["text", "updated_at"])
        return
    Problem.objects.create(
        organization_id=checkin.organization_id,
        checkin=checkin,
        key_result=checkin.key_result,
        team_id=checkin.key_result.objective.team_id,
        text=text,
        signed_as=signed_as,
    )


def _save_learning(checkin: CheckIn, text: str) -> None:
    if not text:
        Learning.objects.filter(checkin=checkin).delete()
        return
    objective = checkin.key_result.objective
    Learning.objects.update_or_create(
        checkin=checkin,
        defaults={
            "organization_id": checkin.organization_id,
            "team_id": objective.team_id,
            "cycle_id": objective.cycle_id,
            "objective": objective,
            "key_result": checkin.key_result,
            "text": text,
            "source": Source.CHECKIN,
        },
    )


def refresh_derived(key_result: KeyResult) -> None:
    """Copy the latest check-in's value and confidence onto the key result."""
    latest = key_result.checkins.order_by("-week").first()
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
