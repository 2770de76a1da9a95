"""Exam day's grades coalesce into few summary refreshes (reports.services.summary_refresh_mark_due):
while a refresh of a department × course is queued, more changes of the pair enqueue nothing, and
no change is ever left unread by a refresh."""

import datetime

import pytest
from django.utils import timezone

from courses.services import step_complete
from reports import receivers, tasks
from reports.models import DepartmentCourseSummary, SummaryRefreshDue
from reports.services import REFRESH_DUE_LOST_AFTER, summary_refresh_due, summary_refresh_mark_due
from tests.courses.test_concurrency import run_at_once
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The jobs the receivers hand to the broker, kept instead of run (a worker that is busy)."""
    jobs = []
    monkeypatch.setattr(receivers, "enqueue", lambda task, *args, delay=0: jobs.append((task.name, args)))
    return jobs


def test_a_pair_is_marked_once_until_its_refresh_starts(city):
    budget = city.learners["budget"]
    course = city.courses[0]
    assert summary_refresh_mark_due(user_id=budget[0].pk, course_id=course.pk) == city.budget.pk
    assert summary_refresh_mark_due(user_id=budget[1].pk, course_id=course.pk) is None  # one queued already
    # Another department or course is a pair of its own.
    assert summary_refresh_mark_due(user_id=city.learners["police"][0].pk, course_id=course.pk) == city.police.pk
    assert summary_refresh_mark_due(user_id=budget[0].pk, course_id=city.courses[1].pk) == city.budget.pk
    summary_refresh_due(department_id=city.budget.pk, course_id=course.pk)
    assert not SummaryRefreshDue.objects.filter(department=city.budget, course=course).exists()
    assert summary_refresh_mark_due(user_id=budget[1].pk, course_id=course.pk) == city.budget.pk


def test_a_mark_whose_refresh_was_lost_is_taken_again(city):
    learner, course = city.learners["budget"][0], city.courses[0]
    summary_refresh_mark_due(user_id=learner.pk, course_id=course.pk)
    stale = timezone.now() - REFRESH_DUE_LOST_AFTER - datetime.timedelta(seconds=1)
    SummaryRefreshDue.objects.update(due_since=stale)
    assert summary_refresh_mark_due(user_id=learner.pk, course_id=course.pk) == city.budget.pk
    assert SummaryRefreshDue.objects.get().due_since > stale


def test_a_learner_without_a_department_marks_nothing(city):
    loner = UserFactory(department=None)
    assert summary_refresh_mark_due(user_id=loner.pk, course_id=city.courses[0].pk) is None
    assert not SummaryRefreshDue.objects.exists()


def test_grades_while_a_refresh_is_queued_enqueue_nothing_more_and_the_refresh_reads_them_all(city, events, queued):
    course, steps = city.courses[0], city.steps[city.courses[0].pk]
    budget = city.learners["budget"]
    with events():
        step_complete(user=budget[0], step=steps[0])
    with events():
        step_complete(user=budget[1], step=steps[0])
    with events():
        step_complete(user=budget[1], step=steps[1])
    assert queued == [("reports.tasks.refresh_due_summary", (city.budget.pk, course.pk))]
    tasks.refresh_due_summary(*queued[0][1])  # the worker gets to it
    summary = DepartmentCourseSummary.objects.get(department=city.budget, course=course)
    assert (summary.started, summary.completed) == (2, 1)
    # After the refresh started, the next change is a new job.
    with events():
        step_complete(user=budget[0], step=steps[1])
    assert len(queued) == 2
    tasks.refresh_due_summary(*queued[1][1])
    summary.refresh_from_db()
    assert summary.completed == 2


def test_when_the_mark_cannot_be_written_the_refresh_is_enqueued_the_old_way(city, events, queued, monkeypatch):
    from django.db import OperationalError

    def broken(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr("reports.services.summary_refresh_mark_due", broken)
    learner = city.learners["budget"][0]
    with events():
        step_complete(user=learner, step=city.steps[city.courses[0].pk][0])
    assert queued == [("reports.tasks.refresh_learner_summaries", (learner.pk, [city.courses[0].pk]))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_marks_at_once_enqueue_one_refresh(require_postgres, catalogue):
    from tests.factories import DepartmentFactory, build_course

    department = DepartmentFactory(code="exam-day")
    course = build_course(catalogue, steps=1, slug="exam-day-course")
    people = [UserFactory(department=department) for _ in range(12)]
    results = []
    errors = run_at_once(
        [
            lambda person=person: results.append(summary_refresh_mark_due(user_id=person.pk, course_id=course.pk))
            for person in people
        ]
    )
    assert errors == []
    assert sorted(results, key=lambda value: value is None) == [department.pk] + [None] * 11


def test_the_refresh_is_sent_to_run_a_moment_later(city, events, monkeypatch, settings):
    settings.SUMMARY_REFRESH_DELAY_SECONDS = 5
    sent = []
    monkeypatch.setattr(
        "reports.receivers.enqueue_after", lambda seconds, task, *args: sent.append((seconds, task.name, args))
    )
    with events():
        step_complete(user=city.learners["budget"][0], step=city.steps[city.courses[0].pk][0])
    assert sent == [(5, "reports.tasks.refresh_due_summary", (city.budget.pk, city.courses[0].pk))]
