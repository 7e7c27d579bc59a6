"""Saving the weekly check-in: the key results are found and locked in one statement, the
rows of a late check-in compare against the right earlier week, and simultaneous posts of the
form keep one check-in with the derived values of the last writer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leitstern.checkins.models import CheckIn
from leitstern.checkins.services import record_checkin
from leitstern.okrs.models import KeyResult, Phase
from leitstern.tests import factories as f

CONFIDENCE_DROP = "What changed? One sentence helps the others understand."


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def url(world: f.World) -> str:
    return f"/o/acme/teams/{world.team.slug}/check-in/"


def row(kr: KeyResult, **values: Any) -> dict[str, Any]:
    return {f"kr-{kr.uuid}-{name}": value for name, value in values.items()}


def _reflecting_since_last_sunday(world: f.World) -> datetime.date:
    """The cycle ended last Sunday and reflects; late check-ins count for its last week,
    whose Monday this returns."""
    today = timezone.localdate()
    world.cycle.ends_on = today - datetime.timedelta(days=today.weekday() + 1)
    world.cycle.phase = Phase.REFLECTING
    world.cycle.save()
    world.org.late_checkin_days = 7
    world.org.save()
    return world.cycle.ends_on - datetime.timedelta(days=6)


@pytest.mark.django_db
def test_a_late_checkin_compares_confidence_with_the_week_before_the_cycles_last(
    client: Client, world: f.World
) -> None:
    last_week = _reflecting_since_last_sunday(world)
    kr = world.key_result
    record_checkin(
        key_result=kr, value=Decimal(12), confidence=8, on=last_week - datetime.timedelta(weeks=1)
    )
    record_checkin(key_result=kr, value=Decimal(13), confidence=3, on=last_week)
    c = as_(client, world.member)
    # Counted for the cycle's last week: compared with the week before it (8), not with
    # the last week's own check-in (3), the confidence dropped.
    page = c.post(url(world), row(kr, value="14", confidence="5"))
    assert page.status_code == 200 and CONFIDENCE_DROP in page.text
    assert CheckIn.objects.get(key_result=kr, week=last_week).value == Decimal(13)
    saved = c.post(url(world), row(kr, value="14", confidence="5", note="Lost a pilot"))
    assert saved.status_code == 302
    stored = CheckIn.objects.get(key_result=kr, week=last_week)
    assert (stored.value, stored.confidence, stored.note) == (Decimal(14), 5, "Lost a pilot")
    kr.refresh_from_db()
    assert (kr.current_value, kr.current_confidence) == (Decimal(14), 5)


@pytest.mark.django_db
def test_updating_this_weeks_row_costs_no_more_queries_than_saving_it(
    client: Client, world: f.World, django_assert_num_queries: Any
) -> None:
    f.checkin(world.key_result, "11", 6)
    c = as_(client, world.member)
    data = row(world.key_result, value="17", confidence="6")
    # session, person, membership with the team; savepoint, the key result locked (with
    # its cycle and previous confidence), this week on, update, key result, release
    with django_assert_num_queries(9):
        assert c.post(url(world), data).status_code == 302
    assert CheckIn.objects.get(key_result=world.key_result).value == Decimal("17")


@pytest.mark.django_db
def test_a_key_result_of_another_team_or_a_dropped_objective_is_not_saved(
    client: Client, world: f.World
) -> None:
    other = f.key_result(f.objective(world.other_team, world.cycle, "Not ours"), "Theirs")
    dropped = f.key_result(f.objective(world.team, world.cycle, "Dropped", status="dropped"))
    c = as_(client, world.member)
    for kr in (other, dropped):
        page = c.post(url(world), row(kr, value="14", confidence="5"))
        assert page.status_code == 200
    assert not CheckIn.objects.exists()
