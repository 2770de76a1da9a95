"""Item analysis of a quiz in the admin, from grades stored by the services, checked against the
worked example of tests/quizzes/test_analysis.py."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.selectors import quiz_item_analysis
from quizzes.services import (
    answers_save,
    attempt_grade_override,
    attempt_start,
    attempt_submit,
    question_version_save,
)
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring
from tests.factories import UserFactory
from tests.factories.quizzes import fill_blank, make_question, make_quiz_of, single_choice, user_with_permissions

pytestmark = pytest.mark.django_db

# Five attempts of three questions (the example of test_analysis.py), answered through the services:
#
#   attempt   Q1 single (1)   Q2 multiple, partial (2)   Q3 fill in (1)   total   percent
#   1         甲 ✓  1          A B      2                 公众      1      4       100
#   2         甲 ✓  1          A        1                 群众      0      2        50
#   3         甲 ✓  1          A B      2                 " 公众 "  1      4       100
#   4         乙    0          C        0 (penalty, ≥ 0)  公众      1      1        25
#   5         丙    0          B        1                 ＡＢＣ    0      1        25
#
# Quiz: mean score 2.4, mean 60 %, median 50 %, SD 37.91 %. Every facility index is 0.6;
# discrimination Q1 0.6667, Q2 0.6429, Q3 0.2100. Q1's text is corrected after attempt 3, so
# attempts 4 and 5 answer its version 2: both versions count as one question.
ANSWERS = [
    ("甲", ["A", "B"], "公众"),
    ("甲", ["A"], "群众"),
    ("甲", ["A", "B"], " 公众 "),
    ("乙", ["C"], "公众"),
    ("丙", ["B"], "ＡＢＣ"),
]


def multiple_choice():
    return QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="哪些是安全的口令习惯？",
        mark=Decimal("2"),
        scoring=Scoring.PARTIAL,
        choices=(ChoiceSpec("a", "A", True), ChoiceSpec("b", "B", True), ChoiceSpec("c", "C", False)),
    )


def keys(question, *texts):
    by_text = {c["text"]: c["key"] for c in question.current_version.spec["choices"]}
    return [by_text[text] for text in texts]


def take(quiz, questions, answers):
    q1, q2, _q3 = questions
    learner = UserFactory()
    single, chosen, typed = answers
    attempt = attempt_start(quiz=quiz, user=learner)
    answers_save(
        attempt_id=attempt.pk,
        user=learner,
        answers={"1": {"choice": keys(q1, single)[0]}, "2": {"choices": keys(q2, *chosen)}, "3": {"text": typed}},
    )
    attempt_submit(attempt_id=attempt.pk, user=learner)
    return attempt


def build(answer_rows=ANSWERS):
    questions = [
        make_question(single_choice("电子政务中 G2C 指的是？", ("甲", "乙", "丙"))),
        make_question(multiple_choice()),
        make_question(fill_blank("“一站式”服务窗口面向企业和____。", "公众")),
    ]
    quiz = make_quiz_of(questions, title="信息安全测验")
    attempts = []
    for number, answers in enumerate(answer_rows, start=1):
        if number == 4:
            questions[0].stem = "电子政务中 G2C 指的是什么？"
            questions[0].save()
            question_version_save(question=questions[0])
            questions[0].refresh_from_db()
        attempts.append(take(quiz, questions, answers))
    return quiz, questions, attempts


@pytest.fixture
def example():
    return build()


def test_the_selector_matches_the_hand_computed_example(example, django_assert_num_queries):
    quiz, questions, _attempts = example
    with django_assert_num_queries(3):
        stats = quiz_item_analysis(quiz=quiz)
    assert stats.attempts == 5
    assert stats.mean_score == pytest.approx(2.4)
    assert (stats.mean_percent, stats.median_percent) == (pytest.approx(60), pytest.approx(50))
    assert stats.sd_percent == pytest.approx(37.9144, abs=1e-4)
    assert [q.question_id for q in stats.questions] == [q.pk for q in questions]
    assert [q.attempts for q in stats.questions] == [5, 5, 5]  # Q1's two versions aggregate
    assert [q.mean_fraction for q in stats.questions] == [pytest.approx(0.6)] * 3
    assert [q.discrimination_index for q in stats.questions] == [
        pytest.approx(0.6667, abs=1e-4),
        pytest.approx(0.6429, abs=1e-4),
        pytest.approx(0.2100, abs=1e-4),
    ]
    q1, q2, _q3 = questions
    by_key = dict(zip(keys(q1, "甲", "乙", "丙"), "甲乙丙", strict=True))
    assert {by_key[k]: n for k, n in stats.questions[0].choice_counts.items()} == {"甲": 3, "乙": 1, "丙": 1}
    by_key = dict(zip(keys(q2, "A", "B", "C"), "ABC", strict=True))
    assert {by_key[k]: n for k, n in stats.questions[1].choice_counts.items()} == {"A": 3, "B": 3, "C": 1}
    assert stats.questions[2].choice_counts == {"公众": 3, "群众": 1, "abc": 1}  # normalised text


def test_only_each_attempts_current_grade_counts(example):
    quiz, _questions, attempts = example
    # Attempt 5's first question is overridden to full marks: a second grade row for that attempt.
    attempt_grade_override(attempt=attempts[4], position=1, score=Decimal("1"), reason="申诉", user=None)
    stats = quiz_item_analysis(quiz=quiz)
    assert stats.attempts == 5 and stats.questions[0].attempts == 5
    assert stats.questions[0].mean_fraction == pytest.approx(0.8)
    assert stats.mean_score == pytest.approx(2.6)


def test_the_selector_costs_the_same_queries_at_two_sizes(django_assert_num_queries):
    small, _q, _a = build(ANSWERS[:2])
    large, _q, _a = build(ANSWERS * 3)
    for quiz in (small, large):
        with django_assert_num_queries(3):
            quiz_item_analysis(quiz=quiz)


def page_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_page_shows_the_figures_in_a_table_and_a_chart(client, example):
    quiz, _questions, _attempts = example
    client.force_login(user_with_permissions("add_question"))
    response = client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "信息安全测验" in text
    assert "Graded attempts Mean score Mean percent Median percent Standard deviation 5 2.40 60.0% 50.0% 37.9%" in text
    assert "电子政务中 G2C 指的是什么？" in text  # the newest version's text
    rows = re.findall(r"(\d) [^%]*? 5 (\d+\.\d)% (\d+\.\d)% (-?\d\.\d\d)", text)
    assert rows == [("1", "60.0", "54.8", "0.67"), ("2", "60.0", "41.8", "0.64"), ("3", "60.0", "54.8", "0.21")]
    assert "甲: 3 (60%)" in text and "乙: 1 (20%)" in text and "C: 1 (20%)" in text
    assert "公众: 3 (60%)" in text and "abc: 1 (20%)" in text
    html = response.content.decode()
    assert '<svg role="img" aria-labelledby="facility-chart-title"' in html
    assert html.count('width="240.0"') == 3  # 60 % of the 400-unit bar
    assert "Regrade" not in text  # needs quizzes.change_quiz


def test_trainers_who_may_correct_grades_get_a_regrade_button_per_question(client, example):
    quiz, questions, _attempts = example
    client.force_login(user_with_permissions("add_question", "change_quiz"))
    html = client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk])).content.decode()
    for question in questions:
        assert reverse("quizzes_admin:regrade", args=[question.pk]) in html


def test_a_quiz_without_graded_attempts_says_so(client):
    quiz = make_quiz_of([make_question(single_choice("未作答的题"))])
    attempt_start(quiz=quiz, user=UserFactory())  # open, not graded
    client.force_login(user_with_permissions("add_question"))
    response = client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk]))
    assert response.status_code == 200 and "No attempt of this quiz has been graded yet." in page_text(response)
    assert client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk + 1000])).status_code == 404


def test_the_page_costs_the_same_queries_at_two_sizes(client, django_assert_max_num_queries):
    client.force_login(user_with_permissions("add_question"))
    small, _q, _a = build(ANSWERS[:2])
    large, _q, _a = build(ANSWERS * 3)
    client.get(reverse("quizzes_admin:item_analysis", args=[small.pk]))  # warm the admin's per-process caches
    for quiz in (small, large):
        with django_assert_max_num_queries(11):
            assert client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk])).status_code == 200
