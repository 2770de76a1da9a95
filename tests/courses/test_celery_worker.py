"""The recompute task through a real Celery worker and Redis, with its effect read from PostgreSQL."""

import pytest

from config.celery import app as celery_app
from courses.models import CourseProgress, LessonPage
from courses.services import course_outline_refresh, step_complete
from tests.celery_worker import require_broker, start_worker, stop_worker, wait_for
from tests.factories import UserFactory, build_course, course_steps, lesson_body

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def celery_worker(require_postgres):
    require_broker()
    worker = start_worker(name="test-worker")
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        stop_worker(worker)


def test_publishing_a_new_step_recomputes_progress_in_a_real_worker(catalogue, celery_worker):
    course = build_course(catalogue, steps=3, slug="worker")
    course_outline_refresh(course=course)
    learner = UserFactory()
    for step in course_steps(course):
        step_complete(user=learner, step=step)
    assert CourseProgress.objects.get(user=learner).percent == 100

    course.refresh_from_db()
    new_step = LessonPage(title="新增", slug="new", body=lesson_body(), live=False)
    course.add_child(instance=new_step)
    new_step.save_revision().publish()  # commits; the task goes to Redis on commit

    def recomputed():
        progress = CourseProgress.objects.get(user=learner)
        return progress.steps_total == 4

    assert wait_for(recomputed, timeout=30), "the worker did not recompute the course's progress"
    progress = CourseProgress.objects.get(user=learner)
    assert (progress.steps_done, progress.percent, progress.resume_step_id) == (3, 75, new_step.id)
