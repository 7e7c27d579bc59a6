"""Cached fragments of the team page and the organisation home (web/fragments.py).

Every change shown in a fragment must reach the next request. Page versions are written
after a commit; inside a test's transaction nothing commits, so each change runs inside
`django_capture_on_commit_callbacks(execute=True)` — as a request's commit would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from leitstern.frame.models import StrategyTime
from leitstern.okrs.models import Phase
from leitstern.okrs.services import (
    add_key_result,
    commit_objectives,
    move_cycle,
    update_objective,
)
from leitstern.orgs.models import Membership, Organization, Role, Team
from leitstern.orgs.services import set_teams
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def team_page(client: Client, membership: Membership, team: Team) -> str:
    client.force_login(membership.person)
    response = client.get(f"/o/{team.organization.slug}/teams/{team.slug}/")
    assert response.status_code == 200
    return response.text


def org_home(client: Client, membership: Membership) -> str:
    client.force_login(membership.person)
    response = client.get(f"/o/{membership.organization.slug}/")
    assert response.status_code == 200
    return response.text


@pytest.fixture
def warm(client: Client, world: f.World) -> Iterator[None]:
    """Both pages rendered once, so the next request would come from the cache."""
    team_page(client, world.member, world.team)
    org_home(client, world.member)
    yield


def both_pages(client: Client, world: f.World) -> tuple[str, str]:
    return team_page(client, world.member, world.team), org_home(client, world.member)


def test_a_warm_team_page_needs_no_objective_queries(client: Client, world: f.World) -> None:
    client.force_login(world.member.person)
    url = f"/o/acme/teams/{world.team.slug}/"
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).text
    with CaptureQueriesContext(connection) as hot:
        second = client.get(url).text
    assert first == second.replace(_csrf(second), _csrf(first))
    assert len(hot) < len(cold)
    assert not any("okrs_objective" in q["sql"] for q in hot.captured_queries)


def _csrf(page: str) -> str:
    marker = '"X-CSRFToken": "'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_check_in_shows_on_both_pages_at_once(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        f.checkin(world.key_result, "27", 3)
    team, home = both_pages(client, world)
    for page in (team, home):
        assert "85 %" in page  # (27 - 10) / (30 - 10)
        assert "3/10" in page


def test_objective_and_key_result_edits_show(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        update_objective(objective=world.objective, title="Newcomers feel at home fast")
        add_key_result(
            objective=world.objective,
            title="Share of newcomers active in week two",
            baseline=Decimal("5"),
            target=Decimal("25"),
            unit="%",
        )
    for page in both_pages(client, world):
        assert "Newcomers feel at home fast" in page
        assert "Share of newcomers active in week two" in page


def test_committing_drafts_changes_the_status(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    draft = f.objective(world.team, world.cycle, "A draft we agree on")
    f.key_result(draft)
    page = team_page(client, world.member, world.team)
    assert "Commit our objectives" in page
    with committed():
        commit_objectives(team=world.team, cycle=world.cycle)
    page = team_page(client, world.member, world.team)
    assert "Commit our objectives" not in page


def test_cycle_phase_changes_show_on_every_team(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    assert "Weekly check-in" in team_page(client, world.member, world.team)
    with committed():
        move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    page = team_page(client, world.member, world.team)
    assert "Reflecting" in page


def test_strategy_time_shows_on_team_page_and_org_home(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        StrategyTime.objects.create(
            organization=world.org, team=world.team, hours_per_week=3, slot="Thursday mornings"
        )
    for page in both_pages(client, world):
        assert "Thursday mornings" in page


def test_health_readings_show(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        metric = f.health_metric(world.org, world.team, "Deploys per week")
    assert "Deploys per week" in team_page(client, world.member, world.team)
    with committed():
        f.health_reading(metric, "7")
    page = team_page(client, world.member, world.team)
    assert "Deploys per week" in page and ">7<" in page.replace(" ", "")


def test_members_and_their_names_show(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    newcomer = f.member(world.org, email="newcomer@acme.test")
    with committed():
        set_teams(membership=newcomer, teams=[world.team])
    assert "newcomer@acme.test" in team_page(client, world.member, world.team)
    with committed():
        newcomer.person.name = "Nora Newcomer"
        newcomer.person.save()
    assert "Nora Newcomer" in team_page(client, world.member, world.team)
    with committed():
        set_teams(membership=newcomer, teams=[])
    assert "Nora Newcomer" not in team_page(client, world.member, world.team)


def test_a_sign_in_does_not_throw_the_cache_away(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    version = Organization.objects.get(pk=world.org.pk).page_version
    with committed():
        client.force_login(world.member.person)  # saves last_login only
    assert Organization.objects.get(pk=world.org.pk).page_version == version


def test_renaming_a_team_shows_on_its_parent(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    child = f.team(world.org, "Little one", parent=world.team)
    assert "Little one" in team_page(client, world.member, world.team)
    with committed():
        child.name = "Grown-up"
        child.save()
    assert "Grown-up" in team_page(client, world.member, world.team)


def test_each_viewer_gets_their_own_buttons(client: Client, world: f.World) -> None:
    # the member edits their own team; the other team's member may only read it
    reader = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    assert "Weekly check-in" in team_page(client, world.member, world.team)
    assert "Weekly check-in" not in team_page(client, reader, world.team)
    assert "Weekly check-in" in team_page(client, world.member, world.team)


def test_each_language_gets_its_own_fragment(client: Client, world: f.World) -> None:
    english = team_page(client, world.member, world.team)
    client.force_login(world.member.person)
    german = client.get(f"/o/acme/teams/{world.team.slug}/", headers={"accept-language": "de"}).text
    assert not world.member.person.language  # a stored preference would win over the header
    assert "Geschützte Strategiezeit" in german
    assert "Protected strategy time" in english


def test_the_stale_note_goes_with_a_new_check_in(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    with committed():
        f.checkin(world.key_result, "20", 6, weeks_ago=2)
    page = team_page(client, world.member, world.team)
    assert "No check-in for two weeks" in page
    with committed():
        f.checkin(world.key_result, "22", 6)
    assert "No check-in for two weeks" not in team_page(client, world.member, world.team)


def test_a_rolled_back_change_still_bumps_at_the_next_commit(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    before = Team.objects.get(pk=world.team.pk).page_version
    with committed():
        try:
            with transaction.atomic():
                update_objective(objective=world.objective, title="Never saved")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    with committed():
        f.checkin(world.key_result, "12", 5)
    assert Team.objects.get(pk=world.team.pk).page_version != before
    page = team_page(client, world.member, world.team)
    assert "Never saved" not in page
    assert "Customers love onboarding" in page


def test_other_organisations_fragments_never_mix(client: Client, world: f.World) -> None:
    home = org_home(client, world.member)
    assert "Globex private plans" not in home
    client.force_login(world.outsider.person)
    globex = client.get("/o/globex/").text
    assert "Globex private plans" in globex
    assert world.objective.title not in globex


def test_the_key_carries_day_language_and_both_versions(world: f.World) -> None:
    from leitstern.web import fragments

    with translation.override("de"):
        key = fragments.team_key("team-page", world.team, world.org, 1)
    parts = key.split(":")
    assert parts[:6] == [
        "team-page",
        fragments.RELEASE,  # a new release never reads an old release's markup
        str(world.team.pk),
        str(world.team.page_version),
        str(world.org.page_version),
        "de",
    ]
    assert parts[6] == timezone.localdate().isoformat()  # stale notes change with the day


def test_a_metric_moved_to_another_team_leaves_the_old_page(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    with committed():
        metric = f.health_metric(world.org, world.team, "Pager alerts per week")
    assert "Pager alerts per week" in team_page(client, world.member, world.team)
    with committed():
        metric.team = world.other_team
        metric.save()
    assert "Pager alerts per week" not in team_page(client, world.member, world.team)
    assert "Pager alerts per week" in team_page(client, world.member, world.other_team)
    with committed():
        metric.team = None  # organisation-wide
        metric.save()
    assert "Pager alerts per week" not in team_page(client, world.member, world.other_team)


def test_an_objective_moved_to_another_team_leaves_the_old_card(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        world.objective.team = world.other_team
        world.objective.save()
    assert "Customers love onboarding" not in team_page(client, world.member, world.team)
    home = org_home(client, world.member)
    assert home.index("Beta") < home.index("Customers love onboarding")
