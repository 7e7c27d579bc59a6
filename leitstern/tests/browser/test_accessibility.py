"""Every page a demo admin can reach passes axe-core without serious or critical violations.

Runs in German on the demo organisation `beispiel` and in English on `example`, plus the
pages seen before signing in. One page per view stands for all pages of that view.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from leitstern.tests.browser.conftest import ContextFactory
from leitstern.tests.browser.crawl import (
    CrawlReport,
    all_views,
    crawl,
    org_only_paths,
    site_paths,
)
from leitstern.tests.browser.helpers import (
    AXE,
    DEMO_PASSWORD,
    Ui,
    format_violations,
    run_axe,
    sign_in,
)

pytestmark = pytest.mark.browser

# allauth's pages for a signed-in person; nothing in the app links to them (yet).
ACCOUNT_PAGES = ["/accounts/password/change/", "/accounts/email/"]


def axe_page(new_context: ContextFactory, locale: str) -> Page:
    """A page that has axe-core loaded into every document it opens."""
    context = new_context(locale, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    return context.new_page()


def signed_in(page: Page, email: str, lang: str) -> None:
    ui = Ui(lang, strict=False)  # the journeys check the translations
    page.goto("/accounts/login/")
    sign_in(page, email=email, password=DEMO_PASSWORD, button=ui("Sign in"))
    expect(page.get_by_role("button", name=ui("Sign out"))).to_be_visible()


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_pages_before_sign_in_pass_axe(new_context: ContextFactory, locale: str) -> None:
    page = axe_page(new_context, locale)
    problems = []
    for path in ("/accounts/login/", "/accounts/password/reset/"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        violations = run_axe(page)
        if violations:
            problems.append(format_violations(path, violations))
    if problems:
        pytest.fail(
            "axe-core found serious/critical violations:\n\n" + "\n\n".join(problems),
            pytrace=False,
        )


def test_every_page_of_the_demo_admin_passes_axe(new_context: ContextFactory) -> None:
    """The whole walk, in German: every kind of page the admin of `beispiel` can reach."""
    page = axe_page(new_context, "de-DE")
    signed_in(page, "anna@beispiel.test", "de")
    seeds = ["/o/beispiel/", *org_only_paths("beispiel"), *site_paths(), *ACCOUNT_PAGES]
    report = crawl(page, seeds, allowed_prefixes=("/",))
    seen = {view for view, _url in report.visited}
    unseen = sorted(
        route
        for view, route in all_views().items()
        if view not in seen and not route.startswith(("operator/", "api/"))
    )
    print("Views not reached as a page (POST-only, htmx endpoints, not linked):")
    print("\n".join(f"  {route}" for route in unseen))
    _assert_clean(report, "de")


def test_the_main_pages_pass_axe_in_english(new_context: ContextFactory) -> None:
    """In English, the organisation home and the pages of its navigation.

    The German walk covers every kind of page; English texts differ in length and wrap
    differently, so the main pages are checked in English too (kept short for speed).
    """
    page = axe_page(new_context, "en-US")
    signed_in(page, "alex@example.test", "en")
    page.goto("/o/example/")
    nav_links = page.eval_on_selector_all(
        "header nav[aria-label] a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    assert nav_links, "the organisation navigation has no links"
    report = crawl(page, ["/o/example/", *nav_links], allowed_prefixes=("/",), follow_links=False)
    _assert_clean(report, "en")


def _assert_clean(report: CrawlReport, lang: str) -> None:
    visited = "\n".join(f"  {url}" for _view, url in report.visited)
    print(f"axe-core checked {len(report.visited)} pages ({lang}):\n{visited}")
    assert len(report.visited) >= 2, "the walk reached no pages; is the sign-in broken?"
    if report.problems():
        pytest.fail(
            f"Pages with serious/critical axe-core violations or other defects ({lang}):\n\n"
            + report.problems(),
            pytrace=False,
        )
