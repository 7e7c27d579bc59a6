"""Permission matrix, generated: every write (POST to every org page) × every persona.

Anonymous visitors are sent to sign-in, outsiders get 404, and members and facilitators are
refused (403/404) every write that the tables below do not grant them. A refused write must
change nothing in the database. When you add a page that accepts a write, add its URL name
to the table of each role that may use it — the test fails until you decide.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from leitstern.tests.demo_world import DemoWorld, demo_world
from leitstern.tests.urlwalk import fill, org_routes

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}

# Writes a plain member may make on objects of a team they are NOT in (the test targets
# such objects): things addressed to the whole organisation or harmless previews.
MEMBER_MAY_POST = {
    "coach_key_result",  # wording feedback only, stores nothing
    "coach_objective",
    "problem_offer_help",  # any team may offer help with a visible problem
    "health_metric_create",  # members keep health metrics for their own teams
}
# Writes a facilitator may make beyond a member's: the frame, cycles, any team's OKR wording,
# pulse rounds.
FACILITATOR_MAY_POST = MEMBER_MAY_POST | {
    "frame_edit",
    "moal_create",
    "moal_edit",
    "cycle_create",
    "cycle_move",
    "objective_create",
    "objective_edit",
    "objective_drop",
    "objective_carry_over",
    "objectives_commit",
    "key_result_create",
    "key_result_edit",
    "indicator_add",
    "checkin_form",
    "problem_resolve",
    "retrospective_form",
    "strategy_time_edit",
    "health_metric_create",
    "health_metric_edit",
    "health_reading_add",
    "pulse_open",
    "pulse_close",
}


CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _same_page(client: Client, url: str, response: Any) -> bool:
    page = client.get(url)
    return page.status_code == response.status_code and CSRF.sub(
        "", page.content.decode()
    ) == CSRF.sub("", response.content.decode())


def snapshot() -> str:
    """A digest of every row of every project table (sessions and axes excluded)."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if not model.__module__.startswith("leitstern."):
            continue
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def demo() -> DemoWorld:
    return demo_world()


def client_for(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_the_write_matrix(demo: DemoWorld) -> None:
    personas = {
        "anonymous": client_for(None),
        "outsider": client_for(demo.outsider),
        "member": client_for(demo.member),
        "facilitator": client_for(demo.facilitator),
    }
    allowed = {
        "anonymous": set(),
        "outsider": set(),
        "member": MEMBER_MAY_POST,
        "facilitator": FACILITATOR_MAY_POST,
    }
    avoid = demo.persona_team_ids()
    problems: list[str] = []
    for route in org_routes():
        try:
            url = route.url(demo.own.slug, fill(route, demo.own, avoid))
        except LookupError as error:
            problems.append(str(error))
            continue
        for persona, client in personas.items():
            problems += _check(persona, client, route.name, url, allowed[persona])
    assert problems == [], "\n".join(problems)


def _check(persona: str, client: Client, name: str, url: str, allowed: set[str]) -> list[str]:
    client.get(url)  # shows (and so clears) messages left by an earlier allowed write
    before = snapshot()
    response = client.post(url, {})
    status = response.status_code
    if persona == "anonymous":
        ok = status == 405 or (status == 302 and "/accounts/login/" in response["Location"])
        return [] if ok and snapshot() == before else [f"anonymous POST {name}: {status}"]
    if persona == "outsider":
        return (
            []
            if status in {404, 405} and snapshot() == before
            else [f"outsider POST {name}: {status}"]
        )
    refused = status in REFUSED
    if refused and snapshot() != before:
        return [f"{persona} POST {name}: refused with {status} but the database changed"]
    if name in allowed and refused and status != 405:
        return [f"{persona} POST {name}: {status}, but the table says this role may write it"]
    if name not in allowed and not refused:
        if snapshot() == before and _same_page(client, url, response):
            return []  # a read page that ignores the method: POST shows what GET shows
        return [
            f"{persona} POST {name}: answered {status} (not refused). If this role may write "
            f"here, add '{name}' to the table in leitstern/tests/test_permission_matrix.py."
        ]
    return []
