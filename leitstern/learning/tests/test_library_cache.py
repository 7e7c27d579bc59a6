"""The library's cached parts — learning cards, team and cycle choices, the team suggestions —
show every change on the next read, in every language."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from leitstern.frame.models import Moal
from leitstern.learning.models import Learning
from leitstern.okrs.models import Cycle
from leitstern.okrs.services import update_key_result, update_objective
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
LIBRARY = "/o/acme/learnings/"
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def learning(world: f.World) -> Learning:
    return f.learning(
        world.team,
        "Examples beat videos",
        hypothesis_outcome="refuted",
        objective=world.objective,
        key_result=world.key_result,
        cycle=world.cycle,
        source="retrospective",
    )


def library(client: Client, world: f.World, **params: str) -> str:
    client.force_login(world.member.person)
    response = client.get(LIBRARY, params)
    assert response.status_code == 200
    return response.text


def suggestions(client: Client, world: f.World) -> str:
    client.force_login(world.member.person)
    response = client.get(LIBRARY + "teams/")
    assert response.status_code == 200
    return response.text


def _without_csrf(page: str) -> str:
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_cached_library_is_the_library(
    client: Client, world: f.World, learning: Learning
) -> None:
    first, second = library(client, world, q="examples"), library(client, world, q="examples")
    assert _without_csrf(first) == _without_csrf(second)
    assert "Examples beat videos" in second and "Refuted — a learning" in second
    assert f'<option value="Beta">{world.other_team.slug}</option>' in suggestions(client, world)


def _edit_text(world: f.World, learning: Learning) -> None:
    learning.text = "Examples beat long videos"
    learning.save()


def _outcome(world: f.World, learning: Learning) -> None:
    learning.hypothesis_outcome = "supported"
    learning.save()


def _rename_team(world: f.World, learning: Learning) -> None:
    world.team.name = "Alpha Squad"
    world.team.save()


def _rename_cycle(world: f.World, learning: Learning) -> None:
    world.cycle.name = "Spring push"
    world.cycle.save()


def _retitle_objective(world: f.World, learning: Learning) -> None:
    update_objective(objective=world.objective, title="Newcomers feel at home")


def _retitle_key_result(world: f.World, learning: Learning) -> None:
    update_key_result(key_result=world.key_result, title="Time to first value")


def _new_team(world: f.World, learning: Learning) -> None:
    f.team(world.org, "Gamma Guild")


def _new_cycle(world: f.World, learning: Learning) -> None:
    start = world.cycle.ends_on + datetime.timedelta(days=1)
    Cycle.objects.create(
        organization=world.org,
        name="Autumn cycle",
        starts_on=start,
        ends_on=start + datetime.timedelta(weeks=12),
    )


def _new_moal(world: f.World, learning: Learning) -> None:
    Moal.objects.create(organization=world.org, title="Grow by referrals")


def _delete_team(world: f.World, learning: Learning) -> None:
    world.other_team.delete()


@pytest.mark.parametrize(
    ("change", "shown", "gone"),
    [
        (_edit_text, "Examples beat long videos", "Examples beat videos"),
        (_outcome, "Supported", "Refuted — a learning"),
        (_rename_team, "Alpha Squad", ">Alpha<"),
        (_rename_cycle, "Spring push", None),
        (_retitle_objective, "Newcomers feel at home", None),
        (_retitle_key_result, "Time to first value", None),
        (_new_team, '<option value="Gamma Guild">', None),
        (_new_cycle, ">Autumn cycle</option>", None),
        (_new_moal, ">Grow by referrals</option>", None),
        (_delete_team, 'value="Alpha"', 'value="Beta"'),
    ],
)
def test_every_change_shows_at_once(
    client: Client,
    world: f.World,
    learning: Learning,
    committed: Callable[[], Any],
    change: Callable[[f.World, Learning], None],
    shown: str,
    gone: str | None,
) -> None:
    assert "Examples beat videos" in library(client, world)
    assert 'value="Beta"' in suggestions(client, world)
    with committed():
        change(world, learning)
    page = library(client, world) + suggestions(client, world)
    assert shown in page
    if gone:
        assert gone not in page


def test_a_card_read_in_english_is_german_for_the_next_reader(
    client: Client, world: f.World, learning: Learning
) -> None:
    assert "Refuted — a learning" in library(client, world)
    page = client.get(LIBRARY, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Refuted — a learning" not in page and "Retrospektive" in page
    assert 'placeholder="Alle Teams"' in _input(page, "team")


def test_a_team_is_chosen_by_name_or_short_name_and_an_unknown_one_reported(
    client: Client, world: f.World, learning: Learning, committed: Callable[[], Any]
) -> None:
    f.learning(world.other_team, "Beta learned this")
    library(client, world)  # the page without a team is cached now
    for value in (world.other_team.slug, "Beta", " beta "):
        page = library(client, world, team=value)
        assert 'value="Beta"' in _input(page, "team"), value
        assert "Beta learned this" in page and "Examples beat videos" not in page
    page = library(client, world, team="nope")
    assert "No team is called “nope”." in page
    assert 'aria-invalid="true"' in _input(page, "team") and 'value="nope"' in _input(page, "team")
    assert "Examples beat videos" in page  # the unknown filter is left out, not all learnings
    with committed():
        f.team(world.org, "Beta")
    page = library(client, world, team="Beta")
    assert "Several teams are called “Beta”" in page
    page = library(client, world, team=world.other_team.slug)
    assert "Beta learned this" in page and "Examples beat videos" not in page
    assert 'value="Beta"' not in _input(library(client, world), "team")


def test_team_suggestions_are_the_organisations_teams_only(client: Client, world: f.World) -> None:
    f.team(world.org, 'Quote "and" <tag>')
    found = suggestions(client, world)
    assert found.startswith('<datalist id="library-teams">')
    assert '<option value="Quote &quot;and&quot; &lt;tag&gt;">' in found
    assert world.foreign_objective.team.name not in found
    assert client.get("/o/globex/learnings/teams/").status_code == 404
    client.logout()
    assert client.get(LIBRARY + "teams/").status_code in (302, 404)


def test_a_team_is_shown_and_suggested_as_what_finds_it_again(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    """A name that is another team's short name, or two teams' name, shows as the short
    name: searching again with what the field shows finds the same team."""
    with committed():
        world.other_team.name = world.team.slug  # Beta's name is Alpha's short name
        world.other_team.save()
        twin_one, twin_two = f.team(world.org, "Twins"), f.team(world.org, "Twins")
    f.learning(world.other_team, "Beta learned this")
    f.learning(twin_two, "The second twin learned this")
    page = library(client, world, team=world.other_team.slug)
    shown = re.search(r'value="([^"]*)"', _input(page, "team"))
    assert shown is not None and shown.group(1) == world.other_team.slug
    again = library(client, world, team=shown.group(1))
    assert "Beta learned this" in again
    page = library(client, world, team=twin_two.slug)
    assert f'value="{twin_two.slug}"' in _input(page, "team")
    assert "The second twin learned this" in page
    found = suggestions(client, world)
    assert f'<option value="{world.other_team.slug}">{world.team.slug}</option>' in found
    assert f'<option value="{twin_one.slug}">Twins</option>' in found
    assert f'<option value="{twin_two.slug}">Twins</option>' in found
    assert f'<option value="Alpha">{world.team.slug}</option>' in found


def test_an_htmx_answer_shows_filter_errors_above_its_results_only(
    client: Client, world: f.World, learning: Learning
) -> None:
    client.force_login(world.member.person)
    answer = client.get(
        LIBRARY, {"team": "nope"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="learning-results"
    ).text
    assert answer.count("No team is called “nope”.") == 1 and "<form" not in answer
    other = client.get(LIBRARY, {"team": "nope"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert other.text.count("No team is called “nope”.") == 1  # beside the field only
    assert library(client, world, team="nope").count("No team is called “nope”.") == 1


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]* name="{name}"[^>]*>', page)
    assert found is not None
    return found.group()


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]* name="{name}"[^>]*>.*?</select>', page, re.DOTALL)
    assert found is not None
    return found.group()
