from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from leitstern.frame.models import Moal
from leitstern.okrs.models import Objective, ObjectiveStatus, Phase
from leitstern.okrs.services import align, carry_over, commit_objectives, move_cycle
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def test_phases_move_forward_one_step_at_a_time(world: f.World) -> None:
    cycle = f.cycle(world.org, phase=Phase.PLANNING, weeks_ago=-20)
    with pytest.raises(ValidationError) as exc:
        move_cycle(cycle=cycle, to=Phase.RUNNING, by=world.facilitator)
    assert "one cycle runs at a time" in exc.value.messages[0]
    move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    with pytest.raises(ValidationError) as exc:
        move_cycle(cycle=cycle, to=Phase.CLOSED, by=world.facilitator)
    assert "one step at a time" in exc.value.messages[0]
    for phase in (Phase.RUNNING, Phase.REFLECTING, Phase.CLOSED):
        move_cycle(cycle=cycle, to=phase, by=world.facilitator)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.CLOSED


def test_only_facilitators_move_and_reopen_cycles(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.member)
    assert "facilitators" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        move_cycle(cycle=world.cycle, to=Phase.PLANNING, by=world.outsider)
    move_cycle(cycle=world.cycle, to=Phase.PLANNING, by=world.facilitator)  # reopen
    world.cycle.refresh_from_db()
    assert world.cycle.phase == Phase.PLANNING
    for phase in (Phase.RUNNING, Phase.REFLECTING, Phase.CLOSED):
        move_cycle(cycle=world.cycle, to=phase, by=world.facilitator)
    with pytest.raises(ValidationError) as exc:
        move_cycle(cycle=world.cycle, to=Phase.RUNNING, by=world.facilitator)
    assert "one phase at a time" in exc.value.messages[0]


def test_alignment_loops_are_refused(world: f.World) -> None:
    b = f.objective(world.other_team, world.cycle, "B")
    c = f.objective(world.team, world.cycle, "C")
    align(objective=world.objective, contributes_to=[b])
    align(objective=b, contributes_to=[c])
    with pytest.raises(ValidationError) as exc:
        align(objective=c, contributes_to=[world.objective])
    assert "loop" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        align(objective=c, contributes_to=[c])
    assert list(c.contributes_to.all()) == []


def test_alignment_stays_inside_the_organisation(world: f.World) -> None:
    foreign_moal = Moal.objects.create(organization=world.other_org, title="Theirs")
    with pytest.raises(ValidationError):
        align(objective=world.objective, moals=[foreign_moal])
    with pytest.raises(ValidationError):
        align(objective=world.objective, contributes_to=[world.foreign_objective])
    mine = Moal.objects.create(organization=world.org, title="Ours")
    align(objective=world.objective, moals=[mine])
    assert list(world.objective.moals.all()) == [mine]


def test_objective_limit_per_team_and_cycle(world: f.World) -> None:
    world.org.max_objectives_per_team = 2
    world.org.save()
    f.objective(world.team, world.cycle, "Second")
    with pytest.raises(ValidationError) as exc:
        f.objective(world.team, world.cycle, "Third")
    assert "limit" in exc.value.messages[0]
    assert Objective.objects.of_team(world.team).count() == 2


def test_key_result_limit_per_objective(world: f.World) -> None:
    world.org.max_key_results_per_objective = 1
    world.org.save()
    with pytest.raises(ValidationError) as exc:
        f.key_result(world.objective, "Another")
    assert "limit" in exc.value.messages[0]


def test_team_commits_its_drafts_together(world: f.World) -> None:
    empty = f.objective(world.team, world.cycle, "No key results yet")
    with pytest.raises(ValidationError) as exc:
        commit_objectives(team=world.team, cycle=world.cycle)
    assert empty.title in exc.value.messages[0]
    f.key_result(empty)
    assert commit_objectives(team=world.team, cycle=world.cycle) == 2
    world.objective.refresh_from_db()
    assert world.objective.status == ObjectiveStatus.COMMITTED
    assert world.objective.committed_at is not None


def test_closed_cycle_takes_no_new_objectives(world: f.World) -> None:
    for phase in (Phase.REFLECTING, Phase.CLOSED):
        move_cycle(cycle=world.cycle, to=phase, by=world.facilitator)
    with pytest.raises(ValidationError) as exc:
        f.objective(world.team, world.cycle, "Late idea")
    assert "closed" in exc.value.messages[0]


def test_carry_over_copies_key_results_and_links_history(world: f.World) -> None:
    later = f.cycle(world.org, phase=Phase.PLANNING, weeks_ago=-10, name="Next")
    copy = carry_over(objective=world.objective, to_cycle=later)
    assert copy.carried_over_from == world.objective
    assert [kr.title for kr in copy.key_results.all()] == [world.key_result.title]
    with pytest.raises(ValidationError):
        carry_over(objective=copy, to_cycle=world.cycle)
