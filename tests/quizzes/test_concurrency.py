"""Twenty requests at once on PostgreSQL: one graded attempt, one open attempt."""

import threading

import pytest
from django.db import connection

from quizzes.models import Attempt, AttemptGrade
from quizzes.services import AttemptClosed, AttemptsExhausted, attempt_start, attempt_submit
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(function, times=20):
    barrier = threading.Barrier(times)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=20)
            outcomes.append(function())
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_parallel_submits_grade_once(require_postgres):
    quiz = make_quiz()
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    answers = right_answers(attempt)
    outcomes = run_at_once(lambda: attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers))
    graded = [o for o in outcomes if isinstance(o, AttemptGrade)]
    refused = [o for o in outcomes if isinstance(o, AttemptClosed)]
    assert len(graded) == 1 and len(refused) == 19, outcomes
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_twenty_parallel_starts_with_one_attempt_allowed_give_one_attempt(require_postgres):
    quiz = make_quiz(attempts_allowed=1)
    learner = UserFactory()
    outcomes = run_at_once(lambda: attempt_start(quiz=quiz, user=learner))
    attempts = {o.pk for o in outcomes if isinstance(o, Attempt)}
    errors = [o for o in outcomes if not isinstance(o, Attempt | AttemptsExhausted)]
    assert errors == [] and len(attempts) == 1
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 1
