"""The learning library: search, filters, paging, refuted hypotheses as first-class content."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from leitstern.frame.models import Moal
from leitstern.learning.models import Learning
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
LIBRARY = "/o/acme/learnings/"


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def test_library_lists_the_organisations_learnings(client: Client, world: f.World) -> None:
    f.learning(
        world.team,
        "Examples beat videos",
        hypothesis_outcome="refuted",
        objective=world.objective,
        cycle=world.cycle,
        source="retrospective",
    )
    f.learning(world.other_team, "Mondays are quiet")
    f.learning(world.foreign_objective.team, "Globex secret learning")
    page = as_(client, world.member).get(LIBRARY).text
    assert "Examples beat videos" in page and "Mondays are quiet" in page
    assert "Globex secret learning" not in page
    assert "ls-learning-refuted" in page and "Refuted — a learning" in page
    assert f"/o/acme/objectives/{world.objective.uuid}/retrospective/" in page


def test_checkin_learnings_arrive_in_the_library(client: Client, world: f.World) -> None:
    f.checkin(world.key_result, learning="Clinics read email on Fridays")
    page = as_(client, world.member).get(LIBRARY).text
    assert "Clinics read email on Fridays" in page and "Check-in" in page


def test_search_and_filters(client: Client, world: f.World) -> None:
    moal = Moal.objects.create(organization=world.org, title="Grow by referrals")
    world.objective.moals.add(moal)
    f.learning(
        world.team,
        "Referral codes confuse people",
        objective=world.objective,
        cycle=world.cycle,
        hypothesis_outcome="refuted",
    )
    f.learning(world.other_team, "Support calls drop after onboarding")
    c = as_(client, world.member)

    def shown(**params: str) -> list[str]:
        page = c.get(LIBRARY, params).text
        return [t for t in ("Referral codes", "Support calls") if t in page]

    assert shown(q="REFERRAL") == ["Referral codes"]
    assert shown(q="calls drop") == ["Support calls"]
    assert shown(team=world.other_team.slug) == ["Support calls"]
    assert shown(moal=str(moal.uuid)) == ["Referral codes"]
    assert shown(cycle=str(world.cycle.uuid)) == ["Referral codes"]
    assert shown(outcome="refuted") == ["Referral codes"]
    assert shown(outcome="supported") == []
    assert "No learnings match" in c.get(LIBRARY, {"q": "zebra"}).text


@pytest.mark.parametrize(
    "params",
    [
        {"moal": "not-a-uuid"},
        {"team": "nope"},
        {"cycle": "x"},
        {"outcome": "great"},
        {"q": "x" * 500},
        {"page": "999"},
    ],
)
def test_bad_filters_are_reported_not_a_500(
    client: Client, world: f.World, params: dict[str, str]
) -> None:
    f.learning(world.team, "Still listed")
    response = as_(client, world.member).get(LIBRARY, params)
    assert response.status_code == 200 and "Still listed" in response.text
    if "page" not in params:
        assert "ls-error" in response.text


def test_foreign_filter_values_do_not_leak(client: Client, world: f.World) -> None:
    foreign_cycle = world.foreign_objective.cycle
    response = as_(client, world.member).get(LIBRARY, {"cycle": str(foreign_cycle.uuid)})
    assert "Select a valid choice" in response.text and foreign_cycle.name not in response.text


def test_empty_library_explains_where_learnings_come_from(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get(LIBRARY).text
    assert "Learnings come from two places" in page


def test_htmx_filter_returns_only_the_results(client: Client, world: f.World) -> None:
    f.learning(world.team, "Partial learning")
    response = as_(client, world.member).get(
        LIBRARY, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="learning-results"
    )
    assert "Partial learning" in response.text and "<html" not in response.text


def test_outsider_gets_404_and_anonymous_signs_in(client: Client, world: f.World) -> None:
    assert client.get(LIBRARY).status_code == 302
    assert as_(client, world.outsider).get(LIBRARY).status_code == 404


def test_library_in_german(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get(LIBRARY, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Erkenntnisse" in page and "Noch keine Erkenntnisse." in page


@pytest.mark.parametrize("count", [3, 60])
def test_library_pages_and_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, count: int
) -> None:
    for i in range(count):
        Moal.objects.create(organization=world.org, title=f"MOAL {i}")
        f.learning(
            world.team if i % 2 else world.other_team,
            f"Learning number {i}",
            objective=world.objective,
            cycle=world.cycle,
            key_result=world.key_result,
        )
    c = as_(client, world.member)
    with django_assert_max_num_queries(10):
        page = c.get(LIBRARY).text
    assert page.count('<article class="ls-learning') == min(count, 25)


def test_search_method_matches_words_in_any_case(world: f.World) -> None:
    f.learning(world.team, "Customers prefer worked examples")
    assert Learning.objects.search("PREFER").count() == 1
    assert Learning.objects.search("  ").count() == 1
    assert Learning.objects.search("videos").count() == 0
    assert Learning.objects.search("it's & | ! (odd) input:*").count() == 0


def test_search_stems_words_on_postgresql(world: f.World) -> None:
    f.learning(world.team, "The clinics learned to trust the reminders")
    f.learning(world.team, "Kunden lesen E-Mails freitags")
    # PostgreSQL stems "learning" to "learn"; SQLite matches substrings only.
    stemmed = 1 if connection.vendor == "postgresql" else 0
    assert Learning.objects.search("learning").count() == stemmed
    assert Learning.objects.search("Kunde").count() == 1
