"""Health metrics: watched, not scored; readings, metric forms, permissions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from leitstern.health.models import HealthMetric, HealthReading
from leitstern.orgs.models import Role
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
HEALTH = "/o/acme/health/"


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def reading_url(metric: HealthMetric) -> str:
    return f"{HEALTH}{metric.uuid}/readings/"


def today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_health_page_is_separate_and_never_scored(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team, "Ticket backlog", unit="tickets")
    for days_ago, value in ((2, "3"), (1, "3.5"), (0, "6")):
        f.health_reading(metric, value, days_ago=days_ago)
    f.health_metric(world.org, None, "Uptime", healthy_min="99.5", healthy_max=None)
    page = as_(client, world.member).get(HEALTH).text
    assert "Health metrics are watched, not scored. They are never OKRs." in page
    assert "Ticket backlog" in page and "Uptime" in page
    assert "outside the healthy range" in page and "6 tickets" in page
    assert page.index("Uptime") < page.index("Ticket backlog")  # organisation first, then teams
    assert '<svg class="ls-health-spark"' in page and "oldest first: 3, 3.5, 6." in page
    assert "at least 99.5" in page and "No reading yet." in page
    for verdict in ("score", "rank", "red", "green"):
        assert f"ls-{verdict}" not in page


def test_inside_the_healthy_range_in_plain_words(client: Client, world: f.World) -> None:
    f.health_reading(f.health_metric(world.org, world.team), "2")
    page = as_(client, world.member).get(HEALTH).text
    assert "inside the healthy range" in page and "outside the healthy range" not in page


def test_empty_health_page_explains(client: Client, world: f.World) -> None:
    page = as_(client, world.member).get(HEALTH).text
    assert "No health metrics yet" in page


def test_team_member_adds_a_reading_and_same_day_corrects_it(
    client: Client, world: f.World
) -> None:
    metric = f.health_metric(world.org, world.team, "Ticket backlog")
    c = as_(client, world.member)
    response = c.post(reading_url(metric), {"value": "4.2", "measured_on": today()}, follow=True)
    assert response.redirect_chain == [(HEALTH, 302)]
    assert "Reading saved." in response.text and "You replaced" not in response.text
    response = c.post(reading_url(metric), {"value": "3.25", "measured_on": today()}, follow=True)
    assert list(HealthReading.objects.values_list("value", flat=True)) == [3.25]
    assert "You replaced today&#x27;s reading of Ticket backlog (was 4.2)." in response.text
    assert "Reading saved." not in response.text


def test_replacing_an_earlier_day_names_the_day(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team, "Ticket backlog")
    f.health_reading(metric, "7", days_ago=3)
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = as_(client, world.member).post(
        reading_url(metric), {"value": "5", "measured_on": day.isoformat()}, follow=True
    )
    shown = date_format(day, "SHORT_DATE_FORMAT")
    assert f"You replaced the reading of Ticket backlog for {shown} (was 7)." in response.text
    assert list(HealthReading.objects.values_list("value", flat=True)) == [5]


def test_replacing_says_so_in_the_card_and_in_german(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team, "Ticket backlog")
    f.health_reading(metric, "4.2")
    c = as_(client, world.member)
    data = {"value": "3", "measured_on": today()}
    card = c.post(reading_url(metric), data, HTTP_HX_REQUEST="true").text
    assert "<html" not in card and "Reading saved." not in card
    assert '<p role="status">You replaced today&#x27;s reading of Ticket backlog (was 4.2).' in card
    f.health_reading(metric, "9", days_ago=1)
    with translation.override("de"):  # the day as a German reader sees it
        today_de = c.post(reading_url(metric), data, HTTP_ACCEPT_LANGUAGE="de", follow=True).text
        day = date_format(timezone.localdate() - datetime.timedelta(days=1), "SHORT_DATE_FORMAT")
        earlier_de = c.post(
            reading_url(metric),
            {"value": "8,5", "measured_on": today(-1)},
            HTTP_ACCEPT_LANGUAGE="de",
            follow=True,
        ).text
    assert "Du hast den heutigen Messwert von Ticket backlog ersetzt (vorher 3)." in today_de
    assert f"Du hast den Messwert von Ticket backlog vom {day} ersetzt (vorher 9)." in earlier_de
    assert HealthReading.objects.get(measured_on=today(-1)).value == Decimal("8.5")


def test_htmx_reading_swaps_the_card(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team)
    response = as_(client, world.member).post(
        reading_url(metric), {"value": "9", "measured_on": today()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert f'id="metric-{metric.uuid}"' in response.text and "Reading saved." in response.text
    assert "outside the healthy range" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "abc", "measured_on": today()}, "Enter a number."),
        ({"value": "", "measured_on": today()}, "This field is required."),
        ({"value": "3", "measured_on": today(1)}, "cannot be dated in the future"),
        ({"value": "3", "measured_on": "31.02.2026"}, "Enter a valid date."),
        ({"value": "1e400", "measured_on": today()}, "digits"),
    ],
)
def test_bad_readings_show_inline_errors_and_save_nothing(
    client: Client, world: f.World, data: dict[str, str], message: str
) -> None:
    metric = f.health_metric(world.org, world.team)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = as_(client, world.member).post(reading_url(metric), data, **headers)
        assert response.status_code == 200 and message in response.text
    assert HealthReading.objects.count() == 0


def test_who_keeps_which_metric(client: Client, world: f.World) -> None:
    team_metric = f.health_metric(world.org, world.team)
    org_metric = f.health_metric(world.org, None, "Uptime")
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    data = {"value": "2", "measured_on": today()}
    assert as_(client, beta).post(reading_url(team_metric), data).status_code == 403
    assert as_(client, world.member).post(reading_url(org_metric), data).status_code == 403
    assert as_(client, world.facilitator).post(reading_url(org_metric), data).status_code == 302
    assert as_(client, world.facilitator).post(reading_url(team_metric), data).status_code == 302
    assert HealthReading.objects.count() == 2
    page = as_(client, beta).get(HEALTH).text
    assert "Add a reading" not in page


def test_member_creates_a_team_metric(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    form = c.get(f"{HEALTH}new/").text
    assert "The whole organisation" not in form and world.other_team.name not in form
    response = c.post(
        f"{HEALTH}new/",
        {"name": "Deploys per week", "scope": world.team.slug, "healthy_min": "2"},
    )
    assert response.status_code == 302
    metric = HealthMetric.objects.get()
    assert (metric.team, metric.organization) == (world.team, world.org)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"healthy_min": "5", "healthy_max": "1"}, "must start below where it ends"),
        ({}, "Give the healthy range"),
        ({"scope": "beta", "healthy_min": "1"}, "Select a valid choice"),
        ({"scope": "", "healthy_min": "1"}, "This field is required."),
        ({"healthy_min": "x"}, "Enter a number."),
    ],
)
def test_bad_metrics_show_inline_errors_and_save_nothing(
    client: Client, world: f.World, data: dict[str, str], message: str
) -> None:
    scopes = {"alpha": world.team.slug, "beta": world.other_team.slug, "": ""}
    post = {"name": "Backlog", **data, "scope": scopes[data.get("scope", "alpha")]}
    response = as_(client, world.member).post(f"{HEALTH}new/", post)
    assert response.status_code == 200 and message in response.text
    assert HealthMetric.objects.count() == 0


def test_facilitator_creates_an_org_wide_metric_and_edits_it(
    client: Client, world: f.World
) -> None:
    c = as_(client, world.facilitator)
    c.post(f"{HEALTH}new/", {"name": "Uptime", "scope": "", "healthy_min": "99"})
    metric = HealthMetric.objects.get()
    assert metric.team is None
    assert 'value="Uptime"' in c.get(f"{HEALTH}{metric.uuid}/edit/").text
    c.post(
        f"{HEALTH}{metric.uuid}/edit/", {"name": "Availability", "scope": "", "healthy_min": "99.9"}
    )
    metric.refresh_from_db()
    assert metric.name == "Availability" and str(metric.healthy_min) == "99.9000"


def test_only_the_watching_team_edits_a_metric(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team)
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    assert as_(client, beta).get(f"{HEALTH}{metric.uuid}/edit/").status_code == 403
    lonely = f.member(world.org, Role.MEMBER)
    assert as_(client, lonely).get(f"{HEALTH}new/").status_code == 403


def test_a_reading_added_on_the_metric_page_reloads_it_with_the_table(
    client: Client, world: f.World
) -> None:
    metric = f.health_metric(world.org, world.team)
    page_url = f"http://testserver{HEALTH}{metric.uuid}/"
    response = as_(client, world.member).post(
        reading_url(metric),
        {"value": "9", "measured_on": today()},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page_url,
    )
    assert response.status_code == 200 and response["HX-Redirect"] == f"{HEALTH}{metric.uuid}/"
    page = client.get(response["HX-Redirect"]).text
    assert "Reading saved." in page and "<td>9 " in page  # the message, and the table's new row
    # From the list, the card alone is swapped, as before.
    swapped = client.post(
        reading_url(metric),
        {"value": "8", "measured_on": today(-1)},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{HEALTH}",
    )
    assert "HX-Redirect" not in swapped and f'id="metric-{metric.uuid}"' in swapped.text


def test_metric_page_has_a_readings_table(client: Client, world: f.World) -> None:
    metric = f.health_metric(world.org, world.team)
    f.health_reading(metric, "7", days_ago=1)
    page = as_(client, world.member).get(f"{HEALTH}{metric.uuid}/").text
    assert "<table>" in page and "outside" in page


def test_outsiders_and_other_tenants_get_404(client: Client, world: f.World) -> None:
    foreign = f.health_metric(world.other_org, None, "Globex uptime")
    c = as_(client, world.admin)
    assert "Globex uptime" not in c.get(HEALTH).text
    for path in (f"{HEALTH}{foreign.uuid}/", f"{HEALTH}{foreign.uuid}/edit/"):
        assert c.get(path).status_code == 404
    assert c.post(reading_url(foreign), {"value": "1", "measured_on": today()}).status_code == 404
    assert as_(client, world.outsider).get(HEALTH).status_code == 404
    client.logout()
    assert client.get(HEALTH).status_code == 302


def test_health_in_german(client: Client, world: f.World) -> None:
    f.health_reading(f.health_metric(world.org, world.team), "2")
    page = as_(client, world.member).get(HEALTH, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Gesundheitsmetriken" in page and "im gesunden Bereich" in page


def test_team_partial_renders_metrics_for_the_team_page(world: f.World) -> None:
    metric = f.health_metric(world.org, world.team, "Backlog")
    f.health_reading(metric, "2")
    metrics = HealthMetric.objects.of_team(world.team).with_recent_readings()
    with translation.override("en"):
        html = render_to_string(
            "health/_team_metrics.html", {"metrics": metrics, "organization": world.org}
        )
    assert "Backlog" in html and "inside the healthy range" in html
    assert "Add a reading" not in html
    with translation.override("en"):
        empty = render_to_string(
            "health/_team_metrics.html", {"metrics": [], "organization": world.org}
        )
    assert "watches no health metrics yet" in empty


def test_recent_readings_in_two_queries(world: f.World, django_assert_num_queries: Any) -> None:
    for i in range(4):
        metric = f.health_metric(world.org, world.team, f"M{i}")
        for day in range(15):
            f.health_reading(metric, str(day % 5), days_ago=day)
    with django_assert_num_queries(2):
        metrics = list(HealthMetric.objects.of_team(world.team).with_recent_readings())
        assert [len(m.chronological_readings) for m in metrics] == [12] * 4
        assert metrics[0].latest_reading.measured_on == timezone.localdate()


@pytest.mark.parametrize("count", [2, 25])
def test_health_page_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, count: int
) -> None:
    for i in range(count):
        metric = f.health_metric(world.org, world.team if i % 2 else f.team(world.org), f"M{i}")
        for day in range(3):
            f.health_reading(metric, str(day), days_ago=day)
    c = as_(client, world.member)
    with django_assert_max_num_queries(8):
        assert c.get(HEALTH).status_code == 200
