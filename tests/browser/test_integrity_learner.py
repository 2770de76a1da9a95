"""Issue 13 part 4 in Chromium: from the integrity report a head opens a learner's page, reads
the minutes per course and rejects the hours of a machine-regular finding; the database records it."""

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.services import step_complete
from hours.models import HourEntry, IntegrityReview
from studytime.models import PageView
from tests.browser.test_study_time import PASSWORD
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_head_opens_a_learners_page_and_rejects_the_hours_of_regular_beats(visitor, catalogue):
    city = build_city(catalogue, per_unit=1, courses=1)
    learner = city.learners["budget"][0]
    course = city.courses[0]
    for step in city.steps[course.pk]:
        step_complete(user=learner, step=step)
    start = timezone.now() - timedelta(hours=1)
    PageView.objects.create(
        view_id=secrets.token_urlsafe(12),
        user=learner,
        step=city.steps[course.pk][0],
        course=course,
        started_at=start,
        last_beat_at=start + timedelta(minutes=15),
        beats=31,
        gaps=30,
        gap_sum_ms=900_000,
        gap_sq_ms=30 * 30_000**2,
        credited_ms=900_000,
    )

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto("/hours/integrity/")
    page = visitor.page
    row = page.locator("tr", has_text="Heartbeats at machine-regular intervals")
    visitor.click(row.get_by_role("link", name=learner.display_name))
    assert page.url.endswith(f"/hours/integrity/learner/{learner.pk}/")
    assert page.get_by_role("heading", name=learner.display_name).is_visible()
    minutes = page.locator("table[aria-labelledby=courses-heading] tr", has_text=course.title)
    assert minutes.locator("td.num").inner_text() == "0"

    finding = page.locator("tr", has_text="Heartbeats at machine-regular intervals")
    finding.get_by_label("Reason (required to reject)").fill("每30秒整一次心跳，脚本所为")
    visitor.click(finding.get_by_role("button", name="Reject the hours"))
    assert page.url.endswith(f"/hours/integrity/learner/{learner.pk}/")
    review = IntegrityReview.objects.get(user=learner)
    assert (review.kind, review.decision, review.decided_by_id) == ("regular_beats", "hours_rejected", city.finance_head.pk)
    entry = HourEntry.objects.get(user=learner, course=course, source="course_completion")
    assert (entry.review, entry.review_reason) == ("rejected", "每30秒整一次心跳，脚本所为")
    assert page.locator("tr", has_text="Heartbeats at machine-regular intervals").get_by_text("Hours rejected").is_visible()
    visitor.check_page()
