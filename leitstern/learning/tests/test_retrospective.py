from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitstern.learning.models import Learning, Retrospective
from leitstern.learning.services import write_retrospective
from leitstern.okrs.models import HypothesisStatus, Phase
from leitstern.okrs.services import move_cycle
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def test_retrospective_waits_for_the_reflecting_phase(world: f.World) -> None:
    with pytest.raises(ValidationError) as exc:
        write_retrospective(objective=world.objective, what_held="x")
    assert "reflecting" in exc.value.messages[0]
    assert Retrospective.objects.count() == 0


def test_refuted_hypothesis_becomes_a_learning(world: f.World) -> None:
    move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    kr = world.key_result
    retro = write_retrospective(
        objective=world.objective,
        what_refuted="Videos do not help",
        self_assessment=Decimal("0.3"),
        hypotheses={kr: (HypothesisStatus.REFUTED, "People skip videos; examples work.")},
        learnings=["Ask customers earlier"],
    )
    kr.refresh_from_db()
    assert kr.hypothesis_status == HypothesisStatus.REFUTED
    outcomes = sorted(Learning.objects.values_list("hypothesis_outcome", flat=True))
    assert outcomes == ["", "refuted"]
    # rewriting is idempotent: no duplicate learnings
    write_retrospective(
        objective=world.objective,
        self_assessment=Decimal("0.3"),
        hypotheses={kr: (HypothesisStatus.REFUTED, "People skip videos; examples work.")},
        learnings=["Ask customers earlier"],
    )
    assert Learning.objects.count() == 2
    assert Retrospective.objects.get() == retro


def test_self_assessment_and_status_are_validated(world: f.World) -> None:
    move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    with pytest.raises(ValidationError) as exc:
        write_retrospective(objective=world.objective, self_assessment=Decimal("1.5"))
    assert "0.0 to 1.0" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        write_retrospective(objective=world.objective, hypotheses={world.key_result: ("great", "")})
    assert Retrospective.objects.count() == 0
