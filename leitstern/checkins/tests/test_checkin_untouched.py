"""A week already checked in comes back filled in; saving it again saves (and judges) only
the rows the person changed. Found in a new-user walkthrough: re-saving a past week failed
on an untouched row whose confidence had dropped without a note."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from leitstern.checkins.models import CheckIn
from leitstern.okrs.models import KeyResult
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def url(world: f.World) -> str:
    return f"/o/acme/teams/{world.team.slug}/check-in/"


def as_browser(html: str) -> dict[str, str]:
    """What a browser posts for the page as shown: every input's value (textareas' text)."""
    data: dict[str, str] = {}
    for match in re.finditer(
        r'<input[^>]*?name="((?:initial-)?kr-[^"]+)"[^>]*>|<textarea[^>]*?name="(kr-[^"]+)"[^>]*>([^<]*)</textarea>',
        html,
    ):
        if match.group(1):
            value = re.search(r'value="([^"]*)"', match.group(0))
            data[match.group(1)] = value.group(1) if value else ""
        else:
            data[match.group(2)] = match.group(3).strip("\n")
    return data


@pytest.fixture
def checked_in(world: f.World) -> tuple[KeyResult, KeyResult]:
    """Two key results checked in this week; the first's confidence dropped from last week
    without a note (as the demo data has it)."""
    second = f.key_result(world.objective, "Weekly active clinics", baseline="5", target="50")
    f.checkin(world.key_result, "12", 7, weeks_ago=1)
    f.checkin(world.key_result, "13", 4)
    f.checkin(second, "20", 6, note="Steady")
    return world.key_result, second


def test_saving_a_week_unchanged_saves_and_judges_nothing(
    client: Client, world: f.World, checked_in: Any
) -> None:
    client.force_login(world.member.person)
    data = as_browser(client.get(url(world)).text)
    assert f"initial-kr-{checked_in[0].uuid}-value" in data
    before = {c.pk: c.updated_at for c in CheckIn.objects.all()}
    response = client.post(url(world), data)
    assert response.status_code == 200
    assert "Nothing changed, so nothing was saved." in response.text
    assert "What changed? One sentence helps" not in response.text
    assert 'aria-invalid="true"' not in response.text
    assert {c.pk: c.updated_at for c in CheckIn.objects.all()} == before
    with translation.override("de"):
        client.cookies.load({"django_language": "de"})
        german = client.post(url(world), data, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Nichts geändert, also nichts gespeichert." in german


def test_only_the_changed_row_is_saved_and_counted(
    client: Client, world: f.World, checked_in: Any
) -> None:
    first, second = checked_in
    client.force_login(world.member.person)
    data = as_browser(client.get(url(world)).text)
    data[f"kr-{second.uuid}-value"] = "22"
    untouched = CheckIn.objects.filter(key_result=first).latest("week")
    response = client.post(url(world), data, follow=True)
    assert "Check-in saved for 1 key result." in response.text
    assert CheckIn.objects.get(key_result=second, week=untouched.week).value == 22
    assert CheckIn.objects.get(pk=untouched.pk).updated_at == untouched.updated_at


def test_clearing_a_shown_value_is_a_change(
    client: Client, world: f.World, checked_in: Any
) -> None:
    _first, second = checked_in
    client.force_login(world.member.person)
    data = as_browser(client.get(url(world)).text)
    assert data[f"kr-{second.uuid}-note"] == "Steady"
    data[f"kr-{second.uuid}-note"] = ""
    assert client.post(url(world), data).status_code == 302
    assert CheckIn.objects.get(key_result=second).note == ""


def test_a_changed_row_is_still_judged(client: Client, world: f.World, checked_in: Any) -> None:
    first, _second = checked_in
    client.force_login(world.member.person)
    data = as_browser(client.get(url(world)).text)
    data[f"kr-{first.uuid}-value"] = "14"  # confidence 4 after last week's 7, still no note
    response = client.post(url(world), data)
    assert response.status_code == 200
    assert "What changed? One sentence helps the others understand." in response.text
    assert CheckIn.objects.filter(key_result=first).latest("week").value == 13


def test_a_day_before_the_cycle_shows_the_current_week(client: Client, world: f.World) -> None:
    client.force_login(world.member.person)
    page = client.get(url(world), {"day": "1999-01-01"}).text
    assert f'name="kr-{world.key_result.uuid}-value"' in page  # the form, not a refusal
    assert "check-ins begin then" not in page
