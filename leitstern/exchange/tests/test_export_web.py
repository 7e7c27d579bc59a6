"""Downloads on the page, the API's answer and the command line: per cycle, streamed when
large, refused with what to do instead when too large for a web worker's time limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from leitstern.accounts.models import Person
from leitstern.exchange import export, views
from leitstern.exchange.export import build_document, to_csv, to_json, to_yaml
from leitstern.exchange.tests import orm_reference
from leitstern.tests import factories as f
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its person's language for the thread; later tests expect English."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def facilitator(world: f.World, client: Client) -> Client:
    f.checkin(world.key_result, "20", 6, problem="We lack data", learning="Ask earlier")
    f.checkin(world.key_result, "15", 5, weeks_ago=1)
    client.force_login(world.facilitator.person)
    return client


def _body(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_downloads_of_everything_and_of_one_cycle(world: f.World, facilitator: Client) -> None:
    later = f.cycle(world.org, weeks_ago=-20, name="Q3 2027")
    f.key_result(f.objective(world.team, later, "Next quarter's outcome"))
    page = facilitator.get("/o/acme/exchange/").content.decode()
    assert 'href="?download=yaml"' in page and f'value="{later.uuid}"' in page
    yaml_file = facilitator.get("/o/acme/exchange/", {"download": "yaml"})
    assert _body(yaml_file) == to_yaml(build_document(world.org))
    one = facilitator.get("/o/acme/exchange/", {"download": "json", "cycle": str(later.uuid)})
    assert _body(one) == to_json(build_document(world.org, cycle=later))
    assert "-q3-2027-okrs-" in one["Content-Disposition"]
    assert "Next quarter" in _body(one) and world.objective.title not in _body(one)
    sheet = facilitator.get("/o/acme/exchange/", {"download": "csv", "cycle": str(later.uuid)})
    assert _body(sheet) == to_csv(world.org, cycle=later)


def test_large_downloads_are_streamed_with_the_same_bytes(
    world: f.World, facilitator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "STREAM_FROM", 0)
    monkeypatch.setattr(export, "SHEET_ROWS_PER_PIECE", 1)
    reference = orm_reference.build_document(world.org)
    for kind, text in (
        ("yaml", orm_reference.to_yaml(reference)),
        ("json", orm_reference.to_json(reference)),
        ("csv", orm_reference.to_csv(world.org)),
    ):
        response = facilitator.get("/o/acme/exchange/", {"download": kind})
        assert response.streaming and _body(response) == text
    api = ApiClient(world.facilitator).get("/export")
    assert api.streaming and api["Content-Type"] == "application/json; charset=utf-8"
    assert _body(api) == json.dumps(reference)  # as django-ninja rendered it before


def test_the_api_answers_as_before(world: f.World, facilitator: Client) -> None:
    cache.clear()
    client = ApiClient(world.facilitator)
    response = client.get("/export")
    assert (
        not response.streaming
        and response.content == json.dumps(orm_reference.build_document(world.org)).encode()
    )
    one = client.get("/export", {"cycle": world.cycle.name}).json()
    assert one == json.loads(json.dumps(build_document(world.org, cycle=world.cycle)))
    assert (
        client.get("/export", {"cycle": str(world.foreign_objective.cycle.uuid)}).status_code == 404
    )


def test_too_large_for_the_web_says_what_to_do_in_the_users_language(
    world: f.World, facilitator: Client, settings: Any
) -> None:
    settings.LEITSTERN_EXPORT_WEB_LIMIT = 1  # the world has two check-ins
    page = facilitator.get("/o/acme/exchange/").content.decode()
    assert 'href="?download=yaml"' not in page and "leitstern export --org acme" in page
    assert 'href="?download=csv"' in page  # one key result: the sheet still fits
    refused = facilitator.get("/o/acme/exchange/", {"download": "yaml"})
    assert refused.status_code == 302 and refused["Location"].endswith("#export")
    shown = facilitator.get(refused["Location"]).content.decode()
    assert "Everything at once is too large to download here" in shown
    one = facilitator.get("/o/acme/exchange/", {"download": "json", "cycle": world.cycle.uuid})
    shown = facilitator.get(one["Location"]).content.decode()
    assert f"The cycle “{world.cycle.name}” is too large" in shown
    assert f'--cycle "{world.cycle.name}"' in shown.replace("&quot;", '"')
    Person.objects.filter(pk=world.facilitator.person.pk).update(language="de")
    german = facilitator.get("/o/acme/exchange/", {"download": "yaml"})
    shown = facilitator.get(german["Location"]).content.decode()
    assert "Alles auf einmal ist zu groß, um es hier herunterzuladen" in shown
    assert "Ladet unten einen Zyklus nach dem anderen herunter" in shown
    settings.LEITSTERN_EXPORT_WEB_LIMIT = 0
    page = facilitator.get("/o/acme/exchange/").content.decode()
    assert 'href="?download=csv"' not in page and "Auch die CSV-Tabelle von allem" in page


def test_too_large_for_the_api_is_a_problem_with_what_to_do(
    world: f.World, facilitator: Client, settings: Any
) -> None:
    cache.clear()
    settings.LEITSTERN_EXPORT_WEB_LIMIT = 1
    body = assert_problem(ApiClient(world.facilitator).get("/export"), 422)
    assert body["type"] == "urn:leitstern:problem:export-too-large"
    assert "more than 1 check-ins" in body["detail"] and "?cycle=" in body["detail"]
    settings.LEITSTERN_EXPORT_WEB_LIMIT = 2
    assert ApiClient(world.facilitator).get("/export").status_code == 200


def test_downloads_stay_inside_the_organisation(world: f.World, facilitator: Client) -> None:
    foreign = world.foreign_objective.cycle
    for cycle in (str(foreign.uuid), "not-a-uuid"):
        response = facilitator.get("/o/acme/exchange/", {"download": "yaml", "cycle": cycle})
        assert response.status_code == 404
    facilitator.force_login(world.member.person)
    assert facilitator.get("/o/acme/exchange/", {"download": "yaml"}).status_code == 403


def test_downloads_name_no_person() -> None:
    """The streamed downloads carry no member's name or email, as the documents do not."""
    from leitstern.tests.demo_world import demo_world

    world = demo_world()
    client = Client()
    client.force_login(world.admin)
    people = Person.objects.filter(memberships__organization=world.own)
    for kind in ("yaml", "json", "csv"):
        text = _body(client.get(f"/o/{world.own.slug}/exchange/", {"download": kind}))
        assert len(text) > 1000
        for person in people:
            assert person.email not in text
            assert not person.name or person.name not in text


