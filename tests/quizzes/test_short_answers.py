"""Short answers with graded accepted answers (QuestionAnswer, issue 14 item 2b) through the admin,
the bank, the learner page, a submission and the review. The rules: test_short_answer_grades.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Question
from quizzes.services import attempt_start, attempt_submit, question_spec
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType, spec_from_data
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory, contentstate, question_form_data
from tests.quizzes.conftest import make_quiz

D = Decimal

SPEC = QuestionSpec(
    qtype=QuestionType.FILL_BLANK,
    stem="个人信息保护法于哪一年施行？",
    mark=D(2),
    answers=(
        AnswerSpec("2021", D(1), "FEEDBACK-EXACT"),
        AnswerSpec("2021年*", D("0.5"), "FEEDBACK-HALF"),
        AnswerSpec("*", D(0), "FEEDBACK-CATCH-ALL"),
    ),
)


@pytest.fixture
def trainer_client(client, db, file_roots):
    client.force_login(UserFactory(username="answers-trainer", is_superuser=True, is_staff=True))
    return client


def test_the_admin_form_stores_graded_answers_in_order(trainer_client):
    category = QuestionCategoryFactory()
    answers = [
        {"text": text, "fraction": fraction, "feedback": contentstate(feedback)}
        for text, fraction, feedback in [("2021", "1", "对"), ("20*", "0.5", "接近了")]
    ]
    data = question_form_data(
        category, "fillblank", name="施行年份", stem=contentstate("哪一年施行？"), mark="2", answers=answers
    )
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    assert 'name="answers-__prefix__-fraction"' in trainer_client.get(add_url).content.decode()

    response = trainer_client.post(add_url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="施行年份")
    spec = spec_from_data(question.current_version.spec)
    assert [(a.text, a.fraction) for a in spec.answers] == [("2021", D(1)), ("20*", D("0.5"))]
    assert "接近了" in spec.answers[1].feedback
    assert spec == question_spec(question)
    # A grade above full marks is refused by the form.
    data["name"] = "超出范围"
    data["answers-1-fraction"] = "1.5"
    refused = trainer_client.post(add_url, data)
    assert refused.status_code == 200 and not Question.objects.filter(name="超出范围").exists()


def test_a_question_without_graded_answers_keeps_its_version(db):
    # Re-saving a question stored before issue 14 makes no new version: its data has no "answers".
    quiz = make_quiz(specs=[QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="年份？", accepted_answers=("2021",))])
    question = quiz.slots.get().question
    assert "answers" not in question.current_version.spec
    assert spec_from_data(question.current_version.spec) == question_spec(question)


def test_learner_page_shows_no_answers_and_the_review_shows_the_matched_feedback(client, db):
    quiz = make_quiz(specs=[SPEC])
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    for secret in ("2021", "FEEDBACK-", "0.5"):
        assert secret not in page, secret

    attempt_submit(attempt_id=attempt.pk, user=learner, answers={1: {"text": "2021年1月"}})
    graded = attempt.grades.get()
    assert graded.score == D("1.0000") and graded.percent == D("50.00")

    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "FEEDBACK-HALF" in review
    assert "FEEDBACK-EXACT" not in review and "FEEDBACK-CATCH-ALL" not in review
    assert "Partly correct" in review


def test_trainers_pages_count_full_marks_graded_answers_as_right(db):
    from quizzes.admin_views import _answer_summary
    from quizzes.selectors import attempt_for_admin, quiz_item_analysis_report

    quiz = make_quiz(specs=[SPEC])
    attempts = []
    for typed in ("2021", "2022", "2021"):
        learner = UserFactory()
        attempt = attempt_start(quiz=quiz, user=learner)
        attempt_submit(attempt_id=attempt.pk, user=learner, answers={1: {"text": typed}})
        attempts.append(attempt)

    report = quiz_item_analysis_report(quiz=quiz)
    counts = {(c.label, c.count, c.correct) for c in report.questions[0].choices}
    assert counts == {("2021", 2, True), ("2022", 1, False)}

    _grade, answers, _history = attempt_for_admin(attempt=attempts[1])
    assert answers[0].right_answer == ["2021"] and answers[0].score == D("0.0000")

    assert _answer_summary(SPEC) == "2021 (100%) | 2021年* (50%) | * (0%)"
