"""Matching questions in a real browser (issue 14 item 2): a trainer writes one in the admin's form
(refused first with too few answers, as Moodle's edit form refuses it); a learner answers it with the
keyboard in a quiz, the database holds Moodle's grade (sub-questions right / sub-questions) and the
review marks each sub-question right or wrong."""

from decimal import Decimal

import pytest

from quizzes.models import Attempt, AttemptGrade, Question, QuestionMatchPair, Quiz, QuizSlot
from quizzes.question_html import html_to_plain
from quizzes.services import attempt_start
from quizzes.specs import match_answer_key
from tests.browser.admin_forms import save_admin_form, type_rich_text
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's

PAIRS = [("网络安全法", "2017"), ("数据安全法", "2021"), ("个人信息保护法", "2021年11月")]


def test_a_trainer_writes_a_matching_question_and_a_learner_answers_it(visitor):
    category = QuestionCategoryFactory(name="法律法规")
    UserFactory(username="matching-trainer", is_superuser=True, is_staff=True)
    page = visitor.page

    visitor.goto("/admin/login/")
    page.fill("#id_username", "matching-trainer")
    page.fill("#id_password", PASSWORD)
    visitor.click("form button[type=submit]")
    # Wagtail's own question form fails two axe rules this change did not bring (see test_choice_grades).
    visitor.checks = False
    visitor.goto("/admin/snippets/quizzes/question/add/")
    # The category is Wagtail's snippet chooser (a hidden input behind a modal), not this change's.
    page.eval_on_selector("#id_category", "(input, pk) => { input.value = pk; }", str(category.pk))
    page.select_option("#id_qtype", "matching")
    page.fill("#id_name", "法律施行年份")
    type_rich_text(page, "input[name=stem]", "把法律与施行年份配对。")
    for index, (text, answer) in enumerate(PAIRS[:2]):
        page.locator("#id_match_pairs-ADD").click()
        type_rich_text(page, f"input[name=match_pairs-{index}-text]", text)
        page.fill(f"#id_match_pairs-{index}-answer", answer)
    save_admin_form(page)
    # Two sub-questions and two answers: refused, as Moodle refuses it, and nothing stored.
    assert "at least 2 sub-questions and 3 answers" in page.inner_text("main")
    assert not Question.objects.filter(name="法律施行年份").exists()

    page.locator("#id_match_pairs-ADD").click()
    type_rich_text(page, "input[name=match_pairs-2-text]", PAIRS[2][0])
    page.fill("#id_match_pairs-2-answer", PAIRS[2][1])
    page.locator("#id_match_pairs-ADD").click()  # an extra, wrong answer: no sub-question
    page.fill("#id_match_pairs-3-answer", "2000")
    save_admin_form(page)

    question = Question.objects.get(name="法律施行年份")
    assert question.qtype == "matching"
    assert [(p.answer, html_to_plain(p.text)) for p in QuestionMatchPair.objects.filter(question=question)] == [
        *[(answer, text) for text, answer in PAIRS],
        ("2000", ""),
    ]
    assert question.current_version is not None and len(question.current_version.spec["pairs"]) == 4

    quiz = Quiz.objects.create(title="法律年份测验")
    QuizSlot.objects.create(quiz=quiz, question=question, sort_order=0)
    learner = UserFactory(username="matching-learner")
    attempt = attempt_start(quiz=quiz, user=learner)
    visitor.checks = True
    page.context.clear_cookies()
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")

    # Answer with the keyboard: each select is labelled by its sub-question.
    for text, answer in [("网络安全法", "2017"), ("数据安全法", "2000"), ("个人信息保护法", "2021年11月")]:
        select = page.get_by_label(text, exact=True)
        select.focus()
        select.select_option(label=answer)
    page.locator("[data-final-submit]").click()
    page.locator("[data-submit-dialog]").wait_for()
    visitor.click("[data-confirm-submit]")

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    grade = AttemptGrade.objects.get(attempt=attempt)
    row = grade.question_grades.get()
    assert (row.score, row.correct) == (Decimal("0.6667"), None)  # two of three, of 1 mark
    assert sorted(row.response["matches"].values()) == sorted(
        match_answer_key(a) for a in ("2017", "2000", "2021年11月")
    )
    visitor.goto(f"/quiz/attempts/{attempt.pk}/review/")
    assert page.locator(".review-matches li.right").count() == 2
    assert page.locator(".review-matches li.wrong").count() == 1
