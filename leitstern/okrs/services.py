"""Workflows around cycles, objectives and key results, shared by views, API and commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.frame.models import Moal
from leitstern.okrs.models import (
    PHASE_ORDER,
    Contribution,
    Cycle,
    KeyResult,
    Objective,
    ObjectiveStatus,
    Phase,
    Revision,
)
from leitstern.orgs.models import Membership, Role, Team
from leitstern.orgs.versions import bump_team


def move_cycle(*, cycle: Cycle, to: Phase | str, by: Membership) -> Cycle:
    """Move a cycle to another phase: forward one step, or back if `by` may reopen.

    Facilitators and admins move cycles; only they may reopen (move backwards).
    """
    target = Phase(to)
    if not by.has_role(Role.FACILITATOR) or by.organization_id != cycle.organization_id:
        raise ValidationError(_("Only facilitators and admins move a cycle through its phases."))
    current, wanted = cycle.phase_index(), PHASE_ORDER.index(target)
    if wanted == current:
        raise ValidationError(_("The cycle is already in this phase."))
    if wanted < current - 1:
        raise ValidationError(
            _("Reopen one phase at a time; from here the cycle goes back to %(previous)s.")
            % {"previous": PHASE_ORDER[current - 1].label}
        )
    others = Cycle.objects.filter(organization_id=cycle.organization_id).exclude(pk=cycle.pk)
    if target == Phase.RUNNING and others.filter(phase=Phase.RUNNING).exists():
        raise ValidationError(
            _("Another cycle is running. Move it on to reflecting first: one cycle runs at a time.")
        )
    if wanted > current + 1:
        raise ValidationError(
            _(
                "Phases go one step at a time: planning → running → reflecting → closed. "
                "Next step from here: %(next)s."
            )
            % {"next": PHASE_ORDER[current + 1].label}
        )
    cycle.phase = target
    cycle.full_clean()
    cycle.save(update_fields=["phase", "updated_at"])
    return cycle


def _require_open_cycle(cycle: Cycle) -> None:
    if cycle.phase == Phase.CLOSED:
        raise ValidationError(
            _("The cycle “%(name)s” is closed. A facilitator can reopen it.") % {"name": cycle.name}
        )


def _take_turns(model: type[Team] | type[Objective], pk: int) -> None:
    # Lock the parent row until the transaction ends, so two creates count their siblings one
    # after the other and cannot both slip under a limit. FOR NO KEY UPDATE and only this row:
    # rows that merely point at it (check-ins, metrics) are still written meanwhile. SQLite
    # ignores the lock; its IMMEDIATE transactions let only one writer in at a time anyway.
    model.objects.select_for_update(no_key=True, of=("self",)).filter(pk=pk).values("pk").get()


@transaction.atomic
def add_objective(*, team: Team, cycle: Cycle, title: str, **fields: Any) -> Objective:
    """Create a draft objective for a team, within the organisation's limit per cycle.

    Simultaneous creates for one team take turns, so the limit holds under concurrency.
    """
    _require_open_cycle(cycle)
    _take_turns(Team, team.pk)
    org = team.organization
    count = Objective.objects.in_cycle(cycle).of_team(team).live().count()
    if count >= org.max_objectives_per_team:
        raise ValidationError(
            _(
                "%(team)s already has %(count)s objectives in this cycle, the organisation's "
                "limit. Focus helps: drop or merge one first."
            )
            % {"team": team.name, "count": count}
        )
    objective = Objective(organization=org, team=team, cycle=cycle, title=title.strip(), **fields)
    objective.position = count
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def add_key_result(*, objective: Objective, title: str, **fields: Any) -> KeyResult:
    """Create a key result (outcome hypothesis), within the organisation's limit.

    Simultaneous creates for one objective take turns, so the limit holds under concurrency.
    """
    _require_open_cycle(objective.cycle)
    _take_turns(Objective, objective.pk)
    limit = objective.team.organization.max_key_results_per_objective
    count = objective.key_results.count()
    if count >= limit:
        raise ValidationError(
            _("This objective already has %(count)s key results, the organisation's limit.")
            % {"count": count}
        )
    key_result = KeyResult(
        organization_id=objective.organization_id,
        objective=objective,
        title=title.strip(),
        **fields,
    )
    key_result.position = count
    key_result.full_clean(exclude=["current_value", "current_confidence", "last_checkin_on"])
    key_result.save()
    return key_result


@transaction.atomic
def commit_objectives(*, team: Team, cycle: Cycle) -> int:
    """The team commits its draft objectives of a cycle together; records the date."""
    _require_open_cycle(cycle)
    drafts = Objective.objects.in_cycle(cycle).of_team(team).filter(status=ObjectiveStatus.DRAFT)
    without_kr = [
        o.title for o in drafts.prefetch_related("key_results") if not o.key_results.all()
    ]
    if without_kr:
        raise ValidationError(
            _("Give each objective at least one key result before committing: %(titles)s")
            % {"titles": ", ".join(without_kr)}
        )
    bump_team(team.pk)
    return drafts.update(status=ObjectiveStatus.COMMITTED, committed_at=timezone.now())


def _reaches(start: Objective, goal_id: int, edges: dict[int, list[int]]) -> bool:
    stack, seen = [start.pk], set()
    while stack:
        node = stack.pop()
        if node == goal_id:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    return False


@transaction.atomic
def align(
    *,
    objective: Objective,
    moals: Iterable[Moal] = (),
    contributes_to: Iterable[Objective] = (),
) -> None:
    """Set what an objective contributes to: MOALs and other objectives, without loops."""
    moals, targets = list(moals), list(contributes_to)
    org_id = objective.organization_id
    if any(m.organization_id != org_id for m in moals) or any(
        t.organization_id != org_id for t in targets
    ):
        raise ValidationError(_("Objectives contribute only within their own organisation."))
    edges: dict[int, list[int]] = {}
    rows = Contribution.objects.filter(organization_id=org_id).exclude(source=objective)
    for source_id, target_id in rows.values_list("source_id", "target_id"):
        edges.setdefault(source_id, []).append(target_id)
    for target in targets:
        if target.pk == objective.pk or _reaches(target, objective.pk, edges):
            raise ValidationError(
                _(
                    "“%(target)s” already contributes to “%(objective)s”, directly or through "
                    "others; a contribution back would make a loop."
                )
                % {"target": target.title, "objective": objective.title}
            )
    objective.moals.set(moals)
    Contribution.objects.filter(source=objective).delete()
    Contribution.objects.bulk_create(
        Contribution(organization_id=org_id, source=objective, target=t) for t in targets
    )


@transaction.atomic
def carry_over(*, objective: Objective, to_cycle: Cycle) -> Objective:
    """Copy an objective and its key results into the next cycle, linking the history."""
    if to_cycle.organization_id != objective.organization_id:
        raise ValidationError(_("Objectives move only between cycles of one organisation."))
    if to_cycle.starts_on <= objective.cycle.starts_on:
        raise ValidationError(_("Carry objectives forward into a later cycle."))
    copy = add_objective(
        team=objective.team,
        cycle=to_cycle,
        title=objective.title,
        why=objective.why,
        open_questions=objective.open_questions,
        kind=objective.kind,
        carried_over_from=objective,
    )
    for kr in objective.key_results.all():
        start = kr.current_value if kr.is_metric and kr.current_value is not None else kr.baseline
        if kr.is_metric and start == kr.target:
            start = kr.baseline
        add_key_result(
            objective=copy,
            title=kr.title,
            hypothesis=kr.hypothesis,
            kind=kr.kind,
            unit=kr.unit,
            baseline=start,
            target=kr.target,
            commit_level=kr.commit_level,
            target_level=kr.target_level,
            stretch_level=kr.stretch_level,
        )
    copy.moals.set(objective.moals.all())
    return copy


OBJECTIVE_WORDING = ("title", "why", "open_questions", "kind")
KEY_RESULT_WORDING = (
    "title",
    "hypothesis",
    "unit",
    "baseline",
    "target",
    "commit_level",
    "target_level",
    "stretch_level",
)


def _differs(old: Any, new: Any) -> bool:
    empty = (None, "")
    if old in empty and new in empty:
        return False
    return bool(old != new)


def _record_revisions(
    obj: Objective | KeyResult, fields: tuple[str, ...], changes: dict[str, Any]
) -> list[Revision]:
    objective = obj if isinstance(obj, Objective) else obj.objective
    revisions = []
    for field, value in changes.items():
        old = getattr(obj, field)
        if field in fields and obj.pk and _differs(old, value):
            revisions.append(
                Revision(
                    organization_id=obj.organization_id,
                    team_id=objective.team_id,
                    objective=objective,
                    key_result=obj if isinstance(obj, KeyResult) else None,
                    field=field,
                    old="" if old is None else str(old),
                    new="" if value is None else str(value),
                )
            )
        setattr(obj, field, value)
    return revisions


@transaction.atomic
def update_objective(*, objective: Objective, **changes: Any) -> Objective:
    """Change an objective; wording changes of a committed objective are kept as history."""
    _require_open_cycle(objective.cycle)
    revisions = _record_revisions(objective, OBJECTIVE_WORDING, changes)
    objective.full_clean()
    objective.save()
    if objective.status != ObjectiveStatus.DRAFT:
        Revision.objects.bulk_create(revisions)
    return objective


# Written only by check-ins (checkins/services.py), under the key result's row lock.
CHECKIN_DERIVED = ("current_value", "current_confidence", "last_checkin_on")


@transaction.atomic
def update_key_result(*, key_result: KeyResult, **changes: Any) -> KeyResult:
    """Change a key result; wording changes after commitment are kept as history."""
    _require_open_cycle(key_result.objective.cycle)
    kind = changes.get("kind", key_result.kind)
    if kind != key_result.kind and key_result.checkins.exists():  # type: ignore[attr-defined]
        raise ValidationError(
            {
                "kind": _(
                    "This key result has check-ins, so its kind stays as it is. Write a new "
                    "key result for the other kind."
                )
            }
        )
    revisions = _record_revisions(key_result, KEY_RESULT_WORDING, changes)
    key_result.full_clean(exclude=list(CHECKIN_DERIVED))
    # Never the values check-ins derive: a check-in committed since this key result was read
    # would be overwritten with the stale ones read before it.
    key_result.save(
        update_fields=[
            field.name
            for field in KeyResult._meta.concrete_fields
            if not field.primary_key and field.name not in CHECKIN_DERIVED
        ]
    )
    if key_result.objective.status != ObjectiveStatus.DRAFT:
        Revision.objects.bulk_create(revisions)
    return key_result


def drop_objective(*, objective: Objective) -> Objective:
    """Drop an objective: it stays visible in the history, it just no longer counts."""
    _require_open_cycle(objective.cycle)
    objective.status = ObjectiveStatus.DROPPED
    objective.save(update_fields=["status", "updated_at"])
    return objective


def create_cycle(
    *, organization: Any, name: str, starts_on: Any, ends_on: Any, by: Membership
) -> Cycle:
    """Facilitators plan a new cycle; it starts in the planning phase."""
    if not by.has_role(Role.FACILITATOR):
        raise ValidationError(_("Only facilitators and admins plan cycles."))
    cycle = Cycle(
        organization=organization, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    cycle.full_clean()
    cycle.save()
    return cycle
