"""A demo learner in a real browser: log in, open a course, complete a step, see the bar move."""

import os
import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def live_server_url():
    """A live server for this test only, stopped (with its database connections) when it ends."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()


@pytest.fixture
def browser_page(live_server_url, monkeypatch):
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"needs Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test itself only reads the DB.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(locale="en-US")
        page.csp_violations = []
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
        )
        yield page
        browser.close()
        # Code inside Playwright's sync context runs in its own greenlet, which Django gives its
        # own database connection: close it here, or the test database cannot be dropped.
        connections.close_all()


def progress_value(page) -> int:
    return int(page.locator("aside progress").first.get_attribute("value"))


def test_demo_learner_completes_a_step_and_the_progress_bar_moves(live_server_url, browser_page):
    call_command("load_demo_city", verbosity=0)
    page = browser_page
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("#id_username", "learner")
    page.fill("#id_password", "Training-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server_url}/")
    assert page.locator("#resume-heading").is_visible()

    page.goto(f"{live_server_url}/courses/infosec-opinions/")  # enrolled, nothing done yet
    before = progress_value(page)
    page.click('main a.btn-primary:has-text("Continue")')
    assert page.locator("h1").inner_text()
    assert progress_value(page) == before

    page.click("text=Mark as done and continue")
    page.wait_for_load_state()
    after = progress_value(page)
    assert after > before
    assert page.locator(".outline-step.status-done").count() == 1
    assert page.csp_violations == []
