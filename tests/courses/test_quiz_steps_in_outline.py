"""A quiz step is a step: publishing, unpublishing, moving or deleting one changes the outline and
the stored progress exactly as a lesson step does (issue 11, first reproduction)."""

import pytest

from certificates.models import Certificate
from courses.models import CourseOutline, CourseProgress, QuizStepPage, step_models
from courses.selectors import live_step_ids
from courses.services import course_outline_refresh, step_complete
from hours.models import HourEntry
from tests.factories import UserFactory, course_steps
from tests.factories.quizzes import make_question, make_quiz_of, single_choice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def add_quiz_step(course, *, live=True, slug="check") -> QuizStepPage:
    course.refresh_from_db()
    quiz = make_quiz_of([make_question(single_choice("政务外网与互联网应当如何隔离？"))], title=f"测验 {slug}")
    step = course.add_child(instance=QuizStepPage(title="随堂测验", slug=slug, quiz=quiz, live=False))
    if live:
        step.save_revision().publish()
    return QuizStepPage.objects.get(pk=step.pk)


def test_every_kind_of_step_is_a_step():
    assert {model.__name__ for model in step_models()} == {"LessonPage", "QuizStepPage"}


def test_publishing_a_quiz_step_adds_it_to_the_outline_and_the_progress(course):
    course_outline_refresh(course=course)
    learner = UserFactory()
    for step in course_steps(course):
        step_complete(user=learner, step=step)
    quiz_step = add_quiz_step(course)
    assert CourseOutline.objects.get(course=course).step_ids[-1] == quiz_step.pk
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.steps_total) == (3, 4)
    assert progress.resume_step_id == quiz_step.pk


def test_unpublishing_the_last_quiz_step_completes_the_course_with_hours_and_certificate(course):
    quiz_step = add_quiz_step(course)
    course_outline_refresh(course=course)
    learner = UserFactory()
    for step in course_steps(course)[:3]:
        step_complete(user=learner, step=step)
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.steps_total, progress.completed_at) == (3, 4, None)

    quiz_step.unpublish()

    progress.refresh_from_db()
    assert (progress.steps_done, progress.steps_total) == (3, 3)
    assert progress.completed_at is not None
    assert HourEntry.objects.filter(user=learner, course=course, source="course_completion", revoked_at__isnull=True).exists()
    assert Certificate.objects.filter(user=learner, course=course, revoked_at__isnull=True).exists()


def test_deleting_or_moving_a_quiz_step_refreshes_the_outline(course, catalogue):
    from tests.factories import build_course

    quiz_step = add_quiz_step(course)
    course_outline_refresh(course=course)
    assert quiz_step.pk in CourseOutline.objects.get(course=course).step_ids
    other = build_course(catalogue, steps=1, slug="other")
    course_outline_refresh(course=other)
    quiz_step.move(other, pos="last-child")
    assert quiz_step.pk not in CourseOutline.objects.get(course=course).step_ids
    assert quiz_step.pk in CourseOutline.objects.get(course=other).step_ids
    QuizStepPage.objects.get(pk=quiz_step.pk).delete()
    assert CourseOutline.objects.get(course=other).step_ids == live_step_ids(course=other)
    assert quiz_step.pk not in CourseOutline.objects.get(course=other).step_ids
