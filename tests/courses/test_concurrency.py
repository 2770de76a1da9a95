"""Two tabs at once: concurrent requests for the same learner must neither duplicate nor drop."""

import threading
import time

import pytest
from django.db import connection

from courses import services
from courses.models import CourseProgress, Enrolment, StepCompletion
from courses.services import course_start, step_complete
from tests.factories import UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def worker(function):
        try:
            barrier.wait(timeout=10)
            function()
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_same_step_completed_from_two_threads_gives_one_row(require_postgres, catalogue, monkeypatch):
    widen_race_window(monkeypatch)
    course = build_course(catalogue, steps=3, slug="race")
    learner = UserFactory()
    first = course_steps(course)[0]
    errors = run_at_once([lambda: step_complete(user=learner, step=first)] * 2)
    assert errors == []
    assert StepCompletion.objects.filter(user=learner, step=first).count() == 1
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.percent) == (1, 33)


def widen_race_window(monkeypatch):
    """Pause between reading the learner's completions and writing the progress row, so that
    without the row lock both threads would read the same state and one update would be lost."""
    original = services.is_step_locked

    def slow_is_step_locked(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "is_step_locked", slow_is_step_locked)


def test_two_different_steps_at_once_are_both_counted(require_postgres, catalogue, monkeypatch):
    widen_race_window(monkeypatch)
    course = build_course(catalogue, steps=4, sequential=False, slug="race-free")
    learner = UserFactory()
    course_start(user=learner, course=course)  # enrolled already, so no unique insert serialises the two
    first, second, *_ = course_steps(course)
    errors = run_at_once(
        [lambda: step_complete(user=learner, step=first), lambda: step_complete(user=learner, step=second)]
    )
    assert errors == []
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.percent) == (2, 50)


def test_starting_a_course_from_two_threads_enrols_once(require_postgres, catalogue):
    course = build_course(catalogue, steps=2, slug="race-start")
    learner = UserFactory()
    errors = run_at_once([lambda: course_start(user=learner, course=course)] * 4)
    assert errors == []
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert CourseProgress.objects.filter(user=learner).count() == 1
