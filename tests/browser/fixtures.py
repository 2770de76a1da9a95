"""Browser test fixtures (a pytest plugin registered by tests/conftest.py): Debian's chromium
through Playwright, JavaScript on.

Pages are opened through a `Visitor`, which checks every page it lands on where users are (see
tests/browser/checks.py): no server error, no JavaScript error, no CSP violation, no axe-core
violation of any impact, Chinese content marked as such in English pages, and, on the learner and
head site, at phone width nothing scrolls sideways, table headers keep their words and the header
menu collapses.

Two kinds of tests use it:
- tests in tests/browser/ build their own data with factories, on a live server of their own
  (a transactional database, emptied after each test);
- the role journeys in tests/journeys/ share one demo city, loaded once per session (see there).
"""

import os
import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.browser.checks import Visitor
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: without these chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def start_live_server() -> LiveServerThread:
    """Django's live server in a thread, serving static files too. The server thread opens its own
    database connections (an in-memory SQLite test database is opened in shared-cache mode, so it
    sees the same rows); tests using it must not hold a transaction open."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    server.url = f"http://127.0.0.1:{server.port}"
    return server


def stop_live_server(server: LiveServerThread):
    server.terminate()


@pytest.fixture
def chromium(monkeypatch):
    """A browser for this test; each visitor opens its own context (cookies, storage) in it.

    Started per test, not per session: while Playwright's sync API is running, its event loop
    counts as running in this thread, and Django then keeps database connections per context
    instead of per thread (the test database's serialized copy would be lost to later tests)."""
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"needs Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Django refuses ORM calls next to a running event loop unless told the code is synchronous
    # (it is: the tests only read and seed rows between browser steps).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Django gave the code run under Playwright database connections of their own, reachable
        # only while its loop runs: close them here, or the test database cannot be dropped.
        connections.close_all()
    connections.close_all()


@pytest.fixture
def live_server_url():
    """A live server for this test only, stopped (with its database connections) when it ends."""
    server = start_live_server()
    yield server.url
    stop_live_server(server)


@pytest.fixture
def visitor_factory(chromium):
    """visitor_factory(base_url, locale="en-US") opens a fresh browser context with the checks on."""
    contexts = []

    def open_visitor(base_url: str, *, locale: str = "en-US", viewport=None) -> Visitor:
        context = chromium.new_context(
            locale=locale, viewport=viewport or {"width": 1280, "height": 900}, base_url=base_url
        )
        contexts.append(context)
        return Visitor(context.new_page(), base_url)

    yield open_visitor
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(live_server_url, visitor_factory, site_tree) -> Visitor:
    """A checked browser tab on this test's live server, with the site's home page and catalogue."""
    return visitor_factory(live_server_url)


@pytest.fixture
def browser_page(visitor):
    """The bare Playwright page of a checked visitor (for tests written before the Visitor)."""
    return visitor.page
