"""Every path that grades announces inside its transaction (issue 11, second reproduction: an
override announced after its transaction closed was a 500 on PostgreSQL, and the best score and
the final-exam hours were never written)."""

from decimal import Decimal

import pytest
from django.db import transaction

from courses.models import CourseProgress, QuizStepPage, StepCompletion
from courses.services import course_outline_refresh, step_complete
from hours.models import HourEntry
from quizzes.models import Attempt, AttemptGrade
from quizzes.services import _announce_graded, attempt_grade_override, attempt_start, attempt_submit
from tests.factories import UserFactory, course_steps
from tests.factories.quizzes import make_question, make_quiz_of, single_choice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def final_exam(course):
    quiz = make_quiz_of([make_question(single_choice("办公终端离开时应当怎样做？"))], title="结业测验")
    course.refresh_from_db()
    step = course.add_child(
        instance=QuizStepPage(title="结业测验", slug="exam", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    )
    step.save_revision().publish()
    course_outline_refresh(course=course)
    return QuizStepPage.objects.get(pk=step.pk)


def test_an_override_that_passes_a_failed_final_exam_writes_score_step_and_bonus(course, final_exam):
    learner = UserFactory()
    for step in course_steps(course)[:3]:
        step_complete(user=learner, step=step)
    attempt = attempt_start(quiz=final_exam.quiz, user=learner)
    wrong = next(c["key"] for c in attempt.questions.get().version.spec["choices"] if not c["correct"])
    failed = attempt_submit(attempt_id=attempt.pk, user=learner, answers={"1": {"choice": wrong}})
    assert not failed.passed
    assert CourseProgress.objects.get(user=learner, course=course).best_score_percent == 0

    trainer = UserFactory()
    passed = attempt_grade_override(
        attempt=Attempt.objects.get(pk=attempt.pk), position=1, score=Decimal("1"), reason="题目表述有歧义", user=trainer
    )

    assert passed.passed
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.best_score_percent == 100
    assert StepCompletion.objects.filter(user=learner, step_id=final_exam.pk).exists()
    assert progress.completed_at is not None
    assert HourEntry.objects.filter(user=learner, course=course, source="quiz_bonus").exists()


def test_announcing_a_grade_outside_its_transaction_is_refused(course, final_exam):
    learner = UserFactory()
    attempt = attempt_start(quiz=final_exam.quiz, user=learner)
    grade = attempt_submit(attempt_id=attempt.pk, user=learner, answers={})
    with pytest.raises(RuntimeError):
        _announce_graded(attempt, grade)
    with transaction.atomic():
        _announce_graded(attempt, grade)  # inside a transaction it is heard
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
