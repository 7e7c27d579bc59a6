"""The problems board: offers of help from other teams, resolving, search, paging."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leitstern.checkins.models import HelpOffer, Problem, ProblemStatus
from leitstern.checkins.services import offer_help, resolve_problem
from leitstern.orgs.models import Attribution, Role
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
BOARD = "/o/acme/problems/"


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


@pytest.fixture
def beta_member(world: f.World) -> Any:
    return f.member(world.org, Role.MEMBER, teams=(world.other_team,), email="beta@acme.test")


@pytest.fixture
def problem(world: f.World) -> Problem:
    return f.problem(world.key_result, "We lack test data")


def many_problems(world: f.World, count: int) -> list[Problem]:
    """`count` problems on fresh key results (five per objective, within the limits)."""
    world.org.max_objectives_per_team = 20
    world.org.save()
    problems = []
    for i in range(count):
        if i % 5 == 0:
            objective = f.objective(world.team, world.cycle, f"Objective {i}")
        problems.append(f.problem(f.key_result(objective, f"KR {i}"), f"Problem {i}"))
    return problems


def help_url(problem: Problem, action: str = "help") -> str:
    return f"{BOARD}{problem.uuid}/{action}/"


def test_board_lists_open_problems_with_team_and_key_result(
    client: Client, world: f.World, problem: Problem
) -> None:
    f.problem(world.foreign_objective.key_results.get(), "Globex secret trouble")
    page = as_(client, world.member).get(BOARD).text
    assert "We lack test data" in page and "Alpha" in page
    assert f'href="/o/acme/key-results/{world.key_result.uuid}/"' in page
    assert "Globex secret trouble" not in page


def test_board_orders_by_date_never_by_team(client: Client, world: f.World) -> None:
    beta_objective = f.objective(world.other_team, world.cycle, "Beta objective")
    older = f.problem(f.key_result(beta_objective), "Older problem of Beta", weeks_ago=2)
    newer = f.problem(world.key_result, "Newer problem of Alpha")
    Problem.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=14)
    )
    page = as_(client, world.member).get(BOARD).text
    assert page.index(newer.text) < page.index(older.text)


def test_resolved_tab_and_search(client: Client, world: f.World, problem: Problem) -> None:
    other = f.checkin(f.key_result(world.objective, "Second"), problem="Servers are slow").problem
    resolve_problem(problem=other)
    c = as_(client, world.member)
    page = c.get(BOARD).text
    assert problem.text in page and other.text not in page
    page = c.get(BOARD, {"status": "resolved"}).text
    assert other.text in page and problem.text not in page and "resolved on" in page
    page = c.get(BOARD, {"q": "test DATA"}).text
    assert problem.text in page
    page = c.get(BOARD, {"q": "nothing like this"}).text
    assert "No problems match" in page


def test_htmx_search_returns_only_the_results(
    client: Client, world: f.World, problem: Problem
) -> None:
    response = as_(client, world.member).get(
        BOARD, {"q": "data"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="problem-results"
    )
    assert problem.text in response.text
    assert "<html" not in response.text and 'id="problem-results"' in response.text


def test_board_pages_by_25(client: Client, world: f.World) -> None:
    many_problems(world, 30)
    c = as_(client, world.member)
    first, second = c.get(BOARD).text, c.get(BOARD, {"page": 2}).text
    assert first.count('class="ls-problem"') == 25 and second.count('class="ls-problem"') == 5
    assert "Page 1 of 2" in first
    assert c.get(BOARD, {"page": "junk"}).status_code == 200


def test_another_team_offers_help(
    client: Client, world: f.World, problem: Problem, beta_member: Any
) -> None:
    c = as_(client, beta_member)
    page = c.get(BOARD).text
    assert "Offer help" in page and "Mark as resolved" not in page
    response = c.post(
        help_url(problem), {"team": str(world.other_team.uuid), "message": "We have data"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#problem-{problem.uuid}")
    offer = HelpOffer.objects.get()
    assert (offer.team, offer.message, offer.signed_as) == (world.other_team, "We have data", "")
    assert "Beta offers:" in c.get(BOARD).text


def test_help_offer_with_htmx_swaps_the_card(
    client: Client, world: f.World, problem: Problem, beta_member: Any
) -> None:
    response = as_(client, beta_member).post(
        help_url(problem),
        {"team": str(world.other_team.uuid), "message": "Happy to pair"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert f'id="problem-{problem.uuid}"' in response.text and "Happy to pair" in response.text


@pytest.mark.parametrize(
    ("team", "message", "error"),
    [
        ("beta", "  ", "Say in a sentence how your team can help."),
        ("alpha", "We help", "Select a valid choice"),
        ("junk", "We help", "Select a valid choice"),
    ],
)
def test_bad_help_offers_show_inline_errors_and_save_nothing(
    client: Client,
    world: f.World,
    problem: Problem,
    beta_member: Any,
    team: str,
    message: str,
    error: str,
) -> None:
    teams = {"beta": str(world.other_team.uuid), "alpha": str(world.team.uuid), "junk": "x"}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = as_(client, beta_member).post(
            help_url(problem), {"team": teams[team], "message": message}, **headers
        )
        assert response.status_code == 200 and error in response.text
    assert HelpOffer.objects.count() == 0


def test_members_only_offer_help_for_their_own_teams(
    client: Client, world: f.World, problem: Problem
) -> None:
    f.team(world.org, "Gamma")
    page = as_(client, world.member).get(BOARD).text
    assert "Offer help" not in page  # Alpha is the problem's own team
    response = as_(client, world.member).post(
        help_url(problem), {"team": str(world.team.uuid), "message": "We help"}
    )
    assert response.status_code == 403
    assert HelpOffer.objects.count() == 0


def test_facilitators_may_offer_help_for_any_other_team(
    client: Client, world: f.World, problem: Problem
) -> None:
    page = as_(client, world.facilitator).get(BOARD).text
    assert f'value="{world.other_team.uuid}"' in page
    assert f'<option value="{world.team.uuid}"' not in page
    as_(client, world.facilitator).post(
        help_url(problem), {"team": str(world.other_team.uuid), "message": "We help"}
    )
    assert HelpOffer.objects.get().team == world.other_team


def test_the_problems_team_resolves_it(client: Client, world: f.World, problem: Problem) -> None:
    c = as_(client, world.member)
    assert "Mark as resolved" in c.get(BOARD).text
    response = c.post(help_url(problem, "resolve"))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED
    response = c.post(help_url(problem, "resolve"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "already resolved" in response.text


def test_htmx_resolve_swaps_the_card(client: Client, world: f.World, problem: Problem) -> None:
    response = as_(client, world.member).post(help_url(problem, "resolve"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.text and "Marked as resolved" in response.text
    assert "Offer help" not in response.text


def test_other_teams_cannot_resolve(
    client: Client, world: f.World, problem: Problem, beta_member: Any
) -> None:
    assert as_(client, beta_member).post(help_url(problem, "resolve")).status_code == 403
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_outsiders_and_other_tenants_get_404(
    client: Client, world: f.World, problem: Problem
) -> None:
    c = as_(client, world.outsider)
    assert c.get(BOARD).status_code == 404
    assert c.post(help_url(problem, "resolve")).status_code == 404
    foreign = f.problem(world.foreign_objective.key_results.get(), "Globex trouble")
    c = as_(client, world.facilitator)
    assert c.get(f"{BOARD}{foreign.uuid}/").status_code == 404
    assert c.post(help_url(foreign, "resolve")).status_code == 404
    data = {"team": str(world.other_team.uuid), "message": "Hi"}
    assert c.post(help_url(foreign), data).status_code == 404
    assert client.get(f"{BOARD}{problem.uuid}/").status_code == 200


def test_anonymous_is_sent_to_sign_in(client: Client, world: f.World) -> None:
    response = client.get(BOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_names_only_when_the_organisation_shows_them(
    client: Client, world: f.World, beta_member: Any
) -> None:
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    problem = f.problem(world.key_result, "Blocked", signed_as="Maria")
    offer_help(problem=problem, team=world.other_team, message="Call us", signed_as="Jonas")
    c = as_(client, world.member)
    page = c.get(BOARD).text
    assert "Maria" in page and "Jonas" in page
    world.org.attribution = Attribution.TEAM
    world.org.save()
    page = c.get(BOARD).text
    assert "Maria" not in page and "Jonas" not in page


def test_empty_board_invites_problems(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get(BOARD).text
    assert "No open problems right now" in page


def test_board_in_german(client: Client, world: f.World, problem: Problem) -> None:
    page = as_(client, world.member).get(BOARD, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Als gelöst markieren" in page and "wer kann helfen?" in page


@pytest.mark.parametrize("count", [2, 30])
def test_board_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, count: int
) -> None:
    for i, problem in enumerate(many_problems(world, count)):
        offer_help(problem=problem, team=world.other_team, message=f"Offer {i}")
    f.team(world.org, "Gamma")
    c = as_(client, world.facilitator)
    with django_assert_max_num_queries(10):
        assert c.get(BOARD).status_code == 200