def test_command_writes_the_file_piece_by_piece_and_keeps_the_old_one_on_failure(
    world: f.World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f.checkin(world.key_result, "20", 6)
    target = tmp_path / "acme.yaml"
    call_command("export", "--org", "acme", "--format", "yaml", "-o", str(target))
    assert target.read_text() == to_yaml(build_document(world.org))

    def failing(*args: Any, **kwargs: Any) -> Iterator[str]:
        yield "leitstern: 1\n"
        raise CommandError("the database went away")

    monkeypatch.setattr("leitstern.exchange.management.commands.export.document_text", failing)
    with pytest.raises(CommandError):
        call_command("export", "--org", "acme", "--format", "yaml", "-o", str(target))
    assert target.read_text() == to_yaml(build_document(world.org))
    assert list(tmp_path.iterdir()) == [target]  # no partial file left behind
    link = tmp_path / "latest.yaml"
    link.symlink_to(target)
    monkeypatch.undo()
    call_command("export", "--org", "acme", "--format", "json", "-o", str(link))
    assert link.is_symlink() and target.read_text() == to_json(build_document(world.org))


def test_counting_against_the_limit_stops_at_the_limit(world: f.World) -> None:
    """The check is cheap for a large organisation: no sort, nothing past the limit."""
    with CaptureQueriesContext(connection) as captured:
        assert export.web_export_rows(world.org) == 0
        assert export.web_export_rows(world.org, cycle=world.cycle, format="csv") == 1
    for query in captured.captured_queries:
        assert "ORDER BY" not in query["sql"] and "LIMIT 250001" in query["sql"]
