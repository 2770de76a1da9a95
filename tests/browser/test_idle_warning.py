"""Shortly before the idle timeout a page asks "still there?"; staying signed in restarts the
server's count, and a session that ended offers to sign in again."""

import pytest
from django.contrib.sessions.models import Session

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def last_seen() -> int:
    return Session.objects.get().get_decoded()["last_seen"]


def test_the_warning_comes_before_the_timeout_and_stay_signed_in_keeps_the_session(visitor, settings):
    settings.SESSION_COOKIE_AGE = 124
    settings.SESSION_IDLE_WARNING_SECONDS = 120
    UserFactory(username="idle")
    visitor.log_in("idle", "correct-horse-battery")
    visitor.goto("/learn/my/")
    page = visitor.page
    dialog = page.locator("[data-idle-warning]")
    dialog.wait_for(state="visible", timeout=15_000)  # about 4 seconds after the page was drawn
    assert "signed out in about 2 minutes" in dialog.inner_text()
    visitor.check_page()  # the open warning passes the checks
    before = last_seen()
    page.wait_for_timeout(1100)  # so the new activity is a later second
    page.click("[data-stay-signed-in]")
    dialog.wait_for(state="hidden")
    assert last_seen() > before
    visitor.goto("/learn/my/")  # still signed in
    assert page.url.endswith("/learn/my/")


def test_a_session_that_ended_offers_to_sign_in_again(visitor, settings):
    settings.SESSION_COOKIE_AGE = 3
    settings.SESSION_IDLE_WARNING_SECONDS = 2
    UserFactory(username="gone")
    visitor.log_in("gone", "correct-horse-battery")
    page = visitor.page
    page.locator("[data-idle-ended]").wait_for(state="visible", timeout=15_000)
    visitor.check_page()
    visitor.click("[data-sign-in-again]")
    assert "/accounts/login/" in page.url
