"""API: retrospectives and the learning library."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from leitstern.checkins.services import record_checkin
from leitstern.learning.models import Learning, Retrospective
from leitstern.okrs.services import move_cycle
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _retro(world, **extra):
    return {
        "what_held": "Calls work",
        "hypotheses": {str(world.key_result.uuid): {"status": "refuted", "evidence": "No change"}},
        "learnings": ["Ask earlier"],
        "self_assessment": 0.4,
        **extra,
    }


def test_retrospective_only_while_reflecting(world) -> None:
    path = f"/objectives/{world.objective.uuid}/retrospective"
    response = ApiClient(world.member).put(path, _retro(world))
    assert "reflecting" in assert_problem(response, 422)["detail"]
    assert not Retrospective.objects.exists()


def test_team_writes_its_retrospective_and_learnings_reach_the_library(world) -> None:
    move_cycle(cycle=world.cycle, to="reflecting", by=world.facilitator)
    client = ApiClient(world.member)
    path = f"/objectives/{world.objective.uuid}/retrospective"
    assert client.get(path).json()["written"] is False
    response = client.put(path, _retro(world))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["written"] and body["hypotheses"][0]["hypothesis_status"] == "refuted"
    texts = {lr.text for lr in Learning.objects.filter(organization=world.org)}
    assert texts == {"No change", "Ask earlier"}
    listed = client.get("/retrospectives", {"cycle": world.cycle.name}).json()
    assert [r["objective"] for r in listed] == [str(world.objective.uuid)]


def test_retrospective_permissions_and_if_match(world) -> None:
    move_cycle(cycle=world.cycle, to="reflecting", by=world.facilitator)
    path = f"/objectives/{world.objective.uuid}/retrospective"
    from leitstern.tests import factories

    other = factories.member(world.org, teams=(world.other_team,))
    assert_problem(ApiClient(other).put(path, _retro(world)), 403)
    client = ApiClient(world.member)
    etag = client.get(path)["ETag"]
    assert client.put(path, _retro(world), **{"If-Match": etag}).status_code == 200
    assert_problem(client.put(path, _retro(world), **{"If-Match": etag}), 412)
    bad = client.put(
        path, _retro(world, hypotheses={str(world.objective.uuid): {"status": "refuted"}})
    )
    assert assert_problem(bad, 422)["errors"][0]["field"] == "hypotheses"
    assert_problem(ApiClient(world.outsider).get(path), 404)


def test_learnings_are_searchable_and_filtered(world, django_assert_max_num_queries) -> None:
    record_checkin(key_result=world.key_result, value=12, confidence=5, learning="Pairing helps")
    client = ApiClient(world.facilitator)
    with django_assert_max_num_queries(6):
        body = client.get("/learnings", {"q": "pairing"}).json()
    assert [lr["text"] for lr in body["items"]] == ["Pairing helps"]
    assert client.get("/learnings", {"q": "nothing like it"}).json()["count"] == 0
    one = body["items"][0]["uuid"]
    assert client.get(f"/learnings/{one}").json()["team"] == world.team.slug
    assert_problem(ApiClient(world.outsider).get(f"/learnings/{one}"), 404)
