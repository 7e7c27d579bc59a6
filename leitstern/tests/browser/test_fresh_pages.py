"""Cached page fragments never outlive a change, whichever worker answers.

The e2e server runs two gunicorn workers, each with its own in-memory fragment cache
(no Redis). A change made through one worker must show on the next request to either,
because the fragments are keyed by page versions stored in the database
(leitstern/web/fragments.py).
"""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import APIRequestContext, expect

from leitstern.tests.browser.conftest import ContextFactory
from leitstern.tests.browser.helpers import DEMO_PASSWORD, sign_in

pytestmark = pytest.mark.browser

TEAM_PAGE = "/o/example/teams/infra/"
ORG_HOME = "/o/example/"
READS = 8  # with two workers and keep-alive off, both answer several of these


def read_all(request: APIRequestContext, path: str) -> list[str]:
    pages = []
    for _ in range(READS):
        response = request.get(path, headers={"Connection": "close"})
        assert response.status == 200, path
        pages.append(response.text())
    return pages


def test_a_change_reaches_every_worker_at_once(new_context: ContextFactory) -> None:
    context = new_context("en-US")
    page = context.new_page()
    page.goto("/accounts/login/")
    sign_in(page, email="lee@example.test", password=DEMO_PASSWORD, button="Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    read_all(context.request, TEAM_PAGE)  # both workers have the page in their cache now
    read_all(context.request, ORG_HOME)

    slot = f"Mondays {secrets.token_hex(4)}"
    page.goto(TEAM_PAGE + "strategy-time/")
    page.get_by_label("Hours per week", exact=False).fill("3")
    page.get_by_label("Fixed slot", exact=False).fill(slot)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(slot)).to_be_visible()

    for text in read_all(context.request, TEAM_PAGE) + read_all(context.request, ORG_HOME):
        assert slot in text
