"""Numerical and description questions (issue 14 item 2c, 2d) through the admin form, the bank,
the learner pages, a submission, the review and the trainers' pages. The grading rules:
test_numerical_grades.py; the formats: test_numerical_formats.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionAnswer
from quizzes.responses import ResponseInvalid, clean_response
from quizzes.services import attempt_start, attempt_submit, question_spec, question_version_save
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType, spec_from_data
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory, contentstate, question_form_data
from tests.quizzes.conftest import make_quiz

D = Decimal

NUMERICAL = QuestionSpec(
    qtype=QuestionType.NUMERICAL,
    stem="圆周率约为多少？",
    mark=D(2),
    answers=(
        AnswerSpec("3.14", D(1), "FEEDBACK-EXACT", D("0.01")),
        AnswerSpec("3", D("0.5"), "FEEDBACK-HALF", D(1)),
        AnswerSpec("*", D(0), "FEEDBACK-CATCH-ALL", D(0)),
    ),
    general_feedback="GENERAL-FEEDBACK",
)
DESCRIPTION = QuestionSpec(qtype=QuestionType.DESCRIPTION, stem="DESCRIPTION-TEXT 以下各题关于圆。", mark=D(0))
FILL = QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="圆的英文？", accepted_answers=("circle",))


@pytest.fixture
def trainer_client(client, db, file_roots):
    client.force_login(UserFactory(username="numerical-trainer", is_superuser=True, is_staff=True))
    return client


def form_data(category, qtype: str, answers, *, name="圆周率", mark="2") -> dict:
    rows = [
        {"text": text, "fraction": fraction, "tolerance": tolerance, "feedback": contentstate("")}
        for text, fraction, tolerance in answers
    ]
    return question_form_data(
        category, qtype, name=name, stem=contentstate("圆周率约为多少？"), mark=mark, answers=rows
    )


def test_the_admin_form_stores_numerical_answers_with_their_tolerance(trainer_client):
    category = QuestionCategoryFactory()
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    assert 'name="answers-__prefix__-tolerance"' in trainer_client.get(add_url).content.decode()

    response = trainer_client.post(
        add_url, form_data(category, "numerical", [(" 3.14 ", "1", "0.01"), ("1,000", "0.5", ""), ("*", "0", "")])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="圆周率")
    spec = spec_from_data(question.current_version.spec)
    assert [(a.text, a.fraction, a.tolerance) for a in spec.answers] == [
        ("3.14", D(1), D("0.01")),
        ("1000", D("0.5"), D(0)),
        ("*", D(0), D(0)),
    ]
    assert spec == question_spec(question)
    assert question_version_save(question=question) is None  # the same content makes no new version


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([("三点一四", "1", "")], "Give a number (such as 3.14 or -2.5e3), or * for any number."),
        ([("3,14", "1", "")], "Give a number (such as 3.14 or -2.5e3), or * for any number."),
        ([("3.14", "0.5", "")], "A numerical question needs at least one answer worth full marks (grade 1)."),
        ([], "A numerical question needs at least one answer worth full marks (grade 1)."),
        ([("3.14", "1", "-1")], "Ensure this value is greater than or equal to 0."),
    ],
)
def test_the_admin_form_refuses_what_moodle_refuses(trainer_client, answers, message):
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    response = trainer_client.post(add_url, form_data(QuestionCategoryFactory(), "numerical", answers))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_description_saved_in_the_admin_is_worth_nothing(trainer_client):
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    response = trainer_client.post(add_url, form_data(QuestionCategoryFactory(), "description", [], name="说明"))

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="说明")
    assert question.mark == 0
    assert question.current_version.spec["mark"] == "0"
    assert spec_from_data(question.current_version.spec).mark == 0


def test_other_types_still_need_a_positive_mark(trainer_client):
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    response = trainer_client.post(
        add_url, form_data(QuestionCategoryFactory(), "numerical", [("1", "1", "")], mark="0")
    )
    assert response.status_code == 200 and not Question.objects.exists()
    assert "Ensure this value is greater than or equal to 0.01." in response.content.decode()


def test_a_short_answer_keeps_its_version_when_tolerance_exists(db):
    quiz = make_quiz(specs=[QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="年份？", answers=(AnswerSpec("2021"),))])
    question = quiz.slots.get().question
    QuestionAnswer.objects.filter(question=question).update(tolerance=D(5))  # ignored for short answers
    assert "tolerance" not in question.current_version.spec["answers"][0]
    assert question_version_save(question=question) is None


def test_learner_pages_show_no_answers_and_the_description_is_not_a_question(client, db):
    quiz = make_quiz(specs=[DESCRIPTION, NUMERICAL, FILL])
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)
    assert attempt.max_score == D(3)  # 0 + 2 + 1

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    for secret in ("3.14", "FEEDBACK-", "GENERAL-FEEDBACK", "0.01", "circle"):
        assert secret not in page, secret
    assert "DESCRIPTION-TEXT" in page
    assert 'data-answered="" data-descriptions="1"' in page
    assert 'inputmode="decimal"' in page
    assert page.count("<fieldset") == 2  # the description is a section, not a question to answer

    with pytest.raises(ResponseInvalid):
        clean_response(DESCRIPTION, {"text": "x"})
    assert clean_response(DESCRIPTION, {}) == {}


def test_one_per_screen_navigator_counts_the_description_as_nothing_to_answer(client, db):
    quiz = make_quiz(specs=[DESCRIPTION, NUMERICAL], layout="one_per_page")
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk]) + "?page=2").content.decode()
    assert "Item 1, text only" in page and "Question 2, not answered" in page
    assert "Question 1, not answered" not in page


@pytest.mark.parametrize(
    ("typed", "score", "shown", "hidden"),
    [
        ("3.141", "2.0000", ["FEEDBACK-EXACT", "Correct"], ["FEEDBACK-HALF", "is not a number"]),
        ("２．５", "1.0000", ["FEEDBACK-HALF", "Partly correct"], ["FEEDBACK-EXACT", "is not a number"]),
        ("100", "0.0000", ["FEEDBACK-CATCH-ALL"], ["FEEDBACK-HALF", "is not a number"]),
        ("3,14", "0.0000", ["“3,14” is not a number, so it scored 0."], ["FEEDBACK-"]),
    ],
)
def test_submission_grades_and_the_review_explains(client, db, typed, score, shown, hidden):
    quiz = make_quiz(specs=[DESCRIPTION, NUMERICAL])
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)

    response = client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"q2": typed, "action": "submit", "answers_version": "0"}
    )
    assert response.status_code == 302
    graded = attempt.grades.get()
    assert (graded.score, graded.max_score) == (D(score), D(2))
    assert graded.question_grades.get(attempt_question__position=2).response == {"text": typed}

    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    for text in shown:
        assert text in review, text
    for text in hidden:
        assert text not in review, text
    assert "DESCRIPTION-TEXT" in review and "3.14 ± 0.01" in review


def test_trainers_pages_with_numerical_and_description(db):
    from quizzes.admin_views import _answer_summary
    from quizzes.selectors import attempt_for_admin, quiz_item_analysis_report

    quiz = make_quiz(specs=[DESCRIPTION, NUMERICAL])
    attempts = []
    for typed in ("3.14", "3.14", "2"):
        learner = UserFactory()
        attempt = attempt_start(quiz=quiz, user=learner)
        attempt_submit(attempt_id=attempt.pk, user=learner, answers={2: {"text": typed}})
        attempts.append(attempt)

    report = quiz_item_analysis_report(quiz=quiz)
    assert [q.qtype for q in report.questions] == ["numerical"]  # a description has no statistics
    counts = {(c.label, c.count, c.correct) for c in report.questions[0].choices}
    assert counts == {("3.14", 2, True), ("2", 1, False)}

    _grade, answers, _history = attempt_for_admin(attempt=attempts[2])
    assert [a.qtype for a in answers] == ["description", "numerical"]
    assert answers[1].right_answer == ["3.14 ± 0.01"] and answers[1].score == D("1.0000")

    assert _answer_summary(NUMERICAL) == "3.14 ± 0.01 (100%) | 3 ± 1 (50%) | * (0%)"


def test_an_import_stores_numerical_and_description_questions_as_the_file_says(db):
    from quizzes.formats import parse_gift
    from quizzes.services import questions_import, questions_import_check

    result = parse_gift(
        "::周期::三级系统每隔几年测评一次？{#=%100%1:0.5#对 =%50%2#接近}\n\n"
        "::说明::以下各题关于等级保护。\n\n"
        "::太细::误差？{#1:0.00000000001}\n"
    )
    category = QuestionCategoryFactory()
    prepared = questions_import_check(result=result, default_category=category, use_file_categories=False)
    # The tolerance column holds 10 decimal places: the dry run says so, so the confirmation cannot fail.
    assert [question.refused for question in prepared] == [False, False, True]
    assert any("tolerance" in problem.message for problem in prepared[2].problems)

    questions_import(result=result, default_category=category, user=None)

    numerical = Question.objects.get(name="周期")
    spec = spec_from_data(numerical.current_version.spec)
    assert [(a.text, a.fraction, a.tolerance) for a in spec.answers] == [("1", D(1), D("0.5")), ("2", D("0.5"), D(0))]
    assert spec == question_spec(numerical)
    description = Question.objects.get(name="说明")
    assert (description.qtype, description.mark, description.current_version.spec["mark"]) == ("description", 0, "0")
    assert not Question.objects.filter(name="太细").exists()
