"""Walk the pages a signed-in person can reach and check each with axe-core.

The walk starts at the organisation home and every page that needs nothing but the
organisation, follows same-site links, and visits each kind of page (its view) once:
one objective page stands for all objective pages. Links to pages that answer with an error
are defects as well and are reported with the violations.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Page

from leitstern.tests.browser.helpers import FailedResources, format_violations, run_axe

MAX_PAGES = 80
# Not pages for a person: the operator's admin, the API, static files, language switch,
# and sign-out (it would end the walk's session).
SKIP_PREFIXES = ("/operator/", "/api/", "/static/", "/i18n/", "/accounts/logout/")


@dataclass
class CrawlReport:
    visited: list[tuple[str, str]] = field(default_factory=list)  # (view, url)
    violations: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def problems(self) -> str:
        return "\n\n".join(self.broken + self.violations)


def org_only_paths(org: str) -> list[str]:
    """Paths of every page that needs only the organisation, e.g. /o/<org>/teams/."""
    paths = set()
    for name in get_resolver().reverse_dict:
        if not isinstance(name, str):
            continue
        try:
            path = reverse(name, kwargs={"org": org})
        except NoReverseMatch:
            continue
        if path.startswith(f"/o/{org}/"):
            paths.add(path)
    return sorted(paths)


def site_paths() -> list[str]:
    """Paths of the pages outside organisations that need no parameters (e.g. /handbook/)."""
    paths = set()
    for name in get_resolver().reverse_dict:
        if not isinstance(name, str):
            continue
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue
        if not path.startswith(("/o/", "/accounts/", *SKIP_PREFIXES)):
            paths.add(path)
    return sorted(paths)


def all_views(patterns: list[Any] | None = None, prefix: str = "") -> dict[str, str]:
    """Every view of the URLconf with one of its routes, for reporting what was not seen."""
    views: dict[str, str] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            views.update(all_views(pattern.url_patterns, route))
        else:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            views.setdefault(f"{view.__module__}.{view.__qualname__}", route)
    return views


def view_of(path: str) -> str | None:
    """The view a path belongs to, e.g. 'leitstern.web.teams.team_detail', or None.

    One page per view: a view that serves both "new" and "edit" renders the same template.
    """
    try:
        func = resolve(path).func
    except Resolver404:
        return None
    view = getattr(func, "view_class", func)
    return f"{view.__module__}.{view.__qualname__}"


def crawl(
    page: Page, seeds: list[str], *, allowed_prefixes: tuple[str, ...], follow_links: bool = True
) -> CrawlReport:
    report = CrawlReport()
    resources = FailedResources()
    resources.watch(page)
    queue: deque[tuple[str, str | None]] = deque((seed, None) for seed in seeds)
    seen_views: set[str] = set()
    while queue and len(report.visited) < MAX_PAGES:
        path, linked_from = queue.popleft()
        view = view_of(path)
        if view is None or view in seen_views:
            continue
        seen_views.add(view)
        # Ask first without navigating: a seed may be a POST-only endpoint (405) or an htmx
        # fragment, which is fine; a link that answers with an error is a defect.
        probe = page.context.request.get(path)
        status, kind = probe.status, probe.headers.get("content-type", "")
        probe.dispose()
        if status >= 400:
            if linked_from is not None or status >= 500:
                report.broken.append(f"{path}: HTTP {status} (linked from {linked_from})")
            continue
        if not kind.startswith("text/html"):
            continue
        page.goto(path)
        if not _is_full_page(page):
            continue
        report.visited.append((view, path))
        violations = run_axe(page)
        if violations:
            report.violations.append(format_violations(path, violations))
        for link in _links(page, path) if follow_links else []:
            if link.startswith(allowed_prefixes) and not link.startswith(SKIP_PREFIXES):
                queue.append((link, path))
    if resources.failed:
        report.broken.append(
            "Errors below the surface (resources, console):\n" + resources.report()
        )
    return report


def _is_full_page(page: Page) -> bool:
    return bool(page.evaluate("() => !!document.querySelector('html > body main')"))


def _links(page: Page, current: str) -> list[str]:
    hrefs: list[Any] = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    links = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        parts = urlsplit(urljoin(current, href))
        if parts.netloc:  # absolute links leave the site
            continue
        links.append(parts.path)
    return links
