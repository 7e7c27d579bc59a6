from __future__ import annotations

import pytest
from django.test import Client

from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def as_(client: Client, membership: object) -> Client:
    client.force_login(membership.person)  # type: ignore[attr-defined]
    return client


def test_live_coach_flags_an_output_in_the_readers_language(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    english = c.post("/o/acme/coach/key-result/", {"title": "Launch the new onboarding"})
    assert english.status_code == 200 and "an output" in english.text
    german = c.post(
        "/o/acme/coach/key-result/",
        {"title": "Launch the new onboarding"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "Quality coach" not in german.text and "Qualitäts-Coach" in german.text


def test_live_coach_is_quiet_for_an_outcome(client: Client, world: f.World) -> None:
    response = as_(client, world.member).post(
        "/o/acme/coach/key-result/",
        {
            "title": "Share of new customers who plan their first week rises from 38 % to 60 %",
            "baseline": "38",
            "target": "60",
        },
    )
    assert "an outcome" in response.text


def test_live_coach_needs_membership_and_post(client: Client, world: f.World) -> None:
    assert (
        as_(client, world.outsider).post("/o/acme/coach/key-result/", {"title": "x"}).status_code
        == 404
    )
    assert as_(Client(), world.member).get("/o/acme/coach/key-result/").status_code == 405
    assert (
        as_(Client(), world.member).post("/o/acme/coach/objective/", {"title": ""}).text.strip()
        == ""
    )


def test_key_result_form_shows_the_coach_without_javascript(client: Client, world: f.World) -> None:
    page = as_(client, world.member).post(
        f"/o/acme/objectives/{world.objective.uuid}/key-results/new/",
        {"title": "Hold five workshops", "kind": "metric", "baseline": "0"},
    )
    assert page.status_code == 200
    assert "ls-coach" in page.text and "an activity" in page.text
    assert 'hx-post="/o/acme/coach/key-result/"' in page.text
