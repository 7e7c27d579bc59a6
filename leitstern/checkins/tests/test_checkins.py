from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leitstern.checkins.models import CheckIn, HelpOffer, Problem, ProblemStatus
from leitstern.checkins.services import checkin_week, offer_help, record_checkin, resolve_problem
from leitstern.learning.models import Learning
from leitstern.okrs.models import LeadingIndicator, Phase
from leitstern.okrs.services import move_cycle
from leitstern.orgs.models import Attribution
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def checkin(world: f.World, value: str = "20", confidence: int = 6, **kw: object) -> CheckIn:
    return record_checkin(
        key_result=world.key_result, value=Decimal(value), confidence=confidence, **kw
    )  # type: ignore[arg-type]


def test_second_checkin_in_a_week_updates_instead_of_duplicating(world: f.World) -> None:
    checkin(world, "15", 5)
    checkin(world, "20", 7, note="better")
    assert CheckIn.objects.filter(key_result=world.key_result).count() == 1
    world.key_result.refresh_from_db()
    assert world.key_result.current_value == Decimal("20")
    assert world.key_result.current_confidence == 7
    assert world.key_result.progress().percent == 50


def test_derived_values_follow_the_latest_week(world: f.World) -> None:
    checkin(world, "25", 8)
    checkin(world, "12", 4, on=TODAY() - datetime.timedelta(days=14))  # an older week
    world.key_result.refresh_from_db()
    assert (world.key_result.current_value, world.key_result.current_confidence) == (25, 8)
    assert CheckIn.objects.count() == 2


@pytest.mark.parametrize("confidence", [-1, 11, None])
def test_confidence_outside_0_to_10_is_refused(world: f.World, confidence: int | None) -> None:
    with pytest.raises(ValidationError) as exc:
        checkin(world, confidence=confidence)  # type: ignore[arg-type]
    assert "0 to 10" in exc.value.messages[0]
    assert CheckIn.objects.count() == 0


def test_checkin_before_the_cycle_or_in_the_future_is_refused(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        checkin(world, on=world.cycle.starts_on - datetime.timedelta(days=1))
    assert "starts on" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        checkin(world, on=TODAY() + datetime.timedelta(days=1))
    assert "future" in exc.value.messages[0]


def test_late_checkins_count_for_the_last_week_within_the_grace_period(world: f.World) -> None:
    cycle = world.cycle
    last_monday = cycle.ends_on - datetime.timedelta(days=cycle.ends_on.weekday())
    late = cycle.ends_on + datetime.timedelta(days=3)
    assert checkin_week(cycle=cycle, day=late, late_days=7) == last_monday
    with pytest.raises(ValidationError) as exc:
        checkin_week(cycle=cycle, day=cycle.ends_on + datetime.timedelta(days=8), late_days=7)
    assert "late check-ins are accepted until" in exc.value.messages[0]


@pytest.mark.parametrize("phase", [Phase.PLANNING, Phase.CLOSED])
def test_no_checkins_while_planning_or_closed(world: f.World, phase: str) -> None:
    world.cycle.phase = phase
    world.cycle.save()
    with pytest.raises(ValidationError) as exc:
        checkin(world)
    assert "running or reflecting" in exc.value.messages[0]


def test_ordinal_checkin_takes_a_level(world: f.World) -> None:
    from leitstern.okrs.services import add_key_result

    kr = add_key_result(
        objective=world.objective,
        title="Partners trust us",
        kind="ordinal",
        target_level="Five partners use it",
    )
    with pytest.raises(ValidationError):
        record_checkin(key_result=kr, value=Decimal("7"), confidence=5)
    record_checkin(key_result=kr, value=Decimal("2"), confidence=5)
    kr.refresh_from_db()
    assert kr.progress().percent == 100


def test_problem_learning_and_indicator_values_belong_to_the_checkin(world: f.World) -> None:
    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=world.key_result, name="Trials"
    )
    c = checkin(
        world,
        problem="We lack data",
        learning="Users prefer Sundays",
        indicator_values={indicator: Decimal("4")},
    )
    problem = Problem.objects.get()
    assert (problem.team, problem.key_result, problem.checkin) == (world.team, world.key_result, c)
    assert problem.signed_as == ""  # attribution is team-only by default
    learning = Learning.objects.get()
    assert (learning.team, learning.cycle, learning.source) == (world.team, world.cycle, "checkin")
    assert c.indicator_values.get().value == 4
    checkin(world, problem="", learning="")  # emptied in the same week
    assert Problem.objects.count() == 0 and Learning.objects.count() == 0


def test_names_on_problems_only_when_the_organisation_asks(world: f.World) -> None:
    checkin(world, problem="Blocked", signed_as="Maria")
    assert Problem.objects.get().signed_as == ""
    Problem.objects.all().delete()
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    checkin(world, problem="Blocked", signed_as="Maria")
    assert Problem.objects.get().signed_as == "Maria"


