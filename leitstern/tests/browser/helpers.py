"""Helpers for the browser tests: signing in, axe-core, which pages exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import ConsoleMessage, Page, Response, expect

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
DEMO_PASSWORD = "demo-leitstern"


def sign_in(page: Page, *, email: str, password: str, button: str) -> None:
    """Sign in through allauth's form, by its labels, like a person would."""
    page.get_by_label(re.compile(r"^(E-Mail|Email)", re.I)).fill(email)
    page.get_by_label(re.compile(r"^(Passwort|Password)", re.I)).fill(password)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def expect_ok(page: Page) -> None:
    """The page is not a server error page."""
    expect(page.locator("body")).not_to_contain_text("Server Error (500)")


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page; return the serious and critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '), html: n.html, summary: n.failureSummary,
                })),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{url}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    - {node['target']}")
            lines.append(f"      {node['html'][:200]}")
            summary = " ".join(node["summary"].split())
            lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


class Ui:
    """The UI texts a person sees, taken from the app's own gettext catalogues.

    `ui("Add a key result")` is the German text in the German journey: the test then proves
    the page shows the translation, and fails with a clear message when it is missing.
    """

    # Words that are the same in both languages.
    SAME: ClassVar[set[str]] = {"Organisation", "Teams", "Team", "name", "Name", "Check-ins"}

    def __init__(self, lang: str, *, strict: bool = True) -> None:
        self.lang = lang
        self.strict = strict  # False: a missing translation is not this test's concern

    def __call__(self, msgid: str, **params: object) -> str:
        with translation.override(self.lang):
            text = str(gettext(msgid))
        if self.strict and self.lang != "en" and text == msgid and msgid not in self.SAME:
            raise AssertionError(f"No {self.lang} translation for the UI text {msgid!r}.")
        return text % params if params else text

    def label(self, msgid: str) -> re.Pattern[str]:
        """A form label as Django renders it: capitalised, ' *' when required."""
        return re.compile(rf"^\s*{re.escape(capfirst(self(msgid)))}( \*)?\s*$")

    def exactly(self, msgid: str, **params: object) -> re.Pattern[str]:
        return re.compile(rf"^\s*{re.escape(self(msgid, **params))}\s*$")


class FailedResources:
    """What went wrong below the surface of the pages: stylesheets, scripts or images that
    did not load (HTTP 4xx/5xx), Content-Security-Policy refusals, invalid SVG, script errors.
    """

    # A failed load is reported by _response; htmx logs a request it aborts because the
    # person navigated on (e.g. the coach's live check while they click "Save") as an error.
    NOT_A_DEFECT = ("Failed to load resource", "htmx:sendAbort", "htmx:afterRequest")
    # htmx 2.0.11 applies an empty inline style during some swaps (seen on the problems
    # board); CSP refuses it, which changes nothing: the hash Chromium names in the refusal
    # is that of the empty string. Any non-empty inline style still counts as a defect.
    EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"

    def __init__(self) -> None:
        self.failed: dict[str, list[str]] = {}  # page or resource URL -> what went wrong

    def watch(self, page: Page) -> Page:
        page.on("response", self._response)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self._add(page.url, f"JavaScript error: {error}"))
        return page

    def _add(self, where: str, what: str) -> None:
        problems = self.failed.setdefault(where, [])
        if what not in problems:
            problems.append(what)

    def _response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self._add(response.url, f"HTTP {response.status}")

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        text = message.text
        harmless = text.startswith(self.NOT_A_DEFECT) or (
            "style-src" in text and self.EMPTY_STYLE in text
        )
        if message.type == "error" and not harmless:
            source = message.location.get("url", "")
            line = message.location.get("lineNumber", 0)
            where = f"[{source}:{line}] " if source and source != page.url else ""
            self._add(page.url, f"{where}{text}")

    def report(self) -> str:
        lines = []
        for where, problems in sorted(self.failed.items()):
            lines.append(f"  {where}:")
            lines.extend(f"    - {_shorten(problem)}" for problem in problems[:3])
            if len(problems) > 3:
                lines.append(f"    … and {len(problems) - 3} more of this kind")
        return "\n".join(lines)


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
