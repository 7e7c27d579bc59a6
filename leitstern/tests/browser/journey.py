"""The newcomer's journey through Leitstern, step by step, as a person clicks through it.

Every step finds links, buttons and fields by their visible text or label (taken from the
app's gettext catalogues, so the German journey proves the German texts are there). Only
the start page is typed as a URL. Each step ends with a screenshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from leitstern.tests.browser.conftest import ContextFactory, Screenshots
from leitstern.tests.browser.helpers import (
    DEMO_PASSWORD,
    FailedResources,
    Ui,
    expect_ok,
    sign_in,
)


@dataclass(frozen=True)
class KeyResultPlan:
    title: str
    unit: str
    baseline: str
    target: str
    hypothesis: str
    # value and confidence for each of the three weekly check-ins
    weeks: tuple[tuple[str, str], tuple[str, str], tuple[str, str]]
    outcome: str  # msgid of the hypothesis outcome in the retrospective
    evidence: str


@dataclass(frozen=True)
class Newcomer:
    """Who walks the journey, in which language, and what they type."""

    lang: str
    locale: str
    email: str
    org: str
    helper_email: str  # a member of another team, who offers help
    helper_team: str
    team: str
    team_description: str
    objective: str
    why: str
    open_questions: str
    key_results: tuple[KeyResultPlan, KeyResultPlan]
    problem: str
    help_offer: str
    confidence_note: str
    learning: str
    search_word: str
    carry_forward: str


class Journey:
    def __init__(self, new_context: ContextFactory, who: Newcomer, shots: Screenshots) -> None:
        self.who = who
        self.ui = Ui(who.lang)
        self.new_context = new_context
        self.resources = FailedResources()
        self.page = self.resources.watch(new_context(who.locale).new_page())
        self.shots = shots

    def shot(self, step: str, page: Page | None = None) -> None:
        page = page or self.page
        expect_ok(page)
        self.shots(page, step)

    # -- helpers -----------------------------------------------------------------------------

    def link(self, msgid: str, **params: object) -> Locator:
        """A link by its text; links styled as buttons (role="button") count too."""
        name = self.ui.exactly(msgid, **params)
        return self.page.get_by_role("link", name=name).or_(
            self.page.get_by_role("button", name=name)
        )

    def button(self, msgid: str, page: Page | None = None) -> Locator:
        return (page or self.page).get_by_role("button", name=self.ui.exactly(msgid))

    def org_nav(self, msgid: str) -> Locator:
        nav = self.page.get_by_role("navigation", name=self.ui("Organisation"))
        return nav.get_by_role("link", name=self.ui.exactly(msgid))

    def fill(self, scope: Page | Locator, msgid: str, value: str) -> None:
        scope.get_by_label(self.ui.label(msgid)).fill(value)

    def heading(self, text: str | re.Pattern[str], level: int = 1) -> Locator:
        return self.page.get_by_role("heading", name=text, level=level)

    def go_to_team(self) -> None:
        self.org_nav("Teams").click()
        self.page.get_by_role("link", name=self.who.team, exact=True).click()
        expect(self.heading(self.who.team)).to_be_visible()

    def no_errors_below_the_surface(self) -> None:
        """Every stylesheet, script and image loaded; no CSP refusal, no JavaScript error."""
        if self.resources.failed:
            pytest.fail(
                "The journey's pages had errors below the surface:\n" + self.resources.report(),
                pytrace=False,
            )

    # -- the steps ---------------------------------------------------------------------------

    def sign_in(self) -> None:
        page, ui = self.page, self.ui
        page.goto("/")
        expect(page.get_by_role("heading", name=ui.exactly("Sign in"))).to_be_visible()
        self.shot("sign-in")
        sign_in(page, email=self.who.email, password=DEMO_PASSWORD, button=ui("Sign in"))
        expect(page).to_have_url(re.compile(rf"/o/{self.who.org}/$"))
        expect(page.locator("html")).to_have_attribute("lang", self.who.lang)
        expect(self.button("Sign out")).to_be_visible()
        expect(page.get_by_role("heading", name=ui("Our frame"))).to_be_visible()
        self.shot("organisation-home")

    def create_team(self) -> None:
        ui, who = self.ui, self.who
        self.org_nav("Teams").click()
        expect(self.heading(ui.exactly("Teams"))).to_be_visible()
        self.shot("teams")
        self.link("New team").click()
        self.fill(self.page, "name", who.team)
        self.fill(self.page, "what the team is for", who.team_description)
        self.shot("new-team")
        self.button("Save").click()
        expect(self.heading(who.team)).to_be_visible()
        self.shot("team-page")

    def write_objective(self) -> None:
        ui, who, page = self.ui, self.who, self.page
        self.link("New objective").click()
        expect(self.heading(ui("New objective for %(team)s", team=who.team))).to_be_visible()
        self.fill(page, "objective", who.objective)
        self.fill(page, "why this matters now", who.why)
        self.fill(page, "open questions (what we do not know yet)", who.open_questions)
        self.shot("new-objective")
        self.button("Save").click()
        expect(self.heading(who.objective)).to_be_visible()
        expect(
            page.get_by_text(ui("Objective saved as a draft. Now add key results."))
        ).to_be_visible()
        self.shot("objective-draft")

    def add_key_results(self) -> None:
        ui, page = self.ui, self.page
        for plan in self.who.key_results:
            self.link("Add a key result").click()
            expect(self.heading(ui("New key result"))).to_be_visible()
            self.fill(page, "key result", plan.title)
            self.fill(page, "hypothesis", plan.hypothesis)
            self.fill(page, "unit", plan.unit)
            self.fill(page, "baseline", plan.baseline)
            self.fill(page, "target", plan.target)
            self.shot("new-key-result")
            self.button("Save").click()
            expect(page.get_by_text(ui("Key result added."))).to_be_visible()
            expect(self.heading(plan.title)).to_be_visible()
            page.get_by_role("link", name=self.who.objective, exact=True).first.click()
        for plan in self.who.key_results:
            expect(page.get_by_role("link", name=plan.title, exact=True)).to_be_visible()
        self.shot("objective-with-key-results")

    def commit(self) -> None:
        self.page.get_by_role("link", name=self.who.team, exact=True).first.click()
        self.button("Commit our objectives").click()
        expect(self.page.get_by_text(self.ui("Committed by the team")).first).to_be_visible()
        self.shot("committed")

    def check_in(self, week: int) -> None:
        """One weekly check-in for both key results; week 2 raises a problem.

        Weeks 1 and 2 are caught up through the form's week choice (two weeks ago, last
        week); week 3 is this week.
        """
        ui, who, page = self.ui, self.who, self.page
        self.link("Weekly check-in").click()
        expect(self.heading(ui("Weekly check-in · %(team)s", team=who.team))).to_be_visible()
        if week < 3:
            page.get_by_label(ui.label("Week")).select_option(index=3 - week)
            self.button("Catch up on this week").click()
            expect(self.heading(ui("Weekly check-in · %(team)s", team=who.team))).to_be_visible()
        for index, plan in enumerate(who.key_results):
            row = page.get_by_role("group", name=plan.title)
            value, confidence = plan.weeks[week - 1]
            row.get_by_label(re.compile(rf"^{re.escape(ui('Value'))}")).fill(value)
            self.fill(row, "Confidence (0–10)", confidence)
            if week == 2 and index == 0:
                self.fill(row, "Problem — where could another team help?", who.problem)
                self.fill(row, "Note", who.confidence_note)
            if week == 3 and index == 0:
                self.fill(row, "What did you learn?", who.learning)
        self.shot(f"check-in-week-{week}")
        self.button("Save check-in").click()
        expect(self.heading(who.team)).to_be_visible()
        self.shot(f"after-check-in-week-{week}")

    def check_in_history(self) -> None:
        """Three weekly check-ins are three rows in the key result's history, newest first."""
        ui, page, plan = self.ui, self.page, self.who.key_results[0]
        page.get_by_role("link", name=plan.title, exact=True).first.click()
        expect(self.heading(plan.title)).to_be_visible()
        history = page.locator("section, article").filter(
            has=page.get_by_role("heading", name=ui.exactly("Check-ins"))
        )
        rows = history.locator("tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text(plan.weeks[2][0])
        expect(rows.nth(1)).to_contain_text(self.who.problem)
        self.shot("key-result-history")

    def another_team_offers_help(self) -> None:
        ui, who = self.ui, self.who
        helper = self.resources.watch(self.new_context(who.locale).new_page())
        helper.goto("/")
        sign_in(helper, email=who.helper_email, password=DEMO_PASSWORD, button=ui("Sign in"))
        nav = helper.get_by_role("navigation", name=ui("Organisation"))
        nav.get_by_role("link", name=ui.exactly("Problems")).click()
        problem = helper.locator("article").filter(has_text=who.problem)
        expect(problem).to_be_visible()
        problem.get_by_text(ui("Offer help"), exact=True).click()
        problem.get_by_label(ui.label("Our team")).select_option(label=who.helper_team)
        problem.get_by_label(ui.label("How we can help")).fill(who.help_offer)
        self.shot("offer-help", helper)
        problem = helper.locator("article").filter(has_text=who.problem)
        self.button("Send our offer", helper).click()
        offered = ui("%(team)s offers:") % {"team": who.helper_team}
        expect(problem.get_by_text(offered)).to_be_visible()
        expect(problem.get_by_text(who.help_offer)).to_be_visible()
        self.shot("help-offered", helper)
        helper.context.close()

    def the_team_marks_it_resolved(self) -> None:
        ui, who, page = self.ui, self.who, self.page
        self.org_nav("Problems").click()
        problem = page.locator("article").filter(has_text=who.problem)
        expect(problem).to_contain_text(who.help_offer)
        problem.get_by_role("button", name=ui.exactly("Mark as resolved")).click()
        expect(problem).to_contain_text(ui("resolved on %(day)s", day="").strip())
        self.shot("problem-resolved")

    def close_the_cycle(self) -> None:
        ui, page = self.ui, self.page
        page.get_by_role("link", name=ui.exactly("Cycles")).first.click()
        expect(self.heading(ui.exactly("Cycles"))).to_be_visible()
        running = page.locator("article").filter(has=self.button("Move to reflecting"))
        running.first.get_by_role("button", name=ui.exactly("Move to reflecting")).click()
        expect(page.get_by_role("status").first).to_be_visible()
        self.shot("cycle-reflecting")

    def write_retrospective(self) -> None:
        ui, who, page = self.ui, self.who, self.page
        self.go_to_team()
        page.get_by_role("link", name=who.objective, exact=True).click()
        self.link("What held, what was refuted, what we carry forward").click()
        expect(self.heading(ui.exactly("Retrospective"))).to_be_visible()
        for plan in who.key_results:
            row = page.get_by_role("group", name=plan.title)
            row.get_by_role("radio", name=ui(plan.outcome), exact=True).check()
            self.fill(row, "Evidence — what did you see?", plan.evidence)
        self.fill(page, "What do we carry forward?", who.carry_forward)
        self.fill(page, "What did you learn? One learning per line.", who.learning)
        self.shot("retrospective")
        self.button("Save retrospective").click()
        expect(page.get_by_role("heading", name=ui("Looking back"))).to_be_visible()
        expect(page.get_by_text(who.learning)).to_be_visible()
        self.shot("retrospective-saved")

    def find_the_learning(self) -> None:
        ui, who, page = self.ui, self.who, self.page
        self.org_nav("Learnings").click()
        expect(self.heading(ui.exactly("Learning library"))).to_be_visible()
        search = page.get_by_label(ui.label("Search"))
        search.fill(who.search_word)
        search.press("Enter")
        expect(page.get_by_text(who.learning).first).to_be_visible()
        # The team field suggests the organisation's teams once it has the focus.
        team = page.get_by_label(ui.label("Team"))
        team.focus()
        suggestion = page.locator(f'#library-teams option[value="{who.team}"]')
        expect(suggestion).to_have_count(1)
        team.fill("No such team")
        team.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("No such team")
        team.fill(who.team.lower())  # a name in any case will do
        team.press("Enter")
        expect(page).to_have_url(re.compile(r"[?&]team=[^&]+"))
        expect(page.locator(".ls-error")).to_have_count(0)
        expect(page.get_by_text(who.learning).first).to_be_visible()
        self.shot("learning-found")
