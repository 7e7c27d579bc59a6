from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitstern.lib.progress import metric_progress, ordinal_progress
from leitstern.okrs.models import Cycle, KeyResult, KeyResultKind, Phase
from leitstern.okrs.services import add_key_result
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_baseline_equal_to_target_is_refused_with_explanation(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        f.key_result(world.objective, "Stays flat", baseline="5", target="5")
    assert "health metrics" in messages(exc)
    assert KeyResult.objects.filter(title="Stays flat").count() == 0


def test_metric_key_result_needs_baseline_and_target(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        add_key_result(objective=world.objective, title="No numbers", unit="%")
    assert "baseline and a target" in messages(exc)


def test_ordinal_key_result_needs_a_target_level_in_words(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        add_key_result(objective=world.objective, title="Trust", kind=KeyResultKind.ORDINAL)
    assert "target level" in messages(exc)
    kr = add_key_result(
        objective=world.objective,
        title="Trust",
        kind=KeyResultKind.ORDINAL,
        commit_level="Two partners try it",
        target_level="Five use it",
        stretch_level="They recommend it",
    )
    assert kr.progress().ratio is None


def test_cycles_of_one_organisation_may_not_overlap(world: f.World) -> None:
    clash = Cycle(
        organization=world.org,
        name="Clash",
        starts_on=world.cycle.ends_on,
        ends_on=world.cycle.ends_on + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "overlaps" in messages(exc) and world.cycle.name in messages(exc)
    # another organisation's calendar is independent
    Cycle(
        organization=f.organization(),
        name="Clash",
        starts_on=world.cycle.starts_on,
        ends_on=world.cycle.ends_on,
    ).full_clean()


def test_cycle_must_end_after_it_starts(world: f.World) -> None:
    day = datetime.date(2031, 1, 1)
    with pytest.raises(ValidationError) as exc:
        Cycle(organization=world.org, name="Back", starts_on=day, ends_on=day).full_clean()
    assert "end after it starts" in messages(exc)


def test_team_cannot_be_its_own_ancestor(world: f.World) -> None:
    child = f.team(world.org, "Child", parent=world.team)
    world.team.parent = child
    with pytest.raises(ValidationError) as exc:
        world.team.full_clean()
    assert "inside itself" in messages(exc)


def test_objective_cannot_use_a_team_of_another_organisation(world: f.World) -> None:
    foreign_team = world.foreign_objective.team
    with pytest.raises(ValidationError) as exc:
        f.objective(foreign_team, world.cycle)
    assert "another organisation" in messages(exc)


def test_confidence_is_limited_by_the_database_too(world: f.World) -> None:
    world.key_result.current_confidence = 11
    with pytest.raises(ValidationError) as exc:
        world.key_result.full_clean()
    assert "0 to 10" in messages(exc)


@pytest.mark.parametrize(
    ("baseline", "target", "current", "percent", "over"),
    [
        ("10", "30", "20", 50, 0),  # increasing metric, half way
        ("10", "30", "5", 0, 0),  # moved away: clamped at 0
        ("10", "30", "40", 100, 50),  # over-achievement stated separately
        ("24", "10", "17", 50, 0),  # decreasing metric works the same way
        ("24", "10", "8", 100, 14),
        ("24", "10", "30", 0, 0),
    ],
)
def test_progress_of_increasing_and_decreasing_metrics(
    baseline: str, target: str, current: str, percent: int, over: int
) -> None:
    progress = metric_progress(Decimal(baseline), Decimal(target), Decimal(current))
    assert (progress.percent, progress.over_percent) == (percent, over)


def test_progress_without_checkin_is_unknown_not_zero() -> None:
    progress = metric_progress(Decimal(1), Decimal(2), None)
    assert progress.known is False and progress.percent is None


def test_ordinal_progress_levels() -> None:
    assert [ordinal_progress(level).percent for level in range(4)] == [0, 50, 100, 100]
    assert ordinal_progress(3).over_percent == 50


def test_phase_choices_are_in_lifecycle_order() -> None:
    assert [p.value for p in Phase] == ["planning", "running", "reflecting", "closed"]
