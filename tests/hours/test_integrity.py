"""Issue 13 part 4: the integrity report for heads, their scope only: completions faster than the
content allows and many courses finished in one sitting, found on constructed data and not on
honest data; decisions audited; the export carries the findings."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from accounts.scope import Scope
from courses.models import CourseProgress, LessonPage
from courses.services import step_complete
from hours.integrity import findings
from hours.models import HourEntry, IntegrityReview
from hours.rules import sittings
from studytime.models import StudyTime
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db

EVERYONE = Scope(everything=True)


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_city(catalogue, courses=3)


def complete(user, city, course, *, honest=True, at=None):
    for step in city.steps[course.pk]:
        if honest:
            seconds = LessonPage.objects.get(pk=step.pk).minimum_study_seconds + 30
            StudyTime.objects.create(user=user, step=step, course=course, active_ms=seconds * 1000)
        step_complete(user=user, step=step, now=at)


def spread_out(city, user):
    """Each course a day apart: no sitting."""
    for n, course in enumerate(city.courses):
        complete(user, city, course, at=timezone.now() - timedelta(days=10 - n))


def test_sittings_are_runs_within_the_window():
    start = timezone.now()
    moments = [start, start + timedelta(minutes=20), start + timedelta(minutes=50), start + timedelta(hours=5)]
    assert sittings(moments, window_seconds=3600, at_least=3) == [moments[:3]]
    assert sittings(moments, window_seconds=600, at_least=3) == []


def test_honest_learners_have_no_findings(city):
    spread_out(city, city.learners["budget"][0])
    assert findings(scope=EVERYONE) == []


def test_a_completion_faster_than_the_content_allows_is_found(city):
    learner = city.learners["budget"][0]
    honest = city.learners["budget"][1]
    complete(learner, city, city.courses[0], honest=False)
    complete(honest, city, city.courses[0])
    found = findings(scope=EVERYONE)
    assert [(f.kind, f.user_id, f.course_ids, f.active_minutes) for f in found] == [
        ("too_fast", learner.pk, [city.courses[0].pk], 0)
    ]
    assert found[0].expected_minutes >= 1


def test_many_courses_in_one_sitting_are_found(city):
    learner = city.learners["treasury"][0]
    start = timezone.now() - timedelta(hours=3)
    for n, course in enumerate(city.courses):
        complete(learner, city, course, at=start + timedelta(minutes=10 * n))
    found = findings(scope=EVERYONE)
    assert [(f.kind, f.user_id, sorted(f.course_ids)) for f in found] == [
        ("one_sitting", learner.pk, sorted(c.pk for c in city.courses))
    ]


def test_a_head_sees_their_units_only_and_another_departments_finding_is_a_404(client, city):
    inside, outside = city.learners["budget"][0], city.learners["police"][0]
    complete(inside, city, city.courses[0], honest=False)
    complete(outside, city, city.courses[0], honest=False)
    client.force_login(city.finance_head)
    page = client.get(reverse("hours:integrity"))
    assert [item["finding"].user_id for item in page.context["items"]] == [inside.pk]
    decide = reverse("hours:integrity_decide")
    refused = client.post(decide, {"learner": outside.pk, "kind": "too_fast", "key": city.courses[0].pk, "decision": "accepted"})
    assert refused.status_code == 404
    assert not IntegrityReview.objects.exists()
    client.force_login(city.plain_learner)
    assert client.get(reverse("hours:integrity")).status_code == 403


def test_the_head_rejects_the_hours_of_a_finding_audited(client, city, settings):
    learner = city.learners["budget"][0]
    course = city.courses[0]
    complete(learner, city, course, honest=False)
    entry = HourEntry.objects.get(user=learner, course=course, source="course_completion")
    assert entry.review == "earned"  # the share rule is off here: only the finding catches it
    client.force_login(city.finance_head)
    decide = reverse("hours:integrity_decide")
    data = {"learner": learner.pk, "kind": "too_fast", "key": course.pk, "decision": "hours_rejected"}
    assert client.post(decide, data).status_code == 400  # a reason is required
    assert client.post(decide, {**data, "reason": "三秒完成"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by, entry.review_reason) == ("rejected", city.finance_head, "三秒完成")
    review = IntegrityReview.objects.get()
    assert (review.user, review.decision, review.decided_by) == (learner, "hours_rejected", city.finance_head)
    assert ModelLogEntry.objects.filter(action="hours.integrity_reviewed", user=city.finance_head).count() == 1
    assert ModelLogEntry.objects.filter(action="hours.review_rejected", object_id=str(entry.pk)).count() == 1
    again = client.post(decide, {**data, "decision": "accepted"})
    assert again.status_code == 302 and IntegrityReview.objects.get().decision == "hours_rejected"


def test_the_export_contains_the_findings_and_their_decisions(client, city):
    learner = city.learners["budget"][0]
    complete(learner, city, city.courses[0], honest=False)
    client.force_login(city.finance_head)
    client.post(
        reverse("hours:integrity_decide"),
        {"learner": learner.pk, "kind": "too_fast", "key": city.courses[0].pk, "decision": "accepted"},
    )
    response = client.get(reverse("hours:integrity_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == learner.display_name and "faster than the content allows" in rows[1][2]
    assert rows[1][3] == city.courses[0].title and rows[1][8] == "Accepted"
    xlsx = client.get(reverse("hours:integrity_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == learner.display_name
    assert CourseProgress.objects.filter(user=learner, completed_at__isnull=False).count() == 1
