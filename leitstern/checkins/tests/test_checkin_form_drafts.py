"""The weekly check-in marks objectives the team has not committed yet as drafts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leitstern.okrs.services import commit_objectives
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def heading(page: str, objective: Any) -> str:
    start = page.index(f'<h2 id="objective-{objective.uuid}"')
    return page[start : page.index("</h2>", start)]


def test_checkin_form_marks_draft_objectives(client: Client, world: f.World) -> None:
    commit_objectives(team=world.team, cycle=world.cycle)
    draft = f.objective(world.team, world.cycle, "Clinics book online")
    f.key_result(draft, "Online bookings")
    client.force_login(world.member.person)
    url = f"/o/acme/teams/{world.team.slug}/check-in/"
    page = client.get(url).text
    assert '<small class="ls-draft">Draft</small>' in heading(page, draft)
    assert "ls-draft" not in heading(page, world.objective)  # committed
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").text
    assert '<small class="ls-draft">Entwurf</small>' in heading(german, draft)
