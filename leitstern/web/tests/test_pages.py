from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.orgs.models import Membership, Role, Team
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def as_(client: Client, membership: object) -> Client:
    client.force_login(membership.person)  # type: ignore[attr-defined]
    return client


def test_team_directory_is_a_tree_not_a_ranking(client: Client, world: f.World) -> None:
    f.team(world.org, "Aardvark child", parent=world.other_team)
    page = as_(client, world.member).get("/o/acme/teams/").text
    assert page.index("Alpha") < page.index("Beta") < page.index("Aardvark child")
    assert "Gamma" not in page


def test_team_page_shows_objectives_members_and_strategy_time(
    client: Client, world: f.World
) -> None:
    StrategyTime.objects.create(
        organization=world.org, team=world.team, hours_per_week=4, slot="Tuesdays"
    )
    page = as_(client, world.admin).get(f"/o/acme/teams/{world.team.slug}/").text
    for text in (
        world.objective.title,
        world.key_result.title,
        "member@acme.test",
        "4 hours a week",
        "Tuesdays",
    ):
        assert text in page


def test_team_sets_its_own_strategy_time(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    url = f"/o/acme/teams/{world.team.slug}/strategy-time/"
    response = c.post(url, {"hours_per_week": "", "slot": ""})
    assert response.status_code == 200 and "fixed slot" in response.text
    assert c.post(url, {"hours_per_week": "3", "slot": ""}).status_code == 302
    assert StrategyTime.objects.get(team=world.team).hours_per_week == 3
    assert "3 hours a week" in c.get("/o/acme/").text
    other = f.member(world.org, teams=(world.other_team,))
    assert as_(Client(), other).post(url, {"hours_per_week": "9"}).status_code == 403


def test_facilitator_writes_the_frame_members_cannot(client: Client, world: f.World) -> None:
    c = as_(client, world.facilitator)
    c.post("/o/acme/frame/edit/", {"vision": "Every clinic on time", "purpose": "Respect"})
    c.post("/o/acme/frame/moals/new/", {"title": "Half of bookings online"})
    assert Frame.objects.get(organization=world.org).vision == "Every clinic on time"
    assert Moal.objects.filter(organization=world.org).count() == 1
    m = as_(Client(), world.member)
    assert m.post("/o/acme/frame/edit/", {"vision": "x"}).status_code == 403
    assert m.get("/o/acme/frame/").status_code == 200


def test_first_run_guides_a_new_organisation(client: Client, db: None) -> None:
    org = f.organization("fresh")
    admin = f.member(org, Role.ADMIN)
    page = as_(client, admin).get("/o/fresh/").text
    assert "Getting started" in page and "Plan the first cycle" in page
    assert "No objectives in this cycle yet" in page


def test_admin_invites_a_person_with_an_email(client: Client, world: f.World) -> None:
    c = as_(client, world.admin)
    response = c.post(
        "/o/acme/people/invite/",
        {"email": "New@Acme.test", "role": "member", "teams": [world.team.pk]},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person__email="new@acme.test")
    assert list(membership.teams.all()) == [world.team]
    assert len(mail.outbox) == 1 and "new@acme.test" in mail.outbox[0].to
    again = c.post("/o/acme/people/invite/", {"email": "new@acme.test", "role": "member"})
    assert again.status_code == 400 and "already a member" in again.text
    assert as_(Client(), world.member).get("/o/acme/people/").status_code == 403


def test_the_last_admin_cannot_step_down(client: Client, world: f.World) -> None:
    c = as_(client, world.admin)
    response = c.post(f"/o/acme/people/{world.admin.pk}/", {"role": "member"})
    assert response.status_code == 200 and "at least one admin" in response.text
    world.admin.refresh_from_db()
    assert world.admin.role == Role.ADMIN


def test_admin_creates_teams_with_unique_short_names(client: Client, world: f.World) -> None:
    c = as_(client, world.admin)
    assert c.post("/o/acme/teams-admin/new/", {"name": "Care"}).status_code == 302
    response = c.post("/o/acme/teams-admin/new/", {"name": "Care"})
    assert response.status_code == 200 and "short name" in response.text
    assert Team.objects.filter(organization=world.org, slug="care").count() == 1


def test_person_admin_page_of_another_org_is_404(client: Client, world: f.World) -> None:
    assert as_(client, world.admin).get(f"/o/acme/people/{world.outsider.pk}/").status_code == 404


def test_handbook_is_public_and_bilingual(client: Client, db: None) -> None:
    assert "Teams own OKRs, never persons" in client.get("/handbook/").text
    assert "OKRs gehören Teams" in client.get("/handbook/", HTTP_ACCEPT_LANGUAGE="de").text


def test_language_choice_is_kept_on_the_person(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    c.post("/i18n/setlang/", {"language": "de", "next": "/o/acme/"})
    world.member.person.refresh_from_db()
    assert world.member.person.language == "de"
    fresh = as_(Client(), world.member)  # another device, English browser
    assert "Abmelden" in fresh.get("/o/acme/", HTTP_ACCEPT_LANGUAGE="en").text


def test_numbers_are_localised(client: Client, world: f.World) -> None:
    from decimal import Decimal

    from leitstern.checkins.services import record_checkin

    record_checkin(key_result=world.key_result, value=Decimal("12.5"), confidence=5)
    url = f"/o/acme/key-results/{world.key_result.uuid}/"
    assert "12,5" in as_(client, world.member).get(url, HTTP_ACCEPT_LANGUAGE="de").text
    world.member.person.language = "en"
    world.member.person.save()
    assert "12.5" in client.get(url).text


@pytest.mark.parametrize(
    "path", ["vendor/pico-2.1.1.min.css", "vendor/htmx-2.0.11.min.js", "leitstern/leitstern.css"]
)
def test_static_files_are_served(client: Client, db: None, path: str) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find(path) is not None
    assert f"/static/{path}" in client.get("/accounts/login/").text or path.endswith(".css")


def test_org_home_pages_through_many_teams_alphabetically(client: Client, world: f.World) -> None:
    for i in range(30):
        team = f.team(world.org, f"Zeta {i:02d}")
        f.objective(team, world.cycle, f"Zeta objective {i:02d}")
    c = as_(client, world.member)
    first = c.get("/o/acme/").text
    assert world.objective.title in first and "Zeta objective 22" in first
    assert "Zeta objective 23" not in first and "Page 1 of 2" in first
    second = c.get("/o/acme/?page=2").text
    assert "Zeta objective 29" in second and world.objective.title not in second
    found = c.get("/o/acme/?q=Alpha").text
    assert world.objective.title in found and "Zeta objective" not in found


def test_removing_a_person_needs_the_confirmation(client: Client, world: f.World) -> None:
    c = as_(client, world.admin)
    url = f"/o/acme/people/{world.member.pk}/"
    c.post(url, {"remove": "1"})  # e.g. Enter in the wrong place: nothing happens
    assert Membership.objects.filter(pk=world.member.pk).exists()
    c.post(url, {"remove": "1", "confirm_remove": "1"})
    assert not Membership.objects.filter(pk=world.member.pk).exists()


def test_german_decimal_comma_is_understood(client: Client, world: f.World) -> None:
    from decimal import Decimal

    from leitstern.okrs.models import KeyResult

    c = as_(client, world.member)
    c.post(
        f"/o/acme/objectives/{world.objective.uuid}/key-results/new/",
        {
            "title": "Anteil aktiver Kunden",
            "kind": "metric",
            "unit": "%",
            "baseline": "12,5",
            "target": "40,75",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    kr = KeyResult.objects.get(title="Anteil aktiver Kunden")
    assert (kr.baseline, kr.target) == (Decimal("12.5"), Decimal("40.75"))


def test_not_found_page_is_ours_and_german(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get("/o/globex/", HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 404 and "Nicht gefunden" in page.text


def test_empty_key_result_form_has_no_coach_review(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get(
        f"/o/acme/objectives/{world.objective.uuid}/key-results/new/"
    )
    assert "None" not in page.text and "ls-coach" not in page.text
