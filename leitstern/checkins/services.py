"""Recording check-ins and working on problems — one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem, ProblemStatus
from leitstern.learning.models import Learning, Source
from leitstern.lib.sqlrows import Columns
from leitstern.okrs.models import (
    Cycle,
    KeyResult,
    LeadingIndicator,
    Objective,
    ObjectiveStatus,
    Phase,
)
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


def _lock(key_result: KeyResult) -> KeyResult:
    return (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "organization")
        .only(*_LOCKED_FIELDS)
        .get(pk=key_result.pk)
    )


_KEY_RESULT, _OBJECTIVE, _CYCLE = Columns(KeyResult), Columns(Objective), Columns(Cycle)


def lock_for_checkin(
    *, team: Team, uuids: Collection[UUID], before: datetime.date
) -> list[KeyResult]:
    """The key results `uuids` of `team` in the cycle its organisation checks in for (the
    latest running or reflecting one, as on the check-in page), locked for
    record_checkin(locked=True): call it in a transaction. Each comes with its objective and
    cycle, the team's organisation, and `previous_confidence`: that of its latest check-in
    before the week `before`.

    Only the key result rows are locked, in the order of their primary keys, the same for
    every writer: locking the joined cycle and organisation would queue every team's
    check-in behind one another. By hand, not through the ORM: compiling this statement
    costs more than running it (leitstern.lib.sqlrows).
    """
    if not uuids:
        return []
    using = router.db_for_write(KeyResult)
    connection = connections[using]
    uuid_field = KeyResult._meta.get_field("uuid")
    placeholders = ", ".join(["%s"] * len(uuids))
    for_update = (
        connection.ops.for_update_sql(of=("kr",))
        if connection.features.has_select_for_update
        else ""
    )
    sql = (
        f"SELECT {_KEY_RESULT.select('kr')}, {_OBJECTIVE.select('ob')}, {_CYCLE.select('c')}, "
        f"(SELECT ci.confidence FROM {CheckIn._meta.db_table} ci "
        "WHERE ci.key_result_id = kr.id AND ci.week < %s ORDER BY ci.week DESC LIMIT 1) "
        f"FROM {KeyResult._meta.db_table} kr "
        f"JOIN {Objective._meta.db_table} ob ON ob.id = kr.objective_id "
        f"JOIN {Cycle._meta.db_table} c ON c.id = ob.cycle_id "
        f"WHERE ob.team_id = %s AND ob.status <> %s AND kr.uuid IN ({placeholders}) "
        f"AND c.id = (SELECT c2.id FROM {Cycle._meta.db_table} c2 WHERE c2.organization_id = %s "
        "AND c2.phase IN (%s, %s) ORDER BY c2.starts_on DESC, c2.id DESC LIMIT 1) "
        f"ORDER BY kr.id {for_update}"
    )
    params = [
        connection.ops.adapt_datefield_value(before),
        team.pk,
        ObjectiveStatus.DROPPED.value,
        *(uuid_field.get_db_prep_value(u, connection) for u in uuids),
        team.organization_id,
        Phase.RUNNING.value,
        Phase.REFLECTING.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        key_result = _KEY_RESULT.build(row, 0, using)
        objective = _OBJECTIVE.build(row, len(_KEY_RESULT), using)
        cycle = _CYCLE.build(row, len(_KEY_RESULT) + len(_OBJECTIVE), using)
        assert key_result is not None and objective is not None and cycle is not None
        objective.cycle, objective.team = cycle, team
        key_result.objective, key_result.organization = objective, team.organization
        key_result.previous_confidence = row[-1]  # type: ignore[attr-defined]
        found.append(key_result)
    return found


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
    locked: bool = False,
) -> CheckIn:
    """Record the team's check-in for a key result; a second one in the same week updates it.

    Keeps the key result's derived current value and confidence consistent with its
    latest check-in, also under concurrent check-ins: the key result row is locked, so
    writers of the same key result take turns. Only `key_result.pk` is used — what the
    rules need is read again under the lock — unless `locked`: then `key_result` comes
    from lock_for_checkin() in the caller's transaction, which must roll back after a
    ValidationError (the check-in may be half written).
    """
    data = _CheckInData(value, confidence, on, note, problem, learning, indicator_values, signed_as)
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("record_checkin(locked=True) needs the caller's transaction")
        return _record_locked(key_result, data)
    with transaction.atomic():
        return _record_locked(_lock(key_result), data)


class _CheckInData(NamedTuple):
    value: Decimal | None
    confidence: int | None
    on: datetime.date | None
    note: str
    problem: str
    learning: str
    indicator_values: Mapping[LeadingIndicator, Decimal] | None
    signed_as: str


def _record_locked(key_result: KeyResult, data: _CheckInData) -> CheckIn:
    value, confidence = data.value, data.confidence
    _validate(key_result, value, confidence)
    assert value is not None and confidence is not None
    org = key_result.organization
    today = timezone.localdate()
    day = data.on or today
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
        note=data.note,
    )
    _save_indicator_values(
        checkin, key_result, data.indicator_values or {}, existed=existing is not None
    )
    signature = data.signed_as if org.attribution == Attribution.TEAM_AND_NAME else ""
    _save_problem(checkin, data.problem.strip(), signature, existing)
    _save_learning(checkin, data.learning.strip(), existing)
    newest = stored[0].checkin if stored else None
    _set_derived_by_update(key_result, newest if newest and newest.week > week else checkin)
    return checkin


class _Stored(NamedTuple):
    """A stored check-in with the ids of its problem (and the problem's text) and learning."""

    checkin: CheckIn
    problem_id: int | None
    problem_text: str | None
    learning_id: int | None


_CHECKIN = Columns(CheckIn)


def _stored_from(key_result: KeyResult, week: datetime.date) -> list[_Stored]:
    """This week's check-in and any later one, newest first, in one query under the lock:
    whether to insert or update, what it carries, and which check-in is the latest after.

    Ids, not select_related(): that would build a problem and a learning per row, and the
    problem or learning is needed only in the rare case that this week's check-in has one.
    By hand, as lock_for_checkin().
    """
    using = router.db_for_write(CheckIn)
    connection = connections[using]
    sql = (
        f"SELECT {_CHECKIN.select('ci')}, p.id, p.text, l.id "
        f"FROM {CheckIn._meta.db_table} ci "
        f"LEFT JOIN {Problem._meta.db_table} p ON p.checkin_id = ci.id "
        f"LEFT JOIN {Learning._meta.db_table} l ON l.checkin_id = ci.id "
        "WHERE ci.key_result_id = %s AND ci.week >= %s ORDER BY ci.week DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_result.pk, connection.ops.adapt_datefield_value(week)])
        rows = cursor.fetchall()
    n = len(_CHECKIN)
    return [_Stored(_CHECKIN.build(row, 0, using), *row[n:]) for row in rows]  # type: ignore[arg-type]


def _update(model: type[Model], pk: int, **values: object) -> None:
    """One row's UPDATE of `values` (by attribute name), by hand, as lock_for_checkin():
    no signals, like QuerySet.update()."""
    connection = connections[router.db_for_write(model)]
    quote, opts = connection.ops.quote_name, model._meta
    fields = {field.attname: field for field in opts.concrete_fields}
    sets = ", ".join(f"{quote(str(fields[name].column))} = %s" for name in values)
    params = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    where = f"{quote(str(fields['id'].column))} = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(opts.db_table)} SET {sets} WHERE {where}", [*params, pk])


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
    _update(CheckIn, checkin.pk, **{f: getattr(checkin, f) for f in changed})
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
    _update(
        KeyResult,
        key_result.pk,
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
