"""Numerical and description questions in a real browser (issue 14 item 2c, 2d): a trainer creates
a numerical question in the admin (answer, grade and tolerance, through the form); a learner
answers it in a quiz that opens with a description, the "submit all" confirmation names only the
question left unanswered (never the description), and the database holds the grade Moodle would give."""

from decimal import Decimal

import pytest

from quizzes.models import Attempt, AttemptGrade, Question, QuestionCategory, Quiz, QuizSlot
from quizzes.services import attempt_start, question_create
from quizzes.specs import QuestionSpec, QuestionType, spec_from_data
from tests.browser.admin_forms import save_admin_form, type_rich_text
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_a_trainer_creates_a_numerical_question_and_a_learner_is_graded_on_it(visitor):
    category = QuestionCategory.objects.create(name="数值题库")
    UserFactory(username="numerical-trainer", is_superuser=True, is_staff=True)
    page = visitor.page

    visitor.goto("/admin/login/")
    page.fill("#id_username", "numerical-trainer")
    page.fill("#id_password", PASSWORD)
    visitor.click("form button[type=submit]")
    # Wagtail's own question form fails two axe rules this change did not bring (see test_choice_grades).
    visitor.checks = False
    visitor.goto("/admin/snippets/quizzes/question/add/")
    page.locator("#panel-child-panel-child-category-wrapper button:visible").first.click()  # the category chooser
    page.locator(".modal a", has_text="数值题库").first.click()
    page.locator(".modal").first.wait_for(state="hidden")
    page.select_option("#id_qtype", "numerical")
    page.fill("#id_name", "等保测评周期")
    type_rich_text(page, "input[name=stem]", "三级系统每隔几年至少测评一次？")
    page.fill("#id_mark", "2")
    page.locator("#id_answers-ADD").click()
    page.fill("#id_answers-0-text", "1")
    page.fill("#id_answers-0-fraction", "1")
    page.fill("#id_answers-0-tolerance", "0.5")
    save_admin_form(page)

    question = Question.objects.get(name="等保测评周期")
    spec = spec_from_data(question.current_version.spec)
    assert spec.qtype == QuestionType.NUMERICAL and "三级系统" in spec.stem
    assert [(a.text, a.fraction, a.tolerance) for a in spec.answers] == [("1", Decimal(1), Decimal("0.5"))]

    description = question_create(
        spec=QuestionSpec(qtype=QuestionType.DESCRIPTION, stem="以下两题关于等级保护测评。", mark=Decimal(0)),
        category=category,
    )
    fill = question_create(
        spec=QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="等保的全称是？", accepted_answers=("网络安全等级保护",)),
        category=category,
    )
    quiz = Quiz.objects.create(title="等保测验", shuffle_choices=False)
    for index, item in enumerate([description, question, fill]):
        QuizSlot.objects.create(quiz=quiz, question=item, sort_order=index)

    learner = UserFactory(username="numerical-learner")
    attempt = attempt_start(quiz=quiz, user=learner)
    visitor.checks = True
    page.context.clear_cookies()
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")
    assert "以下两题关于等级保护测评。" in page.inner_text("#question-1")
    assert page.locator("#question-1 input").count() == 0
    assert "0.5" not in page.inner_text("main")
    page.locator("#question-2 input[type=text]").fill("１.２")  # full-width digit, within 1 ± 0.5
    page.locator("[data-final-submit]").click()
    page.locator("[data-submit-dialog]").wait_for()
    # Only the fill-in-the-blank question is unanswered; the description is never listed.
    assert page.locator("[data-unanswered-item]:not([hidden])").all_inner_texts() == [
        page.locator("[data-unanswered-item='3']").inner_text()
    ]
    assert page.locator("[data-unanswered-item='1']").is_hidden()
    visitor.click("[data-confirm-submit]")

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    grade = AttemptGrade.objects.get(attempt=attempt)
    rows = {row.attempt_question.position: row for row in grade.question_grades.select_related("attempt_question")}
    assert (rows[2].response, rows[2].score, rows[2].correct) == ({"text": "１.２"}, Decimal("2.0000"), True)
    assert rows[1].score == 0 and rows[3].score == 0
    assert grade.score == Decimal("2.0000") and grade.max_score == Decimal("3.00")
