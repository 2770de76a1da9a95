import pytest
from django.db import transaction

from courses.models import CourseOutline, CourseProgress, LessonPage
from courses.services import course_outline_refresh, course_progress_recompute, step_complete
from courses.tasks import recompute_course_progress
from tests.factories import UserFactory, course_steps, lesson_body

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def publish_new_step(course, slug="extra"):
    course.refresh_from_db()
    step = LessonPage(title="新增步骤", slug=slug, body=lesson_body("新内容"), live=False)
    course.add_child(instance=step)
    step.save_revision().publish()
    return step


def test_publishing_a_new_step_recomputes_stored_progress(course):
    course_outline_refresh(course=course)
    learners = [UserFactory() for _ in range(2)]
    for step in course_steps(course):
        step_complete(user=learners[0], step=step)
    step_complete(user=learners[1], step=course_steps(course)[0])

    new_step = publish_new_step(course)

    finished = CourseProgress.objects.get(user=learners[0])
    assert (finished.steps_done, finished.steps_total, finished.percent) == (3, 4, 75)
    assert finished.resume_step_id == new_step.id
    assert finished.completed_at is not None  # a completed course stays completed
    partial = CourseProgress.objects.get(user=learners[1])
    assert (partial.steps_done, partial.steps_total, partial.percent) == (1, 4, 25)
    assert CourseOutline.objects.get(course=course).step_ids[-1] == new_step.id


def test_unpublishing_a_step_recomputes_and_can_complete_the_course(course):
    course_outline_refresh(course=course)
    learner = UserFactory()
    first, second, third = course_steps(course)
    step_complete(user=learner, step=first)
    step_complete(user=learner, step=second)
    third.unpublish()
    progress = CourseProgress.objects.get(user=learner)
    assert (progress.steps_done, progress.steps_total, progress.percent) == (2, 2, 100)
    assert progress.completed_at is not None


def test_deleting_a_step_recomputes(course):
    course_outline_refresh(course=course)
    learner = UserFactory()
    step_complete(user=learner, step=course_steps(course)[0])
    course_steps(course)[2].delete()
    progress = CourseProgress.objects.get(user=learner)
    assert (progress.steps_done, progress.steps_total, progress.percent) == (1, 2, 50)


def test_republishing_an_unchanged_step_does_not_enqueue(course, monkeypatch):
    course_outline_refresh(course=course)
    calls = []
    monkeypatch.setattr(recompute_course_progress, "run", lambda course_id: calls.append(course_id))
    course_steps(course)[0].save_revision().publish()
    assert calls == []
    publish_new_step(course)
    assert calls == [course.pk]


def test_recompute_is_enqueued_only_after_commit(course, monkeypatch):
    course_outline_refresh(course=course)
    calls = []
    monkeypatch.setattr(recompute_course_progress, "run", lambda course_id: calls.append(course_id))
    with transaction.atomic():
        publish_new_step(course)
        assert calls == []
    assert calls == [course.pk]


def test_recompute_task_is_idempotent(course):
    learner = UserFactory()
    step_complete(user=learner, step=course_steps(course)[0])
    CourseProgress.objects.filter(user=learner).update(steps_total=9, percent=11)
    assert recompute_course_progress.delay(course.pk).get() == 1
    assert course_progress_recompute(course_id=course.pk) == 0
    progress = CourseProgress.objects.get(user=learner)
    assert (progress.steps_done, progress.steps_total, progress.percent) == (1, 3, 33)


def test_recompute_of_a_deleted_course_does_nothing():
    assert course_progress_recompute(course_id=987654) == 0
