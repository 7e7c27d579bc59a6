"""What the cycle report puts on paper: the report, not the controls around it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leitstern.tests.browser.conftest import ContextFactory
from leitstern.tests.browser.helpers import DEMO_PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_cycle_report_prints_without_the_team_filter(new_context: ContextFactory) -> None:
    page = new_context("en-US").new_page()
    page.goto("/accounts/login/")
    sign_in(page, email="lee@example.test", password=DEMO_PASSWORD, button="Sign in")
    page.goto("/o/example/")
    page.get_by_role("link", name="Cycle report").click()
    team_filter = page.get_by_label("Team", exact=True)
    heading = page.get_by_role("heading", name="Objectives and key results")
    expect(team_filter).to_be_visible()
    page.emulate_media(media="print")
    expect(team_filter).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(heading).to_be_visible()