def test_help_comes_from_other_teams_of_the_same_organisation(world: f.World) -> None:
    checkin(world, problem="We lack data")
    problem = Problem.objects.get()
    with pytest.raises(ValidationError) as exc:
        offer_help(problem=problem, team=world.team, message="We help ourselves")
    assert "own team" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        offer_help(problem=problem, team=world.foreign_objective.team, message="Hi")
    with pytest.raises(ValidationError):
        offer_help(problem=problem, team=world.other_team, message="  ")
    offer_help(problem=problem, team=world.other_team, message="We have the data")
    checkin(world, problem="")  # help was offered: the problem stays visible
    assert Problem.objects.filter(pk=problem.pk).exists()
    resolve_problem(problem=problem)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED
    with pytest.raises(ValidationError):
        offer_help(problem=problem, team=world.other_team, message="Too late")
    assert HelpOffer.objects.count() == 1


def test_reflecting_cycle_still_accepts_checkins(world: f.World) -> None:
    move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    assert checkin(world).pk is not None


def test_a_second_checkin_edits_its_problem_learning_and_indicator_values_in_place(
    world: f.World,
) -> None:
    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=world.key_result, name="Trials"
    )
    first = checkin(
        world, problem="No data", learning="Ask early", indicator_values={indicator: Decimal("4")}
    )
    problem, learning = Problem.objects.get(), Learning.objects.get()
    second = checkin(
        world, problem="Still no data", learning="Ask earlier", indicator_values={indicator: 5}
    )
    assert second.pk == first.pk
    assert Problem.objects.get().pk == problem.pk and Problem.objects.get().text == "Still no data"
    assert Learning.objects.get().pk == learning.pk and Learning.objects.get().text == "Ask earlier"
    assert [v.value for v in first.indicator_values.all()] == [Decimal("5")]


def test_correcting_an_earlier_week_keeps_the_latest_week_derived(world: f.World) -> None:
    two_weeks_ago = TODAY() - datetime.timedelta(weeks=2)
    checkin(world, "12", 4, on=two_weeks_ago)
    checkin(world, "25", 8)
    corrected = checkin(world, "13", 3, on=two_weeks_ago)
    assert (corrected.value, corrected.confidence) == (Decimal("13"), 3)
    world.key_result.refresh_from_db()
    assert (world.key_result.current_value, world.key_result.current_confidence) == (25, 8)
    assert world.key_result.last_checkin_on == TODAY()


def test_recording_costs_the_same_queries_however_long_the_history(
    world: f.World, django_assert_num_queries: Any
) -> None:
    fresh = f.key_result(world.objective, "Fresh")
    for weeks_ago in range(1, 5):
        f.checkin(world.key_result, str(10 + weeks_ago), 6, weeks_ago=weeks_ago)
    # savepoint, lock, this week and later, insert, key result, release
    for key_result in (fresh, world.key_result):
        with django_assert_num_queries(6):
            f.checkin(key_result, "20", 6)
        with django_assert_num_queries(6):  # the same week again: an update
            f.checkin(key_result, "21", 6)


def test_an_updated_checkin_is_returned_as_it_is_stored(world: f.World) -> None:
    """The update reads only some columns; the others load on demand, never stale."""
    first = checkin(world, "15", 5, note="first")
    second = checkin(world, "20", 7, note=" better ")
    stored = CheckIn.objects.get()
    assert (second.pk, second.uuid, second.created_at) == (first.pk, first.uuid, first.created_at)
    assert (second.value, second.confidence, second.note) == (Decimal("20"), 7, "better")
    assert second.updated_at == stored.updated_at > first.updated_at
    assert second.key_result.current_value == Decimal("20")  # read after the update


def test_editing_a_key_result_keeps_a_checkin_committed_since_it_was_read(
    world: f.World,
) -> None:
    from leitstern.okrs.models import KeyResult
    from leitstern.okrs.services import update_key_result

    # The edit form read the key result before a teammate's check-in landed.
    read_before = KeyResult.objects.select_related("objective__cycle").get(pk=world.key_result.pk)
    checkin(world, "30", 9)
    update_key_result(key_result=read_before, title="Weekly active teams")
    stored = KeyResult.objects.get(pk=world.key_result.pk)
    assert stored.title == "Weekly active teams"
    assert (stored.current_value, stored.current_confidence) == (Decimal("30"), 9)
    assert stored.last_checkin_on is not None


def test_changing_an_indicator_value_costs_one_update_and_no_lookup(world: f.World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=world.key_result, name="Trials"
    )
    checkin(world, indicator_values={indicator: Decimal("3")})
    with CaptureQueriesContext(connection) as same:
        checkin(world, indicator_values={indicator: Decimal("3")})
    with CaptureQueriesContext(connection) as changed:
        checkin(world, indicator_values={indicator: Decimal("4")})
    # The same statements plus the value's UPDATE; no query to find the team to refresh.
    assert len(changed) == len(same) + 1
    assert any(
        q["sql"].startswith('UPDATE "checkins_indicatorvalue"') for q in changed.captured_queries
    )
