"""API: frame (vision, purpose, MOALs) and strategy time."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def test_everyone_reads_the_frame(world) -> None:
    Frame.objects.create(organization=world.org, vision="Calm", purpose="Help")
    Moal.objects.create(organization=world.org, title="Grow")
    response = ApiClient(world.member).get("/frame")
    body = response.json()
    assert body["vision"] == "Calm" and [m["title"] for m in body["moals"]] == ["Grow"]
    assert response["ETag"]


def test_facilitator_writes_the_frame_with_if_match(world) -> None:
    client = ApiClient(world.facilitator)
    etag = client.get("/frame")["ETag"]
    ok = client.put("/frame", {"vision": "V", "purpose": "P"}, **{"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["vision"] == "V"
    assert_problem(client.put("/frame", {"vision": "X", "purpose": "P"}, **{"If-Match": etag}), 412)
    assert_problem(ApiClient(world.member).put("/frame", {"vision": "X", "purpose": "P"}), 403)
    assert Frame.objects.get(organization=world.org).vision == "V"


def test_moals_created_and_changed_by_facilitators(world) -> None:
    client = ApiClient(world.facilitator)
    created = client.post("/moals", {"title": "Referrals", "horizon": "2027-12-31"})
    assert created.status_code == 201
    moal_id = created.json()["uuid"]
    assert client.patch(f"/moals/{moal_id}", {"archived": True}).json()["archived"] is True
    assert client.get("/moals", {"archived": "false"}).json() == []
    assert_problem(ApiClient(world.member).post("/moals", {"title": "x"}), 403)
    assert_problem(ApiClient(world.outsider).get(f"/moals/{moal_id}"), 404)


def test_team_declares_strategy_time(world) -> None:
    client = ApiClient(world.member)
    response = client.put(
        f"/teams/{world.team.slug}/strategy-time", {"hours_per_week": 4, "slot": "Tue 9-11"}
    )
    assert response.json()["strategy_time"] == {"hours_per_week": 4.0, "slot": "Tue 9-11"}
    assert StrategyTime.objects.get(team=world.team).slot == "Tue 9-11"
    empty = client.put(f"/teams/{world.team.slug}/strategy-time", {"slot": ""})
    assert_problem(empty, 422)
    assert_problem(client.put(f"/teams/{world.other_team.slug}/strategy-time", {"slot": "x"}), 403)
