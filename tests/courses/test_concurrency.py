"""Two tabs at once: concurrent requests for the same learner must neither duplicate nor drop."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from courses import services
from courses.models import CourseProgress, Enrolment, QuizStepPage, StepCompletion
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


@pytest.mark.parametrize("enrolled_before", [False, True])
def test_pressing_start_on_an_exam_many_times_at_once_gives_one_of_everything(
    require_postgres, catalogue, monkeypatch, enrolled_before
):
    """A learner's double and triple clicks on a final exam's Start, first time in the course.
    New to the course, the enrolment's insert makes the others wait for the first. Enrolled
    already (by the training office, with no progress yet), every request finds no progress row
    and tries to create it (the pause below holds them all there); the losers wait on the unique
    index and then lock the winner's row. None fails."""
    from quizzes.models import Attempt
    from quizzes.services import attempt_start
    from tests.quizzes.conftest import make_quiz

    original = services.live_step_ids  # read only when the row is about to be created

    def slow_live_step_ids(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "live_step_ids", slow_live_step_ids)
    course = build_course(catalogue, steps=0, slug="race-exam")
    quiz = make_quiz(title="结业考试")
    step = QuizStepPage(title="结业考试", slug="final-exam", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    course.add_child(instance=step)
    learner = UserFactory()
    if enrolled_before:
        Enrolment.objects.create(user=learner, course=course, enrolled_at=timezone.now())

    def press_start():
        attempt_start(quiz=quiz, user=learner)
        course_start(user=learner, course=course)

    errors = run_at_once([press_start] * 6)
    assert errors == []
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    assert CourseProgress.objects.filter(user=learner, course=course).count() == 1


def test_a_class_pressing_start_together_through_the_view_gets_one_attempt_each(require_postgres, catalogue):
    """Exam day in small: twelve learners press Start on the same exam at one instant, twice;
    every press is answered with the attempt page, never an error, and nothing is duplicated."""
    from django.test import Client
    from django.urls import reverse

    from quizzes.models import Attempt
    from tests.quizzes.test_exam_day_queries import random_draw_exam

    course = build_course(catalogue, steps=1, sequential=False, slug="class-exam")
    quiz = random_draw_exam(bank_size=10, slots=2)
    step = QuizStepPage(title="结业考试", slug="final-exam", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    course.add_child(instance=step)
    learners = [UserFactory() for _ in range(12)]
    start = reverse("courses:quiz_start", args=[step.pk])
    clients = []
    for learner in learners:
        client = Client()
        client.force_login(learner)
        clients.append(client)
    answers: dict[int, list[str]] = {}

    def press(index):
        def run():
            response = clients[index].post(start)
            assert response.status_code == 302, response.status_code
            answers.setdefault(index, []).append(response["Location"].split("?")[0])

        return run

    errors = run_at_once([press(index) for index in range(len(learners))] * 2)
    assert errors == []
    for index, learner in enumerate(learners):
        attempt = Attempt.objects.get(user=learner, quiz=quiz)  # exactly one
        assert answers[index] == [reverse("quizzes:attempt", args=[attempt.pk])] * 2
        assert attempt.questions.count() == 6
    assert Enrolment.objects.filter(course=course).count() == len(learners)
    assert CourseProgress.objects.filter(course=course).count() == len(learners)
