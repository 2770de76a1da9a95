"""A trainer corrects a question's key and regrades the attempts that asked it, with the admin's
own buttons in a real browser: from the quiz's item analysis, "Regrade" for the question, then
"Yes, regrade". The learner's attempt gets a new grade row against the corrected version (its
first grade stays), and the regrade is in the audit trail."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from quizzes.models import AttemptGrade, QuestionChoice
from quizzes.services import question_version_save
from tests.factories import UserFactory
from tests.factories.quizzes import make_question, make_quiz_of, single_choice, user_with_permissions
from tests.quizzes.test_admin_tools import graded_attempt, key_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_a_trainer_regrades_the_attempts_of_a_corrected_question_from_the_item_analysis(visitor):
    first = make_question(single_choice("第一题", ("甲", "乙", "丙")))
    second = make_question(single_choice("第二题", ("对", "错")))
    quiz = make_quiz_of([first, second])
    learner = UserFactory(display_name="张学员")
    attempt = graded_attempt(quiz, learner, {1: {"choice": key_of(first, "乙")}, 2: {"choice": key_of(second, "对")}})
    assert AttemptGrade.objects.get(attempt=attempt).score == Decimal("1")
    trainer = user_with_permissions("add_question", "change_quiz", username="regrade-trainer")
    # The author finds the key was wrong: "乙" is the right answer, not "甲" (version 2).
    QuestionChoice.objects.filter(question=first).update(correct=False)
    QuestionChoice.objects.filter(question=first, text="乙").update(correct=True)
    question_version_save(question=first, user=trainer)
    page = visitor.page

    visitor.log_in_to_admin(trainer.username, PASSWORD)
    analysis = f"/admin/question-bank/quizzes/{quiz.pk}/analysis/"
    visitor.goto(analysis)
    visitor.click(page.get_by_role("link", name="Regrade question 1"))
    assert "1 graded attempt asked this question" in visitor.text()
    assert "version 2" in visitor.text()
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1  # nothing happens before the button
    visitor.click("main form button[type=submit]:has-text('Yes, regrade')")

    page.wait_for_url(f"**{analysis}")
    assert "1 attempt regraded." in page.inner_text("body")
    grades = list(AttemptGrade.objects.filter(attempt=attempt).order_by("graded_at", "pk"))
    assert [(grade.reason, grade.score) for grade in grades] == [
        (AttemptGrade.Reason.SUBMITTED, Decimal("1")),
        (AttemptGrade.Reason.REGRADE, Decimal("2")),
    ]
    assert grades[-1].percent == Decimal("100.00") and grades[-1].graded_by_id == trainer.pk
    entry = ModelLogEntry.objects.get(action="quizzes.regrade")
    assert (entry.object_id, entry.user_id, entry.data) == (str(first.pk), trainer.pk, {"version": 2, "attempts": 1})
