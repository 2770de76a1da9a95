"""Matching questions (issue 14 item 2), table by table against Moodle's question/type/match:

- grade = sub-questions answered right / sub-questions asked, of the mark
  (qtype_match_question::grade_response via get_num_parts_right); a wrong pick costs nothing more
  than the credit it misses; a sub-question left blank is wrong;
- a pair with no sub-question text is an extra answer offered to every sub-question, never right;
- answers with the same text are one answer (Moodle merges identical answer texts into one choice),
  so it is right for every sub-question whose answer it is;
- the edit form's rule: at least 2 sub-questions and 3 answers, and a sub-question needs an answer.
Versions stored before matching existed (no "pairs" in their data) grade and re-save as before.
"""

from decimal import Decimal

import pytest

from quizzes.formats.common import MATCHING_TOO_FEW, matching_problem
from quizzes.grading import grade, matching_right
from quizzes.responses import ResponseInvalid, clean_response
from quizzes.specs import (
    MatchPairSpec,
    QuestionSpec,
    QuestionType,
    match_answer_key,
    match_answers,
    match_subquestions,
    spec_from_data,
    spec_to_data,
)

D = Decimal
A = match_answer_key


def matching(*pairs, mark="3"):
    return QuestionSpec(
        qtype=QuestionType.MATCHING,
        stem="把法律与施行年份配对。",
        mark=D(mark),
        pairs=tuple(MatchPairSpec(f"k{index}", text, answer) for index, (text, answer) in enumerate(pairs)),
    )


LAWS = matching(("网络安全法", "2017"), ("数据安全法", "2021"), ("个人信息保护法", "2021年11月"), ("", "2000"))


@pytest.mark.parametrize(
    ("response", "score", "fraction", "correct", "right"),
    [
        # All three right: full marks.
        ({"k0": A("2017"), "k1": A("2021"), "k2": A("2021年11月")}, "3.0000", "1.0000", True, [True, True, True]),
        # Two of three: two thirds of the mark, rounded once (2.0000, not 1.9999).
        ({"k0": A("2017"), "k1": A("2021"), "k2": A("2017")}, "2.0000", "0.6667", None, [True, True, False]),
        # One of three, the others left blank (blank is wrong, not refused).
        ({"k1": A("2021")}, "1.0000", "0.3333", None, [False, True, False]),
        # The distractor is never right; a wrong pick takes nothing off the others.
        ({"k0": A("2000"), "k1": A("2021"), "k2": A("2021年11月")}, "2.0000", "0.6667", None, [False, True, True]),
        # Every sub-question given the same answer: only the one it belongs to is right.
        ({"k0": A("2021"), "k1": A("2021"), "k2": A("2021")}, "1.0000", "0.3333", None, [False, True, False]),
        # Nothing answered, or an empty response.
        ({}, "0.0000", "0.0000", False, [False, False, False]),
        # An answer key of no answer, or a key of the distractor pair as a sub-question: no credit.
        ({"k0": "nope", "k3": A("2000")}, "0.0000", "0.0000", False, [False, False, False]),
    ],
)
def test_matching_grades_as_moodle(response, score, fraction, correct, right):
    result = grade(LAWS, {"matches": response})
    assert (result.score, result.fraction, result.correct) == (D(score), D(fraction), correct)
    assert list(matching_right(LAWS, {"matches": response}).values()) == right


def test_an_answer_shared_by_two_sub_questions_is_one_answer_and_right_for_both():
    question = matching(("省级", "政府"), ("市级", "政府"), ("企业", "市场主体"), mark="2")
    assert list(match_answers(question).values()) == ["政府", "市场主体"]
    result = grade(question, {"matches": {"k0": A("政府"), "k1": A("政府"), "k2": A("政府")}})
    assert result.score == D("1.3333")  # two of three, of 2 marks


def test_missing_or_malformed_response_scores_zero():
    assert grade(LAWS, None).score == D("0.0000")
    assert grade(LAWS, {"matches": ["2017"]}).score == D("0.0000")


def test_answers_are_offered_without_the_pairing():
    # Answer keys come from the answer text alone: no sub-question key inside, the same text in two
    # questions gives the same key.
    key = A("2017")
    assert key == match_answer_key("2017") and "k0" not in key
    assert [pair.key for pair in match_subquestions(LAWS)] == ["k0", "k1", "k2"]
    assert len(match_answers(LAWS)) == 4


@pytest.mark.parametrize(
    ("pairs", "refused"),
    [
        ((("a", "1"), ("b", "2"), ("c", "3")), False),
        ((("a", "1"), ("b", "2"), ("", "3")), False),  # 2 sub-questions, 3 answers with the distractor
        ((("a", "1"), ("b", "2")), True),  # 3 answers needed
        ((("a", "1"), ("", "2"), ("", "3")), True),  # 2 sub-questions needed
        ((("a", "1"), ("b", "2"), ("", "")), True),  # a blank row is no answer
        ((("a", "1"), ("b", "1"), ("", "3")), False),  # Moodle counts pairs, not distinct texts
        ((("<p></p>", "1"), ("b", "2"), ("c", "3")), False),  # an empty paragraph is a distractor
    ],
)
def test_moodle_edit_form_rule_two_sub_questions_three_answers(pairs, refused):
    problem = matching_problem(MatchPairSpec("", text, answer) for text, answer in pairs)
    assert (problem == MATCHING_TOO_FEW) is refused
    assert refused or problem is None


def test_a_sub_question_without_answer_is_refused():
    problem = matching_problem(
        [MatchPairSpec("", "a", "1"), MatchPairSpec("", "<p>b</p>", " "), MatchPairSpec("", "c", "3")]
    )
    assert problem is not None and "'b'" in problem


def test_pairs_round_trip_through_version_data():
    data = spec_to_data(LAWS)
    assert data["pairs"][3] == {"key": "k3", "text": "", "answer": "2000"}
    assert spec_from_data(data) == LAWS


def test_versions_without_pairs_stay_equal_to_a_re_save():
    old = {
        "qtype": "single",
        "stem": "s",
        "mark": "1",
        "choices": [{"key": "a", "text": "x", "correct": True, "feedback": "", "penalty": None}],
        "accepted_answers": [],
        "case_sensitive": False,
        "scoring": "all_or_nothing",
        "general_feedback": "",
        "name": "",
        "tags": [],
    }
    assert spec_to_data(spec_from_data(old)) == old
    assert grade(spec_from_data(old), {"choice": "a"}).score == D("1.0000")


@pytest.mark.parametrize(
    ("response", "cleaned"),
    [
        ({}, {}),
        ({"matches": {}}, {}),
        ({"matches": {"k2": A("2017"), "k0": A("2000")}}, {"matches": {"k0": A("2000"), "k2": A("2017")}}),
        ({"matches": {"k0": "", "k1": None, "k2": A("2017")}}, {"matches": {"k2": A("2017")}}),  # "Choose…" again
    ],
)
def test_responses_are_cleaned(response, cleaned):
    assert clean_response(LAWS, response) == cleaned


@pytest.mark.parametrize(
    "response",
    [
        {"matches": ["k0"]},
        {"matches": {"k9": A("2017")}},
        {"matches": {"k3": A("2000")}},  # the distractor is not a sub-question
        {"matches": {"k0": "a0000000000"}},
        {"matches": {"k0": 1}},
        {"matches": {"k0": A("2017")}, "score": 3},
    ],
)
def test_responses_that_are_not_answers_are_refused(response):
    with pytest.raises(ResponseInvalid):
        clean_response(LAWS, response)
