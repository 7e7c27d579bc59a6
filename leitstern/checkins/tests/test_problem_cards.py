"""The problems board's cards: from the fragment cache, yet every change shows at once; each
viewer's buttons are their own."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from leitstern.checkins.models import Problem
from leitstern.checkins.services import offer_help
from leitstern.okrs.services import update_key_result
from leitstern.orgs.models import Attribution, Role
from leitstern.tests import factories as f
from leitstern.trust.privacy import delete_account

pytestmark = pytest.mark.django_db
BOARD = "/o/acme/problems/"
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def problem(world: f.World) -> Problem:
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    return f.problem(world.key_result, "We lack test data", signed_as="Maria Muster")


def board(client: Client, membership: Any, **params: str) -> str:
    client.force_login(membership.person)
    response = client.get(BOARD, params)
    assert response.status_code == 200
    return response.text


def _without_csrf(page: str) -> str:
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_cached_board_is_the_board(client: Client, world: f.World, problem: Problem) -> None:
    offer_help(problem=problem, team=world.other_team, message="We can pair", signed_as="Jo")
    first, second = board(client, world.member), board(client, world.member)
    assert _without_csrf(first) == _without_csrf(second)
    assert "We lack test data" in second and "Beta offers:" in second


def _rename_team(world: f.World, problem: Problem) -> None:
    world.team.name = "Alpha Squad"
    world.team.save()


def _retitle_key_result(world: f.World, problem: Problem) -> None:
    update_key_result(key_result=world.key_result, title="Time to first value")


def _offer_help(world: f.World, problem: Problem) -> None:
    offer_help(problem=problem, team=world.other_team, message="We wrote that tool")


def _rename_helping_team(world: f.World, problem: Problem) -> None:
    offer_help(problem=problem, team=world.other_team, message="We wrote that tool")
    world.other_team.name = "Beta Crew"
    world.other_team.save()


def _edit_problem_in_the_check_in(world: f.World, problem: Problem) -> None:
    f.checkin(world.key_result, problem="We lack staging data")


def _hide_names(world: f.World, problem: Problem) -> None:
    world.org.attribution = Attribution.TEAM
    world.org.save()


def _erase_the_writer(world: f.World, problem: Problem) -> None:
    writer = f.person(name="Maria Muster")
    world.org.memberships.create(person=writer, role=Role.MEMBER)
    delete_account(person=writer, password=f.PASSWORD)


def _change_the_organisation_slug(world: f.World, problem: Problem) -> None:
    world.org.slug = "acme-2"
    world.org.save()


@pytest.mark.parametrize(
    ("change", "shown", "gone"),
    [
        (_rename_team, "Alpha Squad", "<strong>Alpha</strong>"),
        (_retitle_key_result, "Time to first value", None),
        (_offer_help, "We wrote that tool", "No offers yet"),
        (_rename_helping_team, "Beta Crew offers:", "Beta offers:"),
        (_edit_problem_in_the_check_in, "We lack staging data", "We lack test data"),
        (_hide_names, "We lack test data", "Maria Muster"),
        (_erase_the_writer, "We lack test data", "Maria Muster"),
        (_change_the_organisation_slug, "/o/acme-2/key-results/", "/o/acme/key-results/"),
    ],
)
def test_every_change_on_a_card_shows_at_once(
    client: Client,
    world: f.World,
    problem: Problem,
    committed: Callable[[], Any],
    change: Callable[[f.World, Problem], None],
    shown: str,
    gone: str | None,
) -> None:
    before = board(client, world.member)
    assert "Maria Muster" in before and "No offers yet" in before
    with committed():
        change(world, problem)
    world.org.refresh_from_db()
    page = client.get(f"/o/{world.org.slug}/problems/").text
    assert shown in page
    if gone:
        assert gone not in page


def test_a_card_read_in_english_is_german_for_the_next_reader(
    client: Client, world: f.World, problem: Problem
) -> None:
    offer_help(problem=problem, team=world.other_team, message="We can pair")
    assert "Beta offers:" in board(client, world.member)
    page = client.get(BOARD, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Beta bietet an:" in page and "Beta offers:" not in page


def test_resolving_moves_the_card_to_the_resolved_tab(
    client: Client, world: f.World, problem: Problem, committed: Callable[[], Any]
) -> None:
    assert "Mark as resolved" in board(client, world.member)
    with committed():
        client.post(f"{BOARD}{problem.uuid}/resolve/")
    assert "We lack test data" not in board(client, world.member)
    page = board(client, world.member, status="resolved")
    assert "We lack test data" in page and "resolved on" in page
    assert "Mark as resolved" not in page and "Offer help" not in page


def test_each_viewer_gets_their_own_buttons(
    client: Client, world: f.World, problem: Problem
) -> None:
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,), email="beta@acme.test")
    own = board(client, world.member)
    other = board(client, beta)
    assert "Mark as resolved" in own and "Offer help" not in own
    assert "Mark as resolved" not in other and "Offer help" in other
    assert f'<option value="{world.other_team.uuid}">Beta</option>' in other


def test_a_member_of_two_teams_offers_help_only_from_the_other_one(
    client: Client, world: f.World, problem: Problem
) -> None:
    world.other_team.name = 'Beta & "Co" <b>'  # escaped in the select, still found there
    world.other_team.save()
    both = f.member(
        world.org, Role.MEMBER, teams=(world.team, world.other_team), email="both@acme.test"
    )
    beta_problem = f.problem(
        f.key_result(f.objective(world.other_team, world.cycle)), "Beta needs reviewers"
    )
    page = board(client, both)
    cards = {p.uuid: _card(page, p) for p in (problem, beta_problem)}
    alpha, beta = f'value="{world.team.uuid}"', f'value="{world.other_team.uuid}"'
    assert beta in cards[problem.uuid] and alpha not in cards[problem.uuid]
    assert alpha in cards[beta_problem.uuid] and beta not in cards[beta_problem.uuid]
    for uuid, card in cards.items():
        assert f'id="id_{uuid}_team"' in card and f"/problems/{uuid}/help/" in card


def _card(page: str, problem: Problem) -> str:
    start = page.index(f'id="problem-{problem.uuid}"')
    return page[start : page.index("</article>", start)]
