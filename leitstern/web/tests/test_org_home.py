from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.okrs.models import Phase
from leitstern.okrs.services import move_cycle
from leitstern.orgs.models import Membership
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def login(client: Client, membership: object) -> None:
    client.force_login(membership.person)  # type: ignore[attr-defined]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: f.World) -> None:
    response = client.get("/o/acme/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_org_home_shows_frame_first_then_objectives(client: Client, world: f.World) -> None:
    Frame.objects.create(organization=world.org, vision="Lodestar vision", purpose="Why we are")
    Moal.objects.create(organization=world.org, title="Grow by referrals")
    login(client, world.member)
    page = client.get("/o/acme/").text
    assert (
        page.index("Lodestar vision")
        < page.index("Grow by referrals")
        < page.index(world.objective.title)
    )
    assert world.foreign_objective.title not in page


def test_another_organisations_home_is_404(client: Client, world: f.World) -> None:
    login(client, world.outsider)
    assert client.get("/o/acme/").status_code == 404
    assert client.get("/o/does-not-exist/").status_code == 404
    assert client.get("/o/globex/").status_code == 200


def test_single_membership_goes_straight_to_its_organisation(
    client: Client, world: f.World
) -> None:
    login(client, world.member)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/o/acme/"


def test_org_home_in_german(client: Client, world: f.World) -> None:
    login(client, world.member)
    page = client.get("/o/acme/", HTTP_ACCEPT_LANGUAGE="de").text
    assert 'lang="de"' in page and "Abmelden" in page


# --- the cached frame and cycle (web/views.py _org_head, web/fragments.py) ----------------------

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def org_home(client: Client, membership: Membership) -> str:
    client.force_login(membership.person)
    response = client.get(f"/o/{membership.organization.slug}/")
    assert response.status_code == 200
    return response.text


def test_frame_and_moal_changes_show_on_a_warm_org_home(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    assert "No vision or purpose written yet" in org_home(client, world.member)
    with committed():
        frame = Frame.objects.create(organization=world.org, vision="Every clinic on time")
    assert "Every clinic on time" in org_home(client, world.member)
    with committed():
        frame.vision = "Every clinic, every day"
        frame.save()
    assert "Every clinic, every day" in org_home(client, world.member)
    with committed():
        moal = Moal.objects.create(organization=world.org, title="Half of bookings online")
    assert "Half of bookings online" in org_home(client, world.member)
    with committed():
        moal.archived = True
        moal.save()
    assert "Half of bookings online" not in org_home(client, world.member)
    with committed():
        moal.archived = False
        moal.save()
    assert "Half of bookings online" in org_home(client, world.member)
    with committed():
        moal.delete()
    assert "Half of bookings online" not in org_home(client, world.member)


def test_a_new_cycle_phase_shows_on_a_warm_org_home(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    assert "Running" in org_home(client, world.member)
    with committed():
        move_cycle(cycle=world.cycle, to=Phase.REFLECTING, by=world.facilitator)
    assert f"{world.cycle.name} · Reflecting" in org_home(client, world.member)


def test_the_empty_state_shows_beside_strategy_time_cards(client: Client, db: None) -> None:
    org = f.organization("fresh")
    f.cycle(org)
    team = f.team(org, "Delta")
    StrategyTime.objects.create(organization=org, team=team, slot="Friday afternoons")
    page = org_home(client, f.member(org))
    assert "Friday afternoons" in page
    assert "Teams write their objectives during planning." in page


def test_no_empty_state_once_a_team_has_objectives(client: Client, world: f.World) -> None:
    StrategyTime.objects.create(organization=world.org, team=world.other_team, slot="Fridays")
    page = org_home(client, world.member)
    assert "Fridays" in page and world.objective.title in page
    assert "Teams write their objectives during planning." not in page


def team_card(page: str, team_name: str) -> str:
    card = page[page.index(f"<summary><strong>{team_name}</strong></summary>") :]
    return card[: card.index("</details>")]


def test_a_team_without_objectives_shows_on_the_org_home_saying_so(
    client: Client, world: f.World
) -> None:
    page = org_home(client, world.member)  # Beta has neither objectives nor strategy time
    beta = team_card(page, world.other_team.name)
    assert "No objectives in this cycle yet." in beta
    assert f'href="/o/acme/teams/{world.other_team.slug}/"' in beta
    alpha = team_card(page, world.team.name)
    assert world.objective.title in alpha and "No objectives in this cycle yet." not in alpha
    german = client.get("/o/acme/", HTTP_ACCEPT_LANGUAGE="de").text
    assert "Noch keine Objectives in diesem Zyklus." in team_card(german, world.other_team.name)


def test_without_any_cycle_a_card_speaks_of_no_cycle(client: Client, db: None) -> None:
    fresh = f.organization("fresh")
    f.team(fresh, "Gamma")
    card = team_card(org_home(client, f.member(fresh)), "Gamma")
    assert "No objectives yet." in card and "in this cycle" not in card


def test_only_other_organisations_are_offered_to_switch_to(client: Client, world: f.World) -> None:
    assert "Switch organisation" not in org_home(client, world.member)
    Membership.objects.create(organization=world.other_org, person=world.member.person)
    page = org_home(client, world.member)
    switch = page[page.index("Switch organisation:") :]
    switch = switch[: switch.index("</p>")]
    assert 'href="/o/globex/">Globex</a>' in switch and "Acme" not in switch


def test_new_and_removed_teams_change_the_pages_of_a_warm_org_home(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    assert "Page 1 of" not in org_home(client, world.member)
    with committed():
        extra = [f.team(world.org, f"Zeta {i:02}") for i in range(24)]
    assert "Page 1 of 2" in org_home(client, world.member)
    with committed():
        extra[0].delete()
    assert "Page 1 of" not in org_home(client, world.member)
