"""Issue 13 part 3: a completion earns its hours only when the verified study time reaches the
share of the course's expected time the city asks for; otherwise a head decides."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.services import step_complete
from hours import selectors
from hours.models import HourEntry
from hours.rules import EARNED, PENDING, verified_time_review
from studytime.models import StudyTime

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _half_share(settings):
    settings.STUDY_TIME_HOURS_SHARE = 0.5


def complete(user, city, course, *, seconds_per_step=0):
    for step in city.steps[course.pk]:
        if seconds_per_step:
            StudyTime.objects.create(user=user, step=step, course=course, active_ms=seconds_per_step * 1000)
        step_complete(user=user, step=step)
    return HourEntry.objects.get(user=user, course=course, source="course_completion")


@pytest.mark.parametrize(
    ("active", "expected", "share", "review"),
    [(0, 1800, 0.5, PENDING), (899, 1800, 0.5, PENDING), (900, 1800, 0.5, EARNED), (0, 1800, 0, EARNED), (0, 0, 0.5, EARNED)],
)
def test_the_rule_earns_at_the_share_and_is_off_at_zero(active, expected, share, review):
    assert verified_time_review(active_seconds=active, expected_seconds=expected, share=share) == review


def test_enough_verified_time_earns_the_hours_with_the_figures_behind_them(city):
    course = city.courses[0]  # 30 estimated minutes, two steps: 15 min asked for
    learner = city.learners["budget"][0]
    entry = complete(learner, city, course, seconds_per_step=8 * 60)
    assert (entry.review, entry.active_seconds, entry.expected_seconds, entry.share_percent) == (
        "earned",
        16 * 60,
        course.estimated_minutes * 60,
        50,
    )
    assert selectors.learner_course_hours(user_id=learner.pk) == {course.pk: entry.hours}


def test_a_pending_entry_is_excluded_from_the_ledger_totals_and_reports_until_approved(client, city):
    course = city.courses[0]
    learner = city.learners["budget"][0]
    entry = complete(learner, city, course, seconds_per_step=60)
    assert entry.review == "pending" and entry.active_seconds == 120
    year = timezone.localdate().year
    ledger = selectors.learner_year(user=learner, year=year, target=Decimal(50))
    assert ledger.total == 0 and ledger.not_counted == [entry]
    assert selectors.learner_course_hours(user_id=learner.pk) == {}
    client.force_login(city.finance_head)
    rows = {row["id"]: row for row in client.get(reverse("hours:compliance")).context["learners"]}
    assert rows[learner.pk]["h_total"] == 0
    client.force_login(learner)
    page = client.get(reverse("hours:mine")).content.decode()
    assert "waiting for your head" in page and "Verified study time 2 min of 30 min expected" in page

    client.force_login(city.finance_head)
    response = client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "approve"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by) == ("approved", city.finance_head)
    log = ModelLogEntry.objects.get(action="hours.review_approved")
    assert (log.user, log.object_id, log.data["active_seconds"]) == (city.finance_head, str(entry.pk), 120)
    rows = {row["id"]: row for row in client.get(reverse("hours:compliance")).context["learners"]}
    assert rows[learner.pk]["h_total"] == entry.hours
    assert selectors.learner_year(user=learner, year=year, target=Decimal(50)).total == entry.hours


def test_the_head_rejects_with_a_reason_and_the_hours_never_count(client, city):
    course = city.courses[0]
    learner = city.learners["treasury"][0]
    entry = complete(learner, city, course)
    client.force_login(city.finance_head)
    page = client.get(reverse("hours:pending")).content.decode()
    assert "Verified study time 0 min of 30 min expected; the rule asks for 50%." in page
    missing_reason = client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "reject"})
    assert missing_reason.status_code == 400
    entry.refresh_from_db()
    assert entry.review == "pending"
    client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "reject", "reason": "两分钟学完"})
    entry.refresh_from_db()
    assert (entry.review, entry.review_reason) == ("rejected", "两分钟学完")
    assert ModelLogEntry.objects.get(action="hours.review_rejected").user == city.finance_head
    assert selectors.learner_course_hours(user_id=learner.pk) == {}
    again = client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "approve"})
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.review == "rejected"  # decided once


def test_another_departments_head_and_the_learner_get_a_404(client, city):
    learner = city.learners["budget"][1]
    entry = complete(learner, city, city.courses[1])
    client.force_login(city.police_head)
    assert client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "approve"}).status_code == 404
    assert "review-" not in client.get(reverse("hours:pending")).content.decode()
    client.force_login(learner)
    assert client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "approve"}).status_code == 403
    entry.refresh_from_db()
    assert entry.review == "pending"
    assert not ModelLogEntry.objects.filter(action__startswith="hours.review").exists()
