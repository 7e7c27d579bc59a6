"""The retrospective page: closing each hypothesis, learnings, self-assessment."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from leitstern.learning.models import Learning, Retrospective
from leitstern.learning.services import write_retrospective
from leitstern.okrs.models import HypothesisStatus, KeyResult, Phase
from leitstern.orgs.models import Role
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def url(objective: Any) -> str:
    return f"/o/acme/objectives/{objective.uuid}/retrospective/"


def reflect(world: f.World) -> None:
    world.cycle.phase = Phase.REFLECTING
    world.cycle.save()


def hyp(kr: KeyResult, outcome: str, evidence: str = "") -> dict[str, str]:
    return {f"kr-{kr.uuid}-outcome": outcome, f"kr-{kr.uuid}-evidence": evidence}


def test_running_cycle_explains_when_retrospectives_happen(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    assert "written when the cycle is reflecting" in c.get(url(world.objective)).text
    response = c.post(
        url(world.objective), {"what_held": "x", **hyp(world.key_result, "supported")}
    )
    assert response.status_code == 302
    assert Retrospective.objects.count() == 0


def test_refuted_with_a_learning_is_celebrated(client: Client, world: f.World) -> None:
    reflect(world)
    c = as_(client, world.member)
    page = c.get(url(world.objective)).text
    assert f'name="kr-{world.key_result.uuid}-outcome"' in page and "self-assessment" in page
    data = {
        **hyp(world.key_result, "refuted", "People skip videos; examples work."),
        "what_held": "Onboarding matters",
        "learnings": "Ask customers earlier\n\n  Pair with support  ",
        "self_assessment": "0.4",
    }
    response = c.post(url(world.objective), data, follow=True)
    assert "Refuted with a learning — that is the system working." in response.text
    world.key_result.refresh_from_db()
    assert world.key_result.hypothesis_status == HypothesisStatus.REFUTED
    texts = set(Learning.objects.values_list("text", flat=True))
    assert texts == {
        "People skip videos; examples work.",
        "Ask customers earlier",
        "Pair with support",
    }
    assert Retrospective.objects.get().self_assessment == Decimal("0.4")
    # the written retrospective reads back for everyone
    assert "Onboarding matters" in response.text and "Pair with support" in response.text
    assert "never added up or compared across teams" in response.text


def test_supported_hypotheses_get_a_plain_confirmation(client: Client, world: f.World) -> None:
    reflect(world)
    response = as_(client, world.member).post(
        url(world.objective), hyp(world.key_result, "supported", "It worked"), follow=True
    )
    assert "Retrospective saved." in response.text
    assert "that is the system working" not in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"self_assessment": "1.5"}, "less than or equal to 1"),
        ({"self_assessment": "abc"}, "Enter a number."),
        ({"outcome": ""}, "Choose supported, refuted or inconclusive"),
        ({"outcome": "great"}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_inline_errors_and_saves_nothing(
    client: Client, world: f.World, data: dict[str, str], message: str
) -> None:
    reflect(world)
    outcome = data.pop("outcome", "refuted")
    post = {**hyp(world.key_result, outcome, "evidence"), "learnings": "A learning", **data}
    response = as_(client, world.member).post(url(world.objective), post)
    assert response.status_code == 200 and message in response.text
    assert "Nothing was saved yet" in response.text
    assert Retrospective.objects.count() == 0 and Learning.objects.count() == 0
    world.key_result.refresh_from_db()
    assert world.key_result.hypothesis_status == HypothesisStatus.UNTESTED


def test_editing_prefills_and_replaces_old_learnings(client: Client, world: f.World) -> None:
    reflect(world)
    write_retrospective(
        objective=world.objective,
        what_held="Held",
        hypotheses={world.key_result: ("inconclusive", "Too few users")},
        learnings=["Old learning"],
    )
    c = as_(client, world.member)
    page = c.get(url(world.objective)).text
    assert "Edit the retrospective" in page and "Too few users" in page
    form = c.get(url(world.objective), {"edit": 1}).text
    assert "Old learning" in form
    assert re.search(r'value="inconclusive"[^>]*checked', form)
    data = {**hyp(world.key_result, "supported", "Enough users"), "learnings": "New learning"}
    c.post(url(world.objective), data)
    texts = set(Learning.objects.values_list("text", flat=True))
    assert texts == {"Enough users", "New learning"}


def test_other_teams_read_but_do_not_write(client: Client, world: f.World) -> None:
    reflect(world)
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    c = as_(client, beta)
    assert "has not written this retrospective yet" in c.get(url(world.objective)).text
    response = c.post(url(world.objective), hyp(world.key_result, "supported"))
    assert response.status_code == 403 and Retrospective.objects.count() == 0
    write_retrospective(objective=world.objective, what_held="Held together")
    page = c.get(url(world.objective)).text
    assert "Held together" in page and "Edit the retrospective" not in page
    assert 'name="what_held"' not in c.get(url(world.objective), {"edit": 1}).text


def test_facilitator_may_write_any_teams_retrospective(client: Client, world: f.World) -> None:
    reflect(world)
    as_(client, world.facilitator).post(url(world.objective), hyp(world.key_result, "supported"))
    assert Retrospective.objects.count() == 1


def test_outsiders_and_other_tenants_get_404(client: Client, world: f.World) -> None:
    reflect(world)
    assert as_(client, world.outsider).get(url(world.objective)).status_code == 404
    c = as_(client, world.admin)
    assert c.get(url(world.foreign_objective)).status_code == 404
    assert c.post(url(world.foreign_objective), {}).status_code == 404
    assert client.get("/o/acme/objectives/not-a-uuid/retrospective/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client, world: f.World) -> None:
    response = client.get(url(world.objective))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_retrospective_in_german(client: Client, world: f.World) -> None:
    reflect(world)
    response = as_(client, world.member).post(
        url(world.objective),
        hyp(world.key_result, "refuted", "Videos helfen nicht"),
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    assert "Widerlegt mit einer Erkenntnis" in response.text


@pytest.mark.parametrize("krs", [1, 5])
def test_retrospective_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, krs: int
) -> None:
    reflect(world)
    kr_list = [world.key_result] + [
        f.key_result(world.objective, f"KR {i}") for i in range(krs - 1)
    ]
    write_retrospective(
        objective=world.objective,
        hypotheses={kr: ("refuted", f"Evidence {kr.pk}") for kr in kr_list},
        learnings=[f"Learning {i}" for i in range(krs)],
    )
    c = as_(client, world.member)
    with django_assert_max_num_queries(9):
        assert c.get(url(world.objective)).status_code == 200
    with django_assert_max_num_queries(9):
        assert c.get(url(world.objective), {"edit": 1}).status_code == 200
