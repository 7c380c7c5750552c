"""Real-browser fixtures: one Chromium for all the browser tests, a fresh context per test, and
every console error, uncaught script error or Content-Security-Policy violation fails the test.

Chromium is Debian's (./scripts/ensure-chromium installs it); without it the tests skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    WebError,
    sync_playwright,
)

CHROMIUM = Path(os.environ.get("SERAMBI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The page reports each violation of our Content-Security-Policy as a DOM event; the init
# script (run by the browser, not subject to the page's CSP) hands it to Python.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__serambiCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


@dataclass
class PageProblems:
    """What a person would see in the developer console: it must stay empty."""

    found: list[str] = field(default_factory=list)
    expected_http_errors: set[str] = field(default_factory=set)

    def expect_http_error(self, url: str) -> None:
        """A test that opens an error page on purpose: the browser logs its status, allow it."""
        self.expected_http_errors.add(url)

    def script_error(self, error: WebError) -> None:
        self.found.append(f"uncaught script error: {error.error.message}")

    def console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        expected = url in self.expected_http_errors
        if expected and message.text.startswith("Failed to load resource"):
            return
        # CSP reports used to be worded "Refused to ..." and may be warnings in report-only mode.
        if message.type == "error" or message.text.startswith(("Refused to", "[Report Only]")):
            self.found.append(f"console {message.type}: {message.text} ({url})")


PROBLEMS = pytest.StashKey[tuple[list[BrowserContext], PageProblems]]()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Package scope, not session: while Playwright's sync API is alive it marks an asyncio loop
    # as running in this thread, which breaks asyncio.run() and async_to_sync() (channels'
    # WebsocketCommunicator) in every test that would come after it. Stopping Playwright when
    # the browser tests are done keeps those tests unaffected.
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"{CHROMIUM} is missing: run ./scripts/ensure-chromium (installs Debian's chromium "
            "package) or set SERAMBI_CHROMIUM to a Chromium executable"
        )
    # Django refuses ORM calls in a thread with a running loop; the tests' own ORM calls (test
    # data, transaction flushes) are synchronous code that only looks async to Django.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a loop running, Django would also look the test thread's database connections up in
    # an empty per-task store and open new ones: without the test database's serialized
    # contents (so serialized rollback would restore nothing) and, on SQLite, apart from the
    # connection the live server shares. Keep the thread's own connections.
    held = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in held.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


def watched_contexts(
    browser: Browser, base_url: str, page_problems: PageProblems, request: pytest.FixtureRequest
) -> tuple[Callable[..., BrowserContext], list[BrowserContext]]:
    """A function opening browser contexts on `base_url`, each watched for console errors,
    script errors and CSP violations, and the list of those it opened."""
    opened: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        browser_context = browser.new_context(base_url=base_url, locale="id-ID", **options)
        browser_context.expose_binding(
            "__serambiCspViolation",
            lambda _source, report: page_problems.found.append(f"CSP violation: {report}"),
        )
        browser_context.add_init_script(REPORT_CSP_VIOLATIONS)
        browser_context.on("console", page_problems.console)
        browser_context.on("weberror", page_problems.script_error)
        opened.append(browser_context)
        return browser_context

    request.node.stash[PROBLEMS] = (opened, page_problems)
    return open_context, opened


@pytest.fixture
def new_context(
    browser: Browser,
    live_server,
    django_db_serialized_rollback,
    page_problems: PageProblems,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., BrowserContext]]:
    """Opens more contexts in one test (a second person, a browser without JavaScript), each
    as watched as `context`: `new_context(java_script_enabled=False)`."""
    # The live server commits for real and the tables are flushed after each test; serialized
    # rollback restores what the migrations put there (the role groups) for the next test.
    open_context, opened = watched_contexts(browser, live_server.url, page_problems, request)
    yield open_context
    for browser_context in opened:
        browser_context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    # Checked as part of the test's own outcome: a failure of the test, not a teardown error.
    try:
        result = yield
    except BaseException:
        _, problems = item.stash.get(PROBLEMS, (None, None))
        if problems and problems.found:
            item.add_report_section("call", "browser console", "\n".join(problems.found))
        raise
    if PROBLEMS in item.stash:
        browser_contexts, problems = item.stash[PROBLEMS]
        for browser_context in browser_contexts:
            for open_page in browser_context.pages:
                open_page.wait_for_timeout(50)  # let reports still on their way arrive
        if problems.found:
            pytest.fail(
                "The browser reported problems (a CSP violation means a template broke the rule "
                "of no inline script or style):\n" + "\n".join(problems.found),
                pytrace=False,
            )
    return result
