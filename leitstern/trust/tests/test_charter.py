"""The trust charter and the record of processing follow the organisation's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from leitstern.orgs.models import Attribution
from leitstern.tests import factories

pytestmark = pytest.mark.django_db

CHARTER = reverse("charter", kwargs={"org": "acme"})


def charter(client, world, **changes) -> str:
    for field, value in changes.items():
        setattr(world.org, field, value)
    world.org.save()
    client.force_login(world.member.person)
    response = client.get(CHARTER)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : start + 1500]


def test_every_member_reads_the_charter_with_defaults(client, world) -> None:
    page = charter(client, world)
    assert "Trust charter of Acme" in page
    assert "attributed to teams only" in section(page, "attribution")
    assert "at most 5 objectives per team and cycle, at most 5 key results" in page
    assert "up to 7 days after a cycle ends" in page
    assert "deleted after 90 days" in section(page, "audit")
    assert "at least 5 people answered" in section(page, "pulse")
    assert "never ranked or compared across teams" in page


@pytest.mark.parametrize(
    ("field", "value", "anchor", "expected"),
    [
        ("attribution", Attribution.TEAM_AND_NAME, "attribution", "show the writer's name"),
        ("max_objectives_per_team", 3, "limits", "at most 3 objectives"),
        ("max_key_results_per_objective", 4, "limits", "at most 4 key results"),
        ("pulse_min_responses", 7, "pulse", "at least 7 people answered"),
        ("audit_retention_days", 30, "audit", "deleted after 30 days"),
        ("late_checkin_days", 14, "late", "up to 14 days after"),
        ("late_checkin_days", 1, "late", "up to 1 day after"),
    ],
)
def test_changing_a_setting_changes_the_charter(client, world, field, value, anchor, expected):
    before = section(charter(client, world), anchor)
    assert expected not in before
    after = section(charter(client, world, **{field: value}), anchor)
    assert expected in after


def test_the_charter_names_teams_smaller_than_k_honestly(client, world) -> None:
    page = charter(client, world)
    small = section(page, "small-teams")
    assert "Alpha: 1 member" in small and "Beta: 0 members" in small
    assert "team-level figures can point to individuals" in page
    for _ in range(4):
        factories.member(world.org, teams=(world.team,))
    small = section(charter(client, world), "small-teams")
    assert "Alpha" not in small and "Beta: 0 members" in small
    small = section(charter(client, world, pulse_min_responses=3), "small-teams")
    assert "Beta" in small


def test_the_charter_is_german_too(client, world) -> None:
    client.force_login(world.member.person)
    page = client.get(CHARTER, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Vertrauenscharta von Acme" in page and "Was Leitstern nie erfasst" in page


def test_the_charter_escapes_user_text(client, world) -> None:
    world.other_team.name = "<script>alert(1)</script>"
    world.other_team.save()
    page = charter(client, world, name="<script>evil()</script>")
    assert "<script>alert(1)" not in page and "<script>evil()" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_charter_prints_cleanly() -> None:
    css = (Path(__file__).resolve().parents[2] / "static/leitstern/leitstern.css").read_text()
    assert "@media print" in css and ".ls-charter" in css


def test_charter_and_record_are_404_for_other_organisations(client, world) -> None:
    client.force_login(world.outsider.person)
    assert client.get(CHARTER).status_code == 404
    assert client.get(reverse("privacy_record", kwargs={"org": "acme"})).status_code == 404
    client.logout()
    assert client.get(CHARTER).status_code == 302


def test_the_record_of_processing_lists_data_purpose_and_retention(client, world) -> None:
    client.force_login(world.member.person)
    url = reverse("privacy_record", kwargs={"org": "acme"})
    page = client.get(url).content.decode()
    for text in ("Account", "Pulse participation", "Security audit trail", "Failed sign-ins"):
        assert text in page
    assert "90 days, then deleted" in page
    assert "Not recorded: this organisation attributes" in page
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.audit_retention_days = 10
    world.org.save()
    page = client.get(url).content.decode()
    assert "10 days, then deleted" in page and "Your name as plain text" in page
    assert "Verarbeitungsverzeichnis" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_the_charter_query_count_stays_flat(client, world, django_assert_max_num_queries) -> None:
    for index in range(10):
        factories.team(world.org, f"Team {index}")
    client.force_login(world.member.person)
    with django_assert_max_num_queries(8):
        assert client.get(CHARTER).status_code == 200
