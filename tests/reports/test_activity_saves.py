"""A learner opening a course or an exam again only moves their last activity, which no department
summary reads: such a save enqueues no summary refresh (on exam day every Start would otherwise
send the worker one). Any other save of a progress row still does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import CourseProgress, Enrolment
from courses.services import course_activity_touch, course_start
from reports.models import DepartmentCourseSummary
from reports.receivers import _OnCommitOnce

pytestmark = pytest.mark.django_db


def learner_refreshes(callbacks) -> list:
    return [
        callback.key for callback in callbacks if isinstance(callback, _OnCommitOnce) and callback.key[0] == "learner"
    ]


def test_starting_a_course_again_enqueues_no_refresh(city, events, django_capture_on_commit_callbacks):
    learner, course = city.learners["budget"][0], city.courses[0]
    with django_capture_on_commit_callbacks(execute=True) as first:
        course_start(user=learner, course=course)
    assert learner_refreshes(first) == [("learner", learner.pk, course.pk)]  # started: a figure changed
    assert DepartmentCourseSummary.objects.get(department=city.budget, course=course).started == 1
    before = CourseProgress.objects.get(user=learner, course=course).last_activity_at

    with django_capture_on_commit_callbacks(execute=False) as again:
        course_start(user=learner, course=course)
    assert learner_refreshes(again) == []
    assert CourseProgress.objects.get(user=learner, course=course).last_activity_at > before


@pytest.mark.parametrize(
    ("update_fields", "refreshed"),
    [
        (["last_activity_at"], False),
        (["last_activity_at", "percent"], True),
        (["best_score_percent"], True),
        (None, True),
    ],
)
def test_only_a_save_of_the_activity_time_alone_is_skipped(
    city, events, django_capture_on_commit_callbacks, update_fields, refreshed
):
    learner, course = city.learners["budget"][0], city.courses[0]
    with events():
        course_start(user=learner, course=course)
    progress = CourseProgress.objects.get(user=learner, course=course)
    progress.last_activity_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        progress.save(update_fields=update_fields)
    assert bool(learner_refreshes(callbacks)) is refreshed


def test_pressing_start_again_moves_only_the_activity_time_in_one_update(
    city, events, django_capture_on_commit_callbacks
):
    """courses.services.course_activity_touch (the Start button of an exam): for a learner who has
    started the course, one UPDATE of the activity time and no refresh; for one who has not, what
    course_start does (enrolled, the row created, a refresh)."""
    learner, course = city.learners["budget"][0], city.courses[0]
    with django_capture_on_commit_callbacks(execute=True) as first:
        course_activity_touch(user=learner, course=course)
    assert learner_refreshes(first) == [("learner", learner.pk, course.pk)]
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    before = CourseProgress.objects.get(user=learner, course=course)

    with django_capture_on_commit_callbacks(execute=False) as again, CaptureQueriesContext(connection) as queries:
        course_activity_touch(user=learner, course=course)
    writes = [query["sql"] for query in queries if not query["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "courses_courseprogress" SET "last_activity_at"'), writes
    assert not any("FOR UPDATE" in query["sql"] for query in queries)  # nothing locked
    assert learner_refreshes(again) == []
    after = CourseProgress.objects.get(user=learner, course=course)
    assert after.last_activity_at > before.last_activity_at
    assert (after.started_at, after.percent, after.steps_done) == (before.started_at, before.percent, before.steps_done)
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
