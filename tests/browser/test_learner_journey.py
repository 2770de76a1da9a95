"""A demo learner in a real browser: log in, open a course, complete a step, see the bar move."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def progress_value(page) -> int:
    return int(page.locator("aside progress").first.get_attribute("value"))


def test_demo_learner_completes_a_step_and_the_progress_bar_moves(live_server_url, visitor):
    call_command("load_demo_city", verbosity=0)
    page = visitor.page
    visitor.log_in("learner", "Training-2026")
    assert page.url == f"{live_server_url}/"
    assert page.locator("#resume-heading").is_visible()

    visitor.goto("/courses/infosec-opinions/")  # enrolled, nothing done yet
    before = progress_value(page)
    visitor.click('main a.btn-primary:has-text("Continue")')
    assert page.locator("h1").inner_text()
    assert progress_value(page) == before

    visitor.click("text=Mark as done and continue")
    after = progress_value(page)
    assert after > before
    assert page.locator(".outline-step.status-done").count() == 1
