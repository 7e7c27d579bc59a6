"""The offer form on demand: a person who speaks for many teams (facilitators speak for every
team) gets an "Offer help" button on each card that loads the form for that one problem,
instead of a select of every team on every card."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from leitstern.checkins.models import HelpOffer, Problem
from leitstern.checkins.problem_views import INLINE_TEAMS
from leitstern.checkins.services import resolve_problem
from leitstern.orgs.models import Role, Team
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
BOARD = "/o/acme/problems/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def more_teams(world: f.World, total: int) -> list[Team]:
    """Teams until the organisation has `total` (Alpha and Beta included)."""
    return [f.team(world.org, f"Team {i:02}") for i in range(total - 2)]


@pytest.fixture
def problems(world: f.World) -> list[Problem]:
    beta = f.objective(world.other_team, world.cycle, "Beta objective")
    return [
        f.problem(world.key_result, "We lack test data"),
        f.problem(f.key_result(beta), "Beta needs reviewers"),
    ]


def card(page: str, problem: Problem) -> str:
    start = page.index(f'id="problem-{problem.uuid}"')
    return page[start : page.index("</article>", start)]


def offer_url(problem: Problem) -> str:
    return f"{BOARD}{problem.uuid}/?offer=1"


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


@pytest.mark.parametrize("persona", ["facilitator", "admin"])
def test_many_teams_get_a_button_not_a_select_on_each_card(
    client: Client, world: f.World, problems: list[Problem], persona: str
) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    page = as_(client, getattr(world, persona)).get(BOARD).text
    assert "<select" not in page and "<option" not in page
    for problem in problems:
        html = card(page, problem)
        url = f"/o/acme/problems/{problem.uuid}/"
        assert f'<form method="get" action="{url}" hx-get="{url}"' in html
        assert f'hx-target="#problem-{problem.uuid}"' in html and 'name="offer"' in html
        assert "Offer help" in html and "Mark as resolved" in html


def test_up_to_the_limit_the_form_stays_on_the_card(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    more_teams(world, INLINE_TEAMS)
    page = as_(client, world.facilitator).get(BOARD).text
    for problem in problems:
        html = card(page, problem)
        assert len(options(html)) == INLINE_TEAMS - 1 and 'name="offer"' not in html


def test_the_button_loads_the_form_for_that_problem(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    teams = more_teams(world, INLINE_TEAMS + 5)
    problem = problems[0]
    response = as_(client, world.facilitator).get(offer_url(problem), **HTMX)
    html = response.text
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<article class="ls-problem" id="problem-{problem.uuid}"')
    assert "<details open>" in html and " autofocus" in html
    assert f'hx-post="{BOARD}{problem.uuid}/help/"' in html
    # Every team but the problem's own, and nothing about other problems.
    expected = {str(t.uuid) for t in [world.other_team, *teams]}
    assert set(options(html)) == expected and str(world.team.uuid) not in html
    assert problems[1].text not in html
    assert "HX-Request" in response["Vary"]


def test_without_javascript_the_button_opens_the_problem_page_with_the_form(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    page = as_(client, world.facilitator).get(offer_url(problems[0])).text
    assert "<html" in page and "All problems" in page
    assert "<details open>" in page and len(options(page)) == INLINE_TEAMS
    plain = client.get(f"{BOARD}{problems[0].uuid}/").text
    assert "<details>" in plain and " autofocus" not in plain


def test_an_offer_from_the_loaded_form_is_saved_and_the_card_stays_light(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    teams = more_teams(world, INLINE_TEAMS + 1)
    c = as_(client, world.facilitator)
    form = c.get(offer_url(problems[0]), **HTMX).text
    assert str(teams[3].uuid) in options(form)
    response = c.post(
        f"{BOARD}{problems[0].uuid}/help/",
        {"team": str(teams[3].uuid), "message": "We wrote that tool"},
        **HTMX,
    )
    assert response.status_code == 200 and "We wrote that tool" in response.text
    assert "<select" not in response.text and 'name="offer"' in response.text
    offer = HelpOffer.objects.get()
    assert (offer.problem, offer.team) == (problems[0], teams[3])


def test_a_bad_offer_shows_the_form_again_with_its_error(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    response = as_(client, world.facilitator).post(
        f"{BOARD}{problems[0].uuid}/help/",
        {"team": str(world.team.uuid), "message": "We help"},  # the problem's own team
        **HTMX,
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert "<details open>" in response.text and len(options(response.text)) == INLINE_TEAMS
    assert HelpOffer.objects.count() == 0


def test_the_form_of_another_organisations_problem_is_404(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    foreign = f.problem(world.foreign_objective.key_results.get(), "Globex trouble")
    c = as_(client, world.facilitator)
    assert c.get(offer_url(foreign), **HTMX).status_code == 404
    assert c.get(offer_url(foreign)).status_code == 404
    c = as_(client, world.outsider)
    assert c.get(offer_url(problems[0]), **HTMX).status_code == 404


def test_a_member_of_many_teams_offers_only_for_their_own(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    teams = more_teams(world, INLINE_TEAMS + 4)
    mine = tuple(teams[: INLINE_TEAMS + 1])
    many = f.member(world.org, Role.MEMBER, teams=(world.other_team, *mine), email="m@acme.test")
    page = as_(client, many).get(BOARD).text
    alpha, beta = card(page, problems[0]), card(page, problems[1])
    assert "<select" not in page
    assert 'name="offer"' in alpha and "Mark as resolved" not in alpha
    assert 'name="offer"' in beta and "Mark as resolved" in beta  # Beta is their team
    form = client.get(offer_url(problems[1]), **HTMX).text
    assert set(options(form)) == {str(t.uuid) for t in mine}
    response = client.post(
        f"{BOARD}{problems[0].uuid}/help/", {"team": str(teams[-1].uuid), "message": "Hi"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert client.post(f"{BOARD}{problems[0].uuid}/resolve/").status_code == 403
    assert HelpOffer.objects.count() == 0


def test_no_form_where_no_help_can_be_offered(
    client: Client, world: f.World, problems: list[Problem]
) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    own = as_(client, world.member).get(offer_url(problems[0]), **HTMX)
    assert own.status_code == 200 and "<select" not in own.text and "Offer help" not in own.text
    resolve_problem(problem=problems[1])
    done = as_(client, world.facilitator).get(offer_url(problems[1]), **HTMX)
    assert "resolved on" in done.text and "<select" not in done.text
    assert "Offer help" not in done.text


def test_the_button_in_german(client: Client, world: f.World, problems: list[Problem]) -> None:
    more_teams(world, INLINE_TEAMS + 1)
    page = as_(client, world.facilitator).get(BOARD, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Hilfe anbieten" in page and "Offer help" not in page
    form = client.get(offer_url(problems[0]), HTTP_ACCEPT_LANGUAGE="de", **HTMX).text
    assert "Unser Team" in form


@pytest.mark.parametrize("count", [2, 30])
def test_the_board_of_many_teams_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, count: int
) -> None:
    more_teams(world, INLINE_TEAMS + 20)
    world.org.max_objectives_per_team = 20
    world.org.save()
    for i in range(count):
        if i % 5 == 0:
            objective = f.objective(world.other_team, world.cycle, f"Objective {i}")
        f.problem(f.key_result(objective, f"KR {i}"), f"Problem {i}")
    c = as_(client, world.facilitator)
    with django_assert_max_num_queries(10):
        page = c.get(BOARD).text
    assert page.count('name="offer"') == min(count, 25) and "<option" not in page
