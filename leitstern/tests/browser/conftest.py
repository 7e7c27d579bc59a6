"""Fixtures for the end-to-end tests: the real server, Debian's Chromium, screenshots.

One server per test session (`leitstern serve` on a free port with its own var dir and
database, migrated and loaded with the demo data; see server.py), one headless Chromium per
session, one fresh browser context (cookies, locale) per test. The tests talk to the server
over HTTP only and never touch pytest-django's test database.

    .venv/bin/pytest -m browser                   # only the browser tests
    LEITSTERN_E2E_URL=http://127.0.0.1:8000 ...   # against your own server (fresh demo
                                                  # data: the journeys change it)

Screenshots of the journeys: test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from leitstern.tests.browser.server import (
    Server,
    e2e_database,
    prepare_database,
    running_server,
    server_environment,
)

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium hangs on a closed network; as root it
# needs --no-sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[Server]:
    """The running app: migrated, demo data loaded, answering /healthz.

    LEITSTERN_E2E_URL=http://127.0.0.1:8000 points the tests at a server you started
    yourself (`make run`), for debugging a journey step without the set-up each time.
    """
    if os.environ.get("LEITSTERN_E2E_URL"):
        yield Server(url=os.environ["LEITSTERN_E2E_URL"].rstrip("/"), log=Path(os.devnull))
        return
    workdir = Path(tempfile.mkdtemp(prefix="leitstern-e2e-"))
    log = workdir / "server.log"
    try:
        with e2e_database(workdir) as database_url:
            env = server_environment(workdir, database_url)
            prepare_database(env, log)
            with running_server(env, log) as server:
                yield server
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. The browser tests drive Debian's Chromium: "
            "run `apt-get install chromium` (CI's .ci/run does this)."
        )
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class ContextFactory(Protocol):
    def __call__(self, locale: str, *, bypass_csp: bool = False) -> BrowserContext: ...


@pytest.fixture
def new_context(browser: Browser, e2e_server: Server) -> Iterator[ContextFactory]:
    """Open browser contexts with a locale ("de-DE", "en-US"); all closed after the test.

    The journeys run under the app's real Content-Security-Policy, so a page that needs an
    inline script or style shows up; only the axe-core checks bypass it (axe is injected as
    an inline script).
    """
    contexts: list[BrowserContext] = []

    def open_context(locale: str, *, bypass_csp: bool = False) -> BrowserContext:
        context = browser.new_context(
            base_url=e2e_server.url,
            locale=locale,
            bypass_csp=bypass_csp,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


class Screenshots:
    """Numbered screenshots of a journey: test-artifacts/screenshots/<lang>-<nn>-<step>.png."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{lang}-*.png"):
            old.unlink()

    def __call__(self, page: Page, step: str) -> Path:
        self.count += 1
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = SCREENSHOTS / f"{self.lang}-{self.count:02d}-{name}.png"
        # The viewport, not the full page: full-page captures of long pages cost ~0.5 s each
        # and the part in view (where the person just typed or landed) is what matters.
        page.screenshot(path=str(path))
        return path


@pytest.fixture
def screenshots() -> Callable[[str], Screenshots]:
    return Screenshots
