"""The problems board read with hand-written SQL (checkins/problem_board.py): the same rows,
search and pages the ORM gave, in fewer queries; each viewer's buttons from the cache, with
this request's CSRF token."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leitstern.checkins.models import Problem
from leitstern.checkins.problem_views import INLINE_TEAMS
from leitstern.checkins.services import offer_help
from leitstern.orgs.models import Role, Team
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
BOARD = "/o/acme/problems/"
# Session, person and membership; then the count, the page with its offers, the teams.
BOARD_QUERIES = 6


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def problems(world: f.World, texts: list[str]) -> list[Problem]:
    """Problems on fresh key results (five per objective, within the limits), newest last."""
    world.org.max_objectives_per_team = 20
    world.org.save()
    found = []
    for i, text in enumerate(texts):
        if i % 5 == 0:
            objective = f.objective(world.team, world.cycle, f"Objective {i}")
        found.append(f.problem(f.key_result(objective, f"KR {i}"), text))
    return found


def shown(page: str) -> list[str]:
    """The problems' texts on a page, in order."""
    return re.findall(r'<article class="ls-problem.*?<p>(.*?)</p>', page, re.DOTALL)


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_board_queries_count_page_and_teams_only(
    client: Client, world: f.World, django_assert_max_num_queries: Any, persona: str
) -> None:
    for i, problem in enumerate(problems(world, [f"Problem {i}" for i in range(30)])):
        offer_help(problem=problem, team=world.other_team, message=f"Offer {i}")
        offer_help(problem=problem, team=f.team(world.org), message=f"Second offer {i}")
    assert (
        Team.objects.filter(organization=world.org).count() > INLINE_TEAMS
    )  # a facilitator gets buttons, not forms
    c = as_(client, getattr(world, persona))
    c.get(BOARD)  # the cards into the cache
    with django_assert_max_num_queries(BOARD_QUERIES):
        page = c.get(BOARD).text
    assert page.count('class="ls-problem"') == 25 and "Offer 29" in page


def test_offers_show_once_per_card_oldest_first(client: Client, world: f.World) -> None:
    first = problems(world, ["First problem", "Second problem"])[0]
    for message in ("Early offer", "Late offer"):
        offer_help(problem=first, team=world.other_team, message=message)
    page = as_(client, world.member).get(BOARD).text
    assert page.count('class="ls-problem"') == 2
    assert page.index("Second problem") < page.index("First problem")
    assert page.index("First problem") < page.index("Early offer") < page.index("Late offer")
    card = page[page.index("Second problem") : page.index("First problem")]
    assert "No offers yet" in card


def test_search_takes_wildcards_literally_and_ignores_case(client: Client, world: f.World) -> None:
    problems(world, ["Build is 100% red", "Build is 100 red", "a_b broken", "axb broken"])
    c = as_(client, world.member)
    assert shown(c.get(BOARD, {"q": "100%"}).text) == ["Build is 100% red"]
    assert shown(c.get(BOARD, {"q": "A_B"}).text) == ["a_b broken"]
    assert "Page 1 of" not in c.get(BOARD, {"q": "build"}).text
    assert len(shown(c.get(BOARD, {"q": "BUILD"}).text)) == 2


def test_search_finds_team_and_key_result(client: Client, world: f.World) -> None:
    beta = f.objective(world.other_team, world.cycle, "Beta objective")
    f.problem(f.key_result(beta, "Onboarding time"), "Slow reviews")
    f.problem(world.key_result, "Flaky tests")
    c = as_(client, world.member)
    assert shown(c.get(BOARD, {"q": "beta"}).text) == ["Slow reviews"]
    assert shown(c.get(BOARD, {"q": "onboarding"}).text) == ["Slow reviews"]


def test_pages_count_the_search_and_a_page_too_far_shows_the_last(
    client: Client, world: f.World
) -> None:
    problems(world, [f"Red {i}" if i % 2 else f"Blue {i}" for i in range(60)])
    c = as_(client, world.member)
    assert "Page 1 of 3" in c.get(BOARD).text
    page = c.get(BOARD, {"q": "red", "page": 9}).text
    assert "Page 2 of 2" in page and len(shown(page)) == 5
    assert shown(page)[-1] == "Red 1"


def test_resolved_tab_newest_resolution_first(client: Client, world: f.World) -> None:
    early, late = problems(world, ["Resolved long ago", "Resolved just now"])
    now = timezone.now()
    for problem, days in ((early, 1), (late, 3)):  # raised in the other order
        Problem.objects.filter(pk=problem.pk).update(
            status="resolved",
            resolved_at=now - datetime.timedelta(days=days),
            created_at=now - datetime.timedelta(days=10 - days),
        )
    page = as_(client, world.member).get(BOARD, {"status": "resolved"}).text
    assert shown(page) == ["Resolved long ago", "Resolved just now"]


def test_buttons_follow_a_renamed_team_and_the_language(client: Client, world: f.World) -> None:
    both = f.member(
        world.org, Role.MEMBER, teams=(world.team, world.other_team), email="both@acme.test"
    )
    f.problem(world.key_result, "We lack test data")
    c = as_(client, both)
    assert ">Beta</option>" in c.get(BOARD).text
    world.other_team.name = "Beta Crew"
    world.other_team.save()
    page = c.get(BOARD).text
    assert ">Beta Crew</option>" in page and ">Beta</option>" not in page
    german = c.get(BOARD, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Angebot senden" in german and "Unser Team" in german


def test_card_forms_carry_a_token_that_passes_the_csrf_check(world: f.World) -> None:
    problem = f.problem(world.key_result, "We lack test data")
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,), email="beta@acme.test")
    c = as_(Client(enforce_csrf_checks=True), beta)
    page = c.get(BOARD).text
    card = page[page.index(f'id="problem-{problem.uuid}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card)
    assert token is not None
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "team": str(world.other_team.uuid),
        "message": "We can pair",
    }
    response = c.post(f"{BOARD}{problem.uuid}/help/", data)
    assert response.status_code == 302
    assert problem.help_offers.get().message == "We can pair"
