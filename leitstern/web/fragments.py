"""Cached fragments of the team page and the organisation home.

A fragment's key carries the team's and the organisation's page versions
(`leitstern.orgs.versions`), the language, the day (stale-check-in notes depend on it) and
what the viewer may do. A change bumps a version, so the next request renders afresh in
every app process — nothing is ever cleared by hand. The signal receivers below bump the
versions for every model shown in a fragment; services that write with `QuerySet.update()`
bump themselves. Only `post_save` is used for the large tables (check-ins, key results,
objectives): a `post_delete` receiver would stop Django from deleting them in bulk.
The keys themselves are built in `leitstern.orgs.versions` (other apps' views use them too).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from leitstern.accounts.models import Person
from leitstern.checkins.models import CheckIn, IndicatorValue, Problem
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.learning.models import Learning
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective
from leitstern.orgs.models import Membership, Organization, Team, TeamMembership
from leitstern.orgs.versions import (  # noqa: F401 - the keys, re-exported for web views
    FORMAT,
    RELEASE,
    bump_organization,
    bump_organizations,
    bump_team,
    cache,
    organization_key,
    team_key,
)

# --- who changed what ------------------------------------------------------------------------


def _cached(instance: Model, field: str) -> Any:
    """A related object the instance already holds, without a query; None otherwise."""
    return instance._state.fields_cache.get(field)


def _team_of_objective_id(objective_id: int | None, objective: Objective | None) -> int | None:
    if objective is not None:
        return objective.team_id
    if objective_id is None:
        return None
    return Objective.objects.filter(pk=objective_id).values_list("team_id", flat=True).first()


def _team_of_key_result(key_result: KeyResult) -> int | None:
    return _team_of_objective_id(key_result.objective_id, _cached(key_result, "objective"))


def _on_objective(instance: Objective, **kwargs: Any) -> None:
    bump_team(instance.team_id)


def _on_key_result(instance: KeyResult, **kwargs: Any) -> None:
    bump_team(_team_of_key_result(instance))


def _on_checkin(instance: CheckIn, **kwargs: Any) -> None:
    key_result = _cached(instance, "key_result")
    if key_result is not None:
        bump_team(_team_of_key_result(key_result))
    else:
        team_id = (
            KeyResult.objects.filter(pk=instance.key_result_id)
            .values_list("objective__team_id", flat=True)
            .first()
        )
        bump_team(team_id)


def _on_team_owned(instance: StrategyTime | HealthMetric, **kwargs: Any) -> None:
    bump_team(instance.team_id)


def _on_reading(instance: HealthReading, **kwargs: Any) -> None:
    metric = _cached(instance, "metric")
    if metric is None:
        metric = HealthMetric.objects.filter(pk=instance.metric_id).only("team_id").first()
    if metric is not None:
        bump_team(metric.team_id)


def _on_team_membership(instance: TeamMembership, **kwargs: Any) -> None:
    bump_team(instance.team_id)


def _moved(model: type[Model], field: str, team_of: str) -> Any:
    """A pre_save receiver: when `field` changes, bump the team the object leaves.

    post_save only sees the new team; an objective, key result or health metric moved
    elsewhere would otherwise stay on its old team's page. One query, and only for saves
    that may change `field` (check-ins save key results with update_fields: no query).
    """

    def receiver(instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if instance.pk is None or (update_fields is not None and field not in update_fields):
            return
        old = model._default_manager.filter(pk=instance.pk).values_list(team_of, flat=True)
        old_team = old.first()
        if old_team is None:
            return
        if team_of == f"{field}_id":
            new_team = getattr(instance, f"{field}_id")
        elif field == "objective":
            new_team = _team_of_key_result(instance)
        else:
            new_team = None
        if old_team != new_team:
            bump_team(old_team)

    return receiver


_moved_receivers = [
    (Objective, _moved(Objective, "team", "team_id")),
    (KeyResult, _moved(KeyResult, "objective", "objective__team_id")),
    (HealthMetric, _moved(HealthMetric, "team", "team_id")),
]


def _on_org_wide(instance: Cycle | Team | Membership, **kwargs: Any) -> None:
    # Cycles change every team's page; a team's name shows on its parent's and children's
    # pages; a removed membership leaves the member lists.
    bump_organization(instance.organization_id)


def _on_organization(instance: Organization, created: bool = False, **kwargs: Any) -> None:
    if not created:
        bump_organization(instance.pk)


def _on_person(instance: Person, update_fields: Any = None, **kwargs: Any) -> None:
    """Names show in member lists. Saves of other fields only (a sign-in's last_login) bump
    nothing; a full save bumps the person's organisations, harmlessly."""
    if update_fields is not None and not {"name", "email"} & set(update_fields):
        return
    if instance.pk is None or kwargs.get("created"):
        return
    bump_organizations(
        Membership.objects.filter(person=instance).values_list("organization_id", flat=True)
    )


def connect() -> None:
    for model, moved in _moved_receivers:
        pre_save.connect(moved, sender=model, dispatch_uid=f"fragments-moved-{model.__name__}")
    post_save.connect(_on_objective, sender=Objective, dispatch_uid="fragments-objective")
    post_save.connect(_on_key_result, sender=KeyResult, dispatch_uid="fragments-kr")
    post_save.connect(_on_checkin, sender=CheckIn, dispatch_uid="fragments-checkin")
    for owned in (StrategyTime, HealthMetric):
        post_save.connect(_on_team_owned, sender=owned, dispatch_uid=f"fragments-s-{owned}")
        post_delete.connect(_on_team_owned, sender=owned, dispatch_uid=f"fragments-d-{owned}")
    # No post_delete for readings: it would stop Django deleting a metric's readings in bulk;
    # readings go only with their metric, whose own delete bumps the team.
    post_save.connect(_on_reading, sender=HealthReading, dispatch_uid="fragments-s-reading")
    post_save.connect(_on_team_membership, sender=TeamMembership, dispatch_uid="fragments-tm")
    for wide in (Cycle, Team):
        post_save.connect(_on_org_wide, sender=wide, dispatch_uid=f"fragments-s-{wide}")
        post_delete.connect(_on_org_wide, sender=wide, dispatch_uid=f"fragments-d-{wide}")
    post_delete.connect(_on_org_wide, sender=Membership, dispatch_uid="fragments-d-membership")
    post_save.connect(_on_organization, sender=Organization, dispatch_uid="fragments-org")
    post_save.connect(_on_person, sender=Person, dispatch_uid="fragments-person")
    connect_details()


# --- the key-result page and the organisation home's frame -------------------------------------
# The key-result page (okrs/views.py) also shows the problem and learning of each check-in,
# the leading indicators and their values: rows that change without a check-in being saved
# (the API, an import). Only post_save, as above; they are deleted only with their check-in,
# key result or indicator, or by record_checkin, which bumps the team itself.


def _on_problem_or_learning(
    instance: Problem | Learning, update_fields: Any = None, **kwargs: Any
) -> None:
    # No query: whoever writes the text without a check-in (an import) also sets the team to
    # the key result's, and record_checkin bumps that team itself. A resolved problem or a
    # learning's hypothesis outcome is not on the key-result page.
    if instance.checkin_id is None or (update_fields is not None and "text" not in update_fields):
        return
    bump_team(instance.team_id)


def _on_indicator_value(instance: IndicatorValue, **kwargs: Any) -> None:
    checkin = _cached(instance, "checkin")
    key_result = _cached(checkin, "key_result") if checkin is not None else None
    if key_result is not None:
        bump_team(_team_of_key_result(key_result))
    else:
        checkins = CheckIn.objects.filter(pk=instance.checkin_id)
        bump_team(checkins.values_list("key_result__objective__team_id", flat=True).first())


def _on_indicator(instance: LeadingIndicator, **kwargs: Any) -> None:
    key_result = _cached(instance, "key_result")
    if key_result is not None:
        bump_team(_team_of_key_result(key_result))
    else:
        key_results = KeyResult.objects.filter(pk=instance.key_result_id)
        bump_team(key_results.values_list("objective__team_id", flat=True).first())


def _on_frame(instance: Frame | Moal, **kwargs: Any) -> None:
    bump_organization(instance.organization_id)


# An import may move an indicator to another key result: the old team's page must drop it.
_indicator_moved = _moved(LeadingIndicator, "key_result", "key_result__objective__team_id")


def connect_details() -> None:
    """Receivers for what only the key-result page and the organisation home's frame show."""
    pre_save.connect(_indicator_moved, sender=LeadingIndicator, dispatch_uid="fragments-moved-li")
    post_save.connect(_on_indicator, sender=LeadingIndicator, dispatch_uid="fragments-indicator")
    for detail in (Problem, Learning):
        uid = f"fragments-detail-{detail.__name__}"
        post_save.connect(_on_problem_or_learning, sender=detail, dispatch_uid=uid)
    post_save.connect(_on_indicator_value, sender=IndicatorValue, dispatch_uid="fragments-iv")
    for frame in (Frame, Moal):
        post_save.connect(_on_frame, sender=frame, dispatch_uid=f"fragments-s-{frame.__name__}")
        post_delete.connect(_on_frame, sender=frame, dispatch_uid=f"fragments-d-{frame.__name__}")
