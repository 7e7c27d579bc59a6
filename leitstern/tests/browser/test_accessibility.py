"""Every page a demo admin can reach passes axe-core without serious or critical violations.

Runs in German on the demo organisation `beispiel` and in English on `example`, plus the
pages seen before signing in. One page per URL route stands for all pages of that route.
"""

from __future__ import annotations

import pytest

from leitstern.tests.browser.conftest import ContextFactory
from leitstern.tests.browser.crawl import crawl, org_only_paths
from leitstern.tests.browser.helpers import (
    DEMO_PASSWORD,
    format_violations,
    run_axe,
    sign_in,
)

pytestmark = pytest.mark.browser

ADMINS = {
    "de-DE": ("anna@beispiel.test", "beispiel", "Anmeldung"),
    "en-US": ("alex@example.test", "example", "Sign In"),
}


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_pages_before_sign_in_pass_axe(new_context: ContextFactory, locale: str) -> None:
    page = new_context(locale).new_page()
    problems = []
    for path in ("/accounts/login/", "/accounts/password/reset/"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        violations = run_axe(page)
        if violations:
            problems.append(format_violations(path, violations))
    assert not problems, "axe-core found serious/critical violations:\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_every_page_of_the_demo_admin_passes_axe(new_context: ContextFactory, locale: str) -> None:
    email, org, sign_in_button = ADMINS[locale]
    page = new_context(locale).new_page()
    page.goto("/accounts/login/")
    sign_in(page, email=email, password=DEMO_PASSWORD, button=sign_in_button)
    seeds = [f"/o/{org}/", *org_only_paths(org)]
    report = crawl(page, seeds, allowed_prefixes=("/",))
    visited = "\n".join(f"  {url}" for _route, url in report.visited)
    print(f"axe-core checked {len(report.visited)} pages ({locale}):\n{visited}")
    assert len(report.visited) >= 2, "the walk reached no pages; is the sign-in broken?"
    assert not report.problems(), (
        f"Pages with serious/critical axe-core violations or broken links ({locale}):\n\n"
        + report.problems()
    )
