"""API: health metrics and their readings."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from leitstern.health.models import HealthMetric
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def test_team_metric_by_the_team_org_metric_by_facilitators(world) -> None:
    member = ApiClient(world.member)
    created = member.post(
        "/health-metrics", {"team": world.team.slug, "name": "Uptime", "healthy_min": 99}
    )
    assert created.status_code == 201, created.content
    org_wide = {"name": "Attrition", "healthy_max": 10}
    assert_problem(member.post("/health-metrics", org_wide), 403)
    assert ApiClient(world.facilitator).post("/health-metrics", org_wide).status_code == 201


def test_metric_needs_a_range(world) -> None:
    response = ApiClient(world.facilitator).post("/health-metrics", {"name": "No range"})
    assert "healthy range" in assert_problem(response, 422)["detail"]


def test_readings_are_recorded_once_per_day(world, django_assert_max_num_queries) -> None:
    metric = HealthMetric.objects.create(
        organization=world.org, team=world.team, name="Uptime", healthy_min=99
    )
    client = ApiClient(world.member)
    url = f"/health-metrics/{metric.uuid}/readings"
    first = client.post(url, {"measured_on": "2026-11-23", "value": 98})
    assert first.status_code == 201 and first.json()["replaced_value"] is None
    second = client.post(url, {"measured_on": "2026-11-23", "value": 99.5})
    assert second.status_code == 200  # the day's reading was replaced, and the answer says so
    body = second.json()
    assert body["replaced_value"] == 98
    assert body["readings"] == [{"measured_on": "2026-11-23", "value": 99.5, "healthy": True}]
    other_day = client.post(url, {"measured_on": "2026-11-22", "value": 97})
    assert other_day.status_code == 201 and other_day.json()["replaced_value"] is None
    assert "replaced_value" not in client.get(f"/health-metrics/{metric.uuid}").json()
    with django_assert_max_num_queries(6):
        listed = client.get("/health-metrics").json()
    assert [m["name"] for m in listed] == ["Uptime"]
    assert_problem(ApiClient(world.outsider).get(f"/health-metrics/{metric.uuid}"), 404)


def test_metric_patch_with_if_match(world) -> None:
    metric = HealthMetric.objects.create(organization=world.org, name="Churn", healthy_max=5)
    client = ApiClient(world.facilitator)
    etag = client.get(f"/health-metrics/{metric.uuid}")["ETag"]
    assert (
        client.patch(
            f"/health-metrics/{metric.uuid}", {"unit": "%"}, **{"If-Match": etag}
        ).status_code
        == 200
    )
    assert_problem(
        client.patch(f"/health-metrics/{metric.uuid}", {"unit": "x"}, **{"If-Match": etag}), 412
    )
