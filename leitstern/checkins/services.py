"""Recording check-ins and working on problems — one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem, ProblemStatus
from leitstern.learning.models import Learning, Source
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator
from leitstern.orgs.models import Attribution, Team
from leitstern.orgs.versions import bump_team


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


# What record_checkin reads under the lock: the key result's kind, its cycle and its
# organisation's check-in settings. Only these columns: building the whole key result,
# objective, cycle, team and organisation cost more than the rest of the write.
_LOCKED_FIELDS = (
    "kind",
    "organization_id",
    "objective__team_id",
    "objective__cycle__name",
    "objective__cycle__phase",
    "objective__cycle__starts_on",
    "objective__cycle__ends_on",
    "organization__late_checkin_days",
    "organization__attribution",
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
    behind one another), so writers of the same key result take turns. Only `key_result.pk`
    is used: what the rules need is read again under the lock.
    """
    key_result = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "organization")
        .only(*_LOCKED_FIELDS)
        .get(pk=key_result.pk)
    )
    _validate(key_result, value, confidence)
    assert value is not None and confidence is not None
    org = key_result.organization
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError({"checked_on": _("A check-in cannot be dated in the future.")})
    week = checkin_week(cycle=key_result.objective.cycle, day=day, late_days=org.late_checkin_days)
    stored = _stored_from(key_result, week)
    existing = stored[-1] if stored and stored[-1].checkin.week == week else None
    checkin = _write_checkin(
        existing.checkin if existing else None,
        key_result,
        week,
        day=day,
        value=value,
        confidence=int(confidence),
        note=note,
    )
    _save_indicator_values(
        checkin, key_result, indicator_values or {}, existed=existing is not None
    )
    signature = signed_as if org.attribution == Attribution.TEAM_AND_NAME else ""
    _save_problem(checkin, problem.strip(), signature, existing)
    _save_learning(checkin, learning.strip(), existing)
    newest = stored[0].checkin if stored else None
    _set_derived_by_update(key_result, newest if newest and newest.week > week else checkin)
    return checkin


class _Stored(NamedTuple):
    """A stored check-in with the ids of its problem (and the problem's text) and learning."""

    checkin: CheckIn
    problem_id: int | None
    problem_text: str | None
    learning_id: int | None


# The columns of a stored check-in that a check-in needs: whether to update it, and the
# derived values if it is a later week's. Its other columns (uuid, timestamps, note) stay
# deferred on the CheckIn returned: Django reads them when asked.
_STORED_COLUMNS = tuple(
    field.attname
    for field in CheckIn._meta.concrete_fields  # in this order, for Model.from_db()
    if field.attname
    in {"id", "organization_id", "key_result_id", "week", "checked_on", "value", "confidence"}
)


def _stored_from(key_result: KeyResult, week: datetime.date) -> list[_Stored]:
    """This week's check-in and any later one, newest first, in one query under the lock:
    whether to insert or update, what it carries, and which check-in is the latest after.

    Rows, not select_related(): that would build a problem and a learning per row, and the
    problem or learning is needed only in the rare case that this week's check-in has one.
    """
    rows = (
        CheckIn.objects.filter(key_result=key_result, week__gte=week)
        .order_by("-week")
        .values_list(*_STORED_COLUMNS, "problem__id", "problem__text", "learning__id")
    )
    n, db = len(_STORED_COLUMNS), CheckIn.objects.db
    return [_Stored(CheckIn.from_db(db, _STORED_COLUMNS, row[:n]), *row[n:]) for row in rows]


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
        checkin.save()  # post_save bumps the team's page version (web.fragments)
        return checkin
    # An UPDATE of the changed columns without Model.save(): no signals, so the team's
    # page version is bumped here, as for the key result's derived values below.
    checkin.updated_at = timezone.now()
    changed = ("checked_on", "value", "confidence", "note", "updated_at")
    CheckIn.objects.filter(pk=checkin.pk).update(**{f: getattr(checkin, f) for f in changed})
    bump_team(key_result.objective.team_id)
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
            item.checkin = checkin  # holds its key result: the page-version receiver needs no query
            item.save(update_fields=["value", "updated_at"])


def _save_problem(checkin: CheckIn, text: str, signed_as: str, stored: _Stored | None) -> None:
    if stored is None or stored.problem_id is None:
        if text:
            checkin.problem = Problem.objects.create(
                organization_id=checkin.organization_id,
                checkin=checkin,
                key_result=checkin.key_result,
                team_id=checkin.key_result.objective.team_id,
                text=text,
                signed_as=signed_as,
            )
        return
    if text == stored.problem_text:
        return
    existing = Problem.objects.get(pk=stored.problem_id)
    if not text:
        # An emptied problem disappears unless other teams already offered help on it.
        if not existing.help_offers.exists():
            existing.delete()
        return
    checkin.problem = existing  # both ways: the post_save receivers find the check-in
    existing.text = text
    existing.save(update_fields=["text", "updated_at"])


def _save_learning(checkin: CheckIn, text: str, stored: _Stored | None) -> None:
    learning_id = stored.learning_id if stored else None
    if not text:
        if learning_id is not None:
            Learning.objects.get(pk=learning_id).delete()
        return
    objective = checkin.key_result.objective
    learning = (
        Learning(checkin=checkin) if learning_id is None else Learning.objects.get(pk=learning_id)
    )
    learning.organization_id, learning.source = checkin.organization_id, Source.CHECKIN
    learning.team_id, learning.cycle_id = objective.team_id, objective.cycle_id
    learning.objective, learning.key_result = objective, checkin.key_result
    learning.text = text
    checkin.learning = learning  # both ways: the post_save receivers find the check-in
    learning.save()


def refresh_derived(key_result: KeyResult) -> None:
    """Copy the latest check-in's value and confidence onto the key result, under the key
    result's row lock, so a check-in committed meanwhile is not overwritten."""
    with transaction.atomic():
        KeyResult.objects.select_for_update().filter(pk=key_result.pk).values_list("pk").get()
        _set_derived(key_result, key_result.checkins.order_by("-week").first())


def _set_derived_by_update(key_result: KeyResult, latest: CheckIn) -> None:
    """The derived values as one UPDATE of three columns; bumps the team's page version,
    which Model.save() would have done through post_save."""
    KeyResult.objects.filter(pk=key_result.pk).update(
        current_value=latest.value,
        current_confidence=latest.confidence,
        last_checkin_on=latest.checked_on,
    )
    bump_team(key_result.objective.team_id)


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
