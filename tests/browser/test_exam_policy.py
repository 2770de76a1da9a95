"""The exam policy in a real browser: a learner refused before the quiz opens, told when it does;
"Submit all answers" names the unanswered questions before the attempt is graded."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from courses.models import QuizStepPage
from courses.services import step_complete
from quizzes.models import Attempt, AttemptGrade
from quizzes.services import attempt_start
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def test_a_learner_is_refused_before_the_opening_time_with_a_clear_message(visitor, catalogue):
    opens_at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    quiz = make_quiz(title="期末考试", opens_at=opens_at, closes_at=opens_at + timedelta(hours=2))
    course = build_course(catalogue, steps=1, slug="exam-window")
    course.refresh_from_db()
    step = QuizStepPage(title="期末考试", slug="final", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    course.add_child(instance=step)
    learner = UserFactory(username="early-bird")
    step_complete(user=learner, step=course_steps(course)[0])

    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(step.url)
    with translation.override("en"):
        when = date_format(timezone.localtime(opens_at), "DATETIME_FORMAT")
    refusal = visitor.page.locator("[data-sitting-refusal]")
    assert refusal.inner_text() == f"This quiz opens at {when}. You can start it then."
    assert f"Opens: {when}" in visitor.text()
    assert visitor.page.locator("main form[action*='quiz']").count() == 0  # nothing to press
    assert not Attempt.objects.filter(user=learner).exists()


def test_submit_all_names_the_unanswered_questions_then_grades_the_attempt(visitor):
    learner = UserFactory(username="unanswered")
    attempt = attempt_start(quiz=make_quiz(layout="all_on_one"), user=learner)
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")
    page = visitor.page
    page.locator("#question-1 input[type=radio]").first.check()
    page.locator("#question-3 input[type=radio]").first.check()

    page.locator("[data-final-submit]").click()
    dialog = page.locator("[data-submit-dialog]")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "questions have no answer: 2, 4, 5." in text
    listed = dialog.locator("[data-unanswered-item]:visible")
    assert [item.get_attribute("data-unanswered-item") for item in listed.all()] == ["2", "4", "5"]
    assert "Question 2: 以下哪些是安全的口令习惯？" in " ".join(listed.first.inner_text().split())
    assert "Question 1" not in text and "Question 3" not in text
    visitor.check_page()
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()  # nothing sent before confirming

    visitor.click("[data-confirm-submit]")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.closed_by == Attempt.ClosedBy.LEARNER
    grade = AttemptGrade.objects.get(attempt=attempt)
    assert grade.question_grades.filter(attempt_question__position=1).get().response.get("choice")
