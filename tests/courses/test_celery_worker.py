"""The recompute task through a real Celery worker and Redis, with its effect read from PostgreSQL."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from courses.models import CourseProgress, LessonPage
from courses.services import course_outline_refresh, step_complete
from tests.conftest import skip_or_fail
from tests.factories import UserFactory, build_course, course_steps, lesson_body

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def celery_worker(require_postgres):
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs Redis: set CELERY_BROKER_URL")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    hostname = f"test-worker-{os.getpid()}@localhost"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            hostname,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        ready = wait_for(lambda: bool(celery_app.control.ping(destination=[hostname], timeout=0.5)), timeout=60)
        if not ready:
            worker.terminate()
            pytest.fail(f"Celery worker did not start: {worker.communicate(timeout=10)[1].decode()[-2000:]}")
        celery_app.conf.task_always_eager = False
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


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
