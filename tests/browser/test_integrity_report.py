"""Issue 13 parts 3 and 4 in Chromium: a head opens the integrity report, approves a completion's
pending hours and accepts a finding; the database records both decisions."""

import pytest

from courses.services import step_complete
from hours.models import HourEntry, IntegrityReview
from tests.browser.test_study_time import PASSWORD
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_head_approves_pending_hours_and_accepts_a_finding(visitor, settings, catalogue):
    settings.STUDY_TIME_HOURS_SHARE = 0.5
    city = build_city(catalogue, per_unit=1, courses=1)
    learner = city.learners["budget"][0]
    course = city.courses[0]
    for step in city.steps[course.pk]:
        step_complete(user=learner, step=step)  # no study time at all
    entry = HourEntry.objects.get(user=learner, course=course, source="course_completion")
    assert entry.review == "pending"

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto("/hours/integrity/")
    page = visitor.page
    assert page.get_by_role("heading", name="Study integrity").is_visible()
    card = page.locator(f"#review-{entry.pk}").locator("xpath=..")
    visitor.click(card.get_by_role("button", name="Approve"))
    assert page.url.endswith("/hours/integrity/")
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by_id) == ("approved", city.finance_head.pk)

    row = page.locator("tr", has_text="Completed faster than the content allows")
    row.get_by_label("Reason (required to reject)").fill("学员此前已参加同内容线下培训")
    visitor.click(row.get_by_role("button", name="Accept"))
    review = IntegrityReview.objects.get(user=learner)
    assert (review.kind, review.decision, review.decided_by_id) == ("too_fast", "accepted", city.finance_head.pk)
    assert review.reason == "学员此前已参加同内容线下培训"
    assert page.locator("tr", has_text="Completed faster than the content allows").get_by_text("Accepted").is_visible()
    visitor.check_page()
