"""A step a learner completed, moved by a trainer into another course: the completion follows the
step. Every part of the product counts completions per course (the outline, the stored progress,
its recompute, records_verify, the department reports), so a row left under the old course was
counted by the learner's next completion and dropped by the next recompute, and the learner could
never complete the step in its new course (one completion per learner and step)."""

import pytest
from django.utils import timezone

from courses.models import CourseProgress, StepCompletion
from courses.selectors import learner_progress_and_completions
from courses.services import course_outline_refresh, course_progress_recompute, course_start, step_complete
from records.services import records_verify
from tests.factories import UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def two_courses(catalogue):
    first = build_course(catalogue, steps=2, slug="first", title="政务外网基础", sequential=False)
    second = build_course(catalogue, steps=1, slug="second", title="数据共享", sequential=False)
    for course in (first, second):
        course_outline_refresh(course=course)
    return first, second


def test_a_moved_steps_completion_counts_in_its_new_course_everywhere(two_courses):
    first, second = two_courses
    learner = UserFactory()
    _kept, moved = course_steps(first)  # step-2: the second course has a step-1
    step_complete(user=learner, step=moved)

    moved.move(second, pos="last-child")

    completion = StepCompletion.objects.get(user=learner, step_id=moved.pk)
    assert completion.course_id == second.pk
    progress, completed = learner_progress_and_completions(user=learner, course=second)
    assert completed == {moved.pk}
    # The learner finishes the rest of the new course: it is complete, and a recompute agrees.
    step_complete(user=learner, step=course_steps(second)[0])
    progress = CourseProgress.objects.get(user=learner, course=second)
    assert (progress.steps_done, progress.steps_total) == (2, 2) and progress.completed_at is not None
    assert course_progress_recompute(course_id=second.pk) == 0
    assert course_progress_recompute(course_id=first.pk) == 0
    assert CourseProgress.objects.get(user=learner, course=first).steps_done == 0
    assert records_verify().problems == []
    # Completing it again in its new course changes nothing.
    result = step_complete(user=learner, step=moved)
    assert result.created is False
    assert StepCompletion.objects.filter(user=learner, step_id=moved.pk).count() == 1


def test_a_completion_left_under_another_course_is_brought_into_the_steps_course(two_courses):
    """Rows written before completions followed their steps: the learner's next completion of the
    step moves the row rather than counting a row the rest of the product does not see."""
    first, second = two_courses
    learner = UserFactory()
    step = course_steps(second)[0]
    StepCompletion.objects.create(user=learner, step_id=step.pk, course=first, completed_at=timezone.now())

    result = step_complete(user=learner, step=step)

    assert result.created is False
    assert StepCompletion.objects.get(user=learner, step_id=step.pk).course_id == second.pk
    progress = CourseProgress.objects.get(user=learner, course=second)
    assert progress.completed_at is not None
    assert course_progress_recompute(course_id=second.pk) == 0


def test_records_verify_finds_a_completion_under_another_course_and_repairs_it(two_courses):
    first, second = two_courses
    learner = UserFactory()
    step = course_steps(second)[0]
    step_complete(user=learner, step=step)
    StepCompletion.objects.filter(user=learner, step_id=step.pk).update(course=first)  # as before this fix
    CourseProgress.objects.filter(user=learner, course=second).update(steps_done=0, percent=0)

    found = records_verify()
    assert any(
        f"completion of step {step.pk} by user {learner.pk} is kept under course {first.pk}" in problem
        for problem in found.problems
    )

    repaired = records_verify(repair=True)
    assert repaired.remaining == []
    assert StepCompletion.objects.get(user=learner, step_id=step.pk).course_id == second.pk
    assert CourseProgress.objects.get(user=learner, course=second).steps_done == 1


def test_the_migration_brings_earlier_completions_under_their_steps_course(two_courses):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("courses.migrations.0008_completions_follow_steps")
    first, second = two_courses
    learner = UserFactory()
    step, kept = course_steps(second)[0], course_steps(first)[0]
    for each in (step, kept):
        StepCompletion.objects.create(user=learner, step_id=each.pk, course=first, completed_at=timezone.now())

    migration.completions_follow_steps(apps, None)

    assert StepCompletion.objects.get(user=learner, step_id=step.pk).course_id == second.pk
    assert StepCompletion.objects.get(user=learner, step_id=kept.pk).course_id == first.pk


def test_a_learner_starting_the_course_a_completed_step_moved_into_starts_with_it_done(two_courses):
    first, second = two_courses
    learner = UserFactory()
    _kept, moved = course_steps(first)
    step_complete(user=learner, step=moved)
    moved.move(second, pos="last-child")
    assert not CourseProgress.objects.filter(user=learner, course=second).exists()

    course_start(user=learner, course=second)

    progress = CourseProgress.objects.get(user=learner, course=second)
    assert (progress.steps_done, progress.steps_total, progress.percent) == (1, 2, 50)
    assert progress.resume_step_id == course_steps(second)[0].pk
    assert records_verify().problems == []


def test_a_course_whose_every_step_moved_in_done_is_completed_once_on_starting_it(two_courses, catalogue):
    from hours.models import HourEntry

    first, _second = two_courses
    empty = build_course(catalogue, steps=0, slug="regrouped", title="政务数据专题")
    learner = UserFactory()
    _kept, moved = course_steps(first)
    step_complete(user=learner, step=moved)
    moved.move(empty, pos="last-child")

    course_start(user=learner, course=empty)
    course_start(user=learner, course=empty)

    progress = CourseProgress.objects.get(user=learner, course=empty)
    assert (progress.steps_done, progress.steps_total) == (1, 1) and progress.completed_at is not None
    entries = HourEntry.objects.filter(user=learner, course=empty, source="course_completion", revoked_at__isnull=True)
    assert entries.count() == 1
    assert records_verify().problems == []
