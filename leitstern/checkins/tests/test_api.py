"""API: check-ins (idempotent), problems and help offers."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from leitstern.checkins.models import CheckIn, HelpOffer, Problem
from leitstern.checkins.services import record_checkin
from leitstern.okrs.models import KeyResult, LeadingIndicator
from leitstern.tests import factories
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _checkin(world, **extra):
    return {"key_result": str(world.key_result.uuid), "value": 15, "confidence": 6, **extra}


def test_member_records_a_checkin_for_own_team(world) -> None:
    response = ApiClient(world.member).post("/checkins", _checkin(world, note="Going well"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["value"] == 15.0 and body["team"] == world.team.slug
    assert body["html_url"].startswith("http://testserver/o/acme/")
    world.key_result.refresh_from_db()
    assert world.key_result.current_confidence == 6


def test_second_checkin_in_the_same_week_updates_the_first(world) -> None:
    client = ApiClient(world.member)
    client.post("/checkins", _checkin(world))
    again = client.post("/checkins", _checkin(world, value=18))
    assert again.status_code == 200 and again.json()["value"] == 18.0
    assert CheckIn.objects.filter(key_result=world.key_result).count() == 1


def test_idempotency_key_returns_the_same_checkin_on_retry(world) -> None:
    client = ApiClient(world.member)
    first = client.post("/checkins", _checkin(world), **{"Idempotency-Key": "abc-1"})
    retry = client.post("/checkins", _checkin(world), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == 201 and retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.filter(key_result=world.key_result).count() == 1


def test_idempotency_key_reused_for_another_body_is_refused(world) -> None:
    client = ApiClient(world.member)
    client.post("/checkins", _checkin(world), **{"Idempotency-Key": "abc-2"})
    other = client.post("/checkins", _checkin(world, value=99), **{"Idempotency-Key": "abc-2"})
    body = assert_problem(other, 422)
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert CheckIn.objects.get(key_result=world.key_result).value == 15


def test_checkin_for_another_team_is_403_and_foreign_key_result_404(world) -> None:
    outsider_member = factories.member(world.org, teams=(world.other_team,))
    assert_problem(ApiClient(outsider_member).post("/checkins", _checkin(world)), 403)
    foreign = KeyResult.objects.get(objective=world.foreign_objective)
    response = ApiClient(world.member).post(
        "/checkins", _checkin(world, key_result=str(foreign.uuid))
    )
    assert_problem(response, 404)
    assert not CheckIn.objects.exists()


def test_checkin_rules_of_the_service_hold(world) -> None:
    client = ApiClient(world.member)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.post("/checkins", _checkin(world, checked_on=tomorrow))
    assert assert_problem(future, 422)["errors"][0]["field"] == "checked_on"
    bad_confidence = client.post("/checkins", _checkin(world, confidence=11))
    assert assert_problem(bad_confidence, 422)["errors"][0]["field"] == "confidence"


def test_checkin_with_a_person_is_refused(world) -> None:
    response = ApiClient(world.member).post("/checkins", _checkin(world, person="kim"))
    assert "team OKRs only" in assert_problem(response, 422)["detail"]


def test_checkin_with_problem_learning_and_indicator_values(world) -> None:
    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=world.key_result, name="Logins"
    )
    response = ApiClient(world.member).post(
        "/checkins",
        _checkin(
            world,
            problem="We need data access",
            learning="Onboarding calls help",
            indicator_values={str(indicator.uuid): 3},
        ),
    )
    body = response.json()
    assert body["problem"] and body["learning"] == "Onboarding calls help"
    assert body["indicator_values"] == {str(indicator.uuid): 3.0}
    unknown = ApiClient(world.member).post(
        "/checkins", _checkin(world, indicator_values={str(world.key_result.uuid): 3})
    )
    assert assert_problem(unknown, 422)["errors"][0]["field"] == "indicator_values"


def test_checkins_list_filters_and_stays_flat(world, django_assert_max_num_queries) -> None:
    for n in range(3):
        kr = factories.key_result(world.objective, f"KR {n}")
        record_checkin(key_result=kr, value=12, confidence=5)
    client = ApiClient(world.member)
    with django_assert_max_num_queries(6):
        body = client.get("/checkins", {"team": world.team.slug}).json()
    assert body["count"] == 3
    assert client.get("/checkins", {"key_result": str(world.key_result.uuid)}).json()["count"] == 0
    assert client.get("/checkins", {"cycle": world.cycle.name}).json()["count"] == 3
    one = CheckIn.objects.first()
    assert client.get(f"/checkins/{one.uuid}").json()["uuid"] == str(one.uuid)


# ---- problems and help offers


@pytest.fixture
def problem(world) -> Problem:
    record_checkin(key_result=world.key_result, value=12, confidence=3, problem="Blocked by API")
    return Problem.objects.get()


def test_problems_are_listed_for_everyone(world, problem) -> None:
    body = ApiClient(world.facilitator).get("/problems", {"status": "open"}).json()
    assert [p["text"] for p in body["items"]] == ["Blocked by API"]
    assert (
        ApiClient(world.member).get(f"/problems/{problem.uuid}").json()["team"] == world.team.slug
    )


def test_another_team_offers_help_and_the_owning_team_resolves(world, problem) -> None:
    helper = factories.member(world.org, teams=(world.other_team,))
    offer = ApiClient(helper).post(
        f"/problems/{problem.uuid}/help-offers",
        {"team": world.other_team.slug, "message": "We can pair on it"},
    )
    assert (
        offer.status_code == 201 and offer.json()["help_offers"][0]["team"] == world.other_team.slug
    )
    own = ApiClient(world.member).post(
        f"/problems/{problem.uuid}/help-offers", {"team": world.team.slug, "message": "x"}
    )
    assert "own team" in assert_problem(own, 422)["detail"]
    assert_problem(ApiClient(helper).post(f"/problems/{problem.uuid}/resolve"), 403)
    resolved = ApiClient(world.member).post(f"/problems/{problem.uuid}/resolve")
    assert resolved.json()["status"] == "resolved"
    assert_problem(ApiClient(world.member).post(f"/problems/{problem.uuid}/resolve"), 422)


def test_help_offer_for_a_team_the_member_is_not_in_is_403(world, problem) -> None:
    response = ApiClient(world.member).post(
        f"/problems/{problem.uuid}/help-offers", {"team": world.other_team.slug, "message": "x"}
    )
    assert_problem(response, 403)
    assert not HelpOffer.objects.exists()


def test_problem_of_another_organisation_is_404(world, problem) -> None:
    outsider = ApiClient(world.outsider)
    assert_problem(outsider.get(f"/problems/{problem.uuid}"), 404)
    assert outsider.get("/problems").json()["count"] == 0
