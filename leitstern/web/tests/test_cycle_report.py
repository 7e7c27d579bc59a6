"""The printable cycle report: drafts marked as drafts, the team filter left off the paper."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from leitstern.okrs.services import commit_objectives
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[2] / "static/leitstern/leitstern.css"


def report(client: Client, world: f.World, **headers: Any) -> str:
    client.force_login(world.member.person)
    response = client.get(f"/o/acme/cycles/{world.cycle.uuid}/report/", **headers)
    assert response.status_code == 200
    return str(response.text)


def objective_line(page: str, title: str) -> str:
    return next(line for line in page.splitlines() if f"<strong>{title}</strong>" in line)


def test_cycle_report_marks_draft_objectives(client: Client, world: f.World) -> None:
    commit_objectives(team=world.team, cycle=world.cycle)
    draft = f.objective(world.team, world.cycle, "Clinics book online")
    f.key_result(draft)
    page = report(client, world)
    assert '<small class="ls-draft">Draft</small>' in objective_line(page, draft.title)
    assert "ls-draft" not in objective_line(page, world.objective.title)  # committed
    german = report(client, world, HTTP_ACCEPT_LANGUAGE="de")
    assert '<small class="ls-draft">Entwurf</small>' in objective_line(german, draft.title)


def test_cycle_report_team_filter_does_not_print(client: Client, world: f.World) -> None:
    page = report(client, world)
    form = re.search(r'<form [^>]*>\s*<label for="report-team"', page)
    assert form is not None and 'class="no-print' in form[0]
    # The filter form is also .ls-inline (display: flex, defined later in the stylesheet):
    # the print rule must win over it.
    print_rule = re.search(r"@media print \{[^{]*\.no-print \{([^}]*)\}", CSS.read_text())
    assert print_rule is not None and "display: none !important" in print_rule[1]
