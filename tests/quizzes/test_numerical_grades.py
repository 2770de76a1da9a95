"""Numerical and description questions (issue 14 item 2c, 2d), table by table against Moodle's
documented scoring (question/type/numerical):

- an answer matches a number inside [answer - tolerance, answer + tolerance], edges included
  (qtype_numerical_answer::within_tolerance, "nominal" tolerance);
- the answers are tried in order and the first that matches wins, whatever its grade
  (qtype_numerical_question::get_matching_answer);
- `*` matches any number, never a non-number;
- the matched answer's grade is the fraction of the mark, its feedback the feedback shown;
- a response that is not a number matches nothing and scores 0.
A description is worth nothing and grades to 0 whatever is sent.
"""

from decimal import Decimal

import pytest

from quizzes.grading import grade, numerical_match, parse_number
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType, spec_from_data, spec_to_data

D = Decimal


def numerical(*answers, mark="2"):
    """answers: (number or "*", fraction, tolerance or None)."""
    return QuestionSpec(
        qtype=QuestionType.NUMERICAL,
        stem="圆周率约为多少？",
        mark=D(mark),
        answers=tuple(
            AnswerSpec(text, D(fraction), f"fb:{text}", None if tolerance is None else D(tolerance))
            for text, fraction, tolerance in answers
        ),
    )


PI = (("3.14", "1", "0.01"),)
PI_AND_THREE = (("3.14", "1", "0.01"), ("3", "0.5", "1"))


@pytest.mark.parametrize(
    ("answers", "typed", "score", "correct", "feedback"),
    [
        # Inside, and both edges of, the tolerance interval (edges count, exactly: no float error).
        (PI, "3.14", "2.0000", True, ("fb:3.14",)),
        (PI, "3.13", "2.0000", True, ("fb:3.14",)),
        (PI, "3.15", "2.0000", True, ("fb:3.14",)),
        (PI, "3.1500000001", "0.0000", False, ()),
        (PI, "3.1299999999", "0.0000", False, ()),
        # No tolerance: exact, whatever the notation.
        ((("42", "1", None),), "42", "2.0000", True, ("fb:42",)),
        ((("42", "1", None),), "42.000", "2.0000", True, ("fb:42",)),
        ((("42", "1", None),), "4.2e1", "2.0000", True, ("fb:42",)),
        ((("42", "1", None),), "42.0001", "0.0000", False, ()),
        ((("42", "1", "0"),), "41.9", "0.0000", False, ()),
        # Partial grades: a second answer with a wider interval.
        (PI_AND_THREE, "3.14", "2.0000", True, ("fb:3.14",)),
        (PI_AND_THREE, "2", "1.0000", None, ("fb:3",)),
        (PI_AND_THREE, "4", "1.0000", None, ("fb:3",)),
        (PI_AND_THREE, "4.01", "0.0000", False, ()),
        # First match wins, even when a later answer is worth more.
        ((("3", "0.5", "1"), ("3.14", "1", "0.01")), "3.14", "1.0000", None, ("fb:3",)),
        # A third (Moodle stores 0.3333333) of 2 marks, rounded once.
        ((("10", "1", None), ("11", "0.3333333", None)), "11", "0.6667", None, ("fb:11",)),
        # `*` catches every other number (and gives its feedback), but not a non-number.
        ((("3.14", "1", "0.01"), ("*", "0", None)), "100", "0.0000", False, ("fb:*",)),
        ((("3.14", "1", "0.01"), ("*", "0.1", None)), "-7e3", "0.2000", None, ("fb:*",)),
        ((("3.14", "1", "0.01"), ("*", "0", None)), "abc", "0.0000", False, ()),
        # Negative numbers and negative answers.
        ((("-273.15", "1", "0.5"),), "-273", "2.0000", True, ("fb:-273.15",)),
        ((("-273.15", "1", "0.5"),), "273", "0.0000", False, ()),
        # Lenient forms: full-width digits and point, a minus sign, spaces around, thousands.
        (PI, "３．１４", "2.0000", True, ("fb:3.14",)),
        ((("1000", "1", None),), " 1,000 ", "2.0000", True, ("fb:1000",)),
        ((("-2", "1", None),), "\u22122", "2.0000", True, ("fb:-2",)),
        ((("-2", "1", None),), "－2", "2.0000", True, ("fb:-2",)),
        # Not numbers: no match, 0.
        (PI, "3,14", "0.0000", False, ()),
        (PI, "3.14 m", "0.0000", False, ()),
        (PI, "π", "0.0000", False, ()),
        (PI, "", "0.0000", False, ()),
        # A grade above 1 or below 0 (never stored; a hand-edited version) stays within the mark.
        ((("1", "1.5", None),), "1", "2.0000", True, ("fb:1",)),
    ],
)
def test_numerical_grades_as_moodle(answers, typed, score, correct, feedback):
    result = grade(numerical(*answers), {"text": typed})
    assert (result.score, result.correct, result.choice_feedback) == (D(score), correct, feedback)


def test_a_missing_or_empty_response_scores_zero():
    assert grade(numerical(*PI), None).score == 0
    assert grade(numerical(*PI), {}).score == 0


def test_a_stored_answer_that_is_not_a_number_is_skipped_not_a_crash():
    spec = numerical(("x", "1", None), ("5", "1", None))
    assert numerical_match(spec, "5").text == "5"
    assert grade(spec, {"text": "x"}).score == 0


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3.14", "3.14"),
        ("  3.14\u3000", "3.14"),
        ("+3", "3"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1e3", "1000"),
        ("1.5E-3", "0.0015"),
        ("12,345.6", "12345.6"),
        ("１２３", "123"),
        ("3,14", None),  # a decimal comma or a thousands separator? refused, not guessed
        ("1,00", None),
        ("3.1.4", None),
        ("1/2", None),
        ("1 000", None),
        ("e5", None),
        (".", None),
        ("-", None),
        ("inf", None),
        ("NaN", None),
        ("1e99999", None),  # exponent beyond four digits: not a number anyone types
        ("", None),
    ],
)
def test_parse_number(typed, value):
    parsed = parse_number(typed)
    assert (None if parsed is None else parsed) == (None if value is None else D(value))


def test_description_is_worth_nothing_whatever_is_sent():
    spec = QuestionSpec(qtype=QuestionType.DESCRIPTION, stem="以下三题关于数据安全法。", mark=D(0))
    result = grade(spec, {"text": "1"})
    assert (result.score, result.fraction) == (D("0.0000"), D("0.0000"))


def test_numerical_spec_round_trips_and_short_answers_stay_as_stored():
    spec = numerical(*PI_AND_THREE, ("*", "0", None))
    assert spec_from_data(spec_to_data(spec)) == spec
    assert spec_to_data(spec)["answers"][0]["tolerance"] == "0.01"
    # A short answer (no tolerance) stores no "tolerance" key: versions saved before issue 14 equal a re-save.
    short = QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="x", answers=(AnswerSpec("a", D(1)),))
    assert "tolerance" not in spec_to_data(short)["answers"][0]
    old = {
        "qtype": "fillblank",
        "stem": "x",
        "mark": "1",
        "choices": [],
        "accepted_answers": [],
        "answers": [{"text": "a*", "fraction": "0.5", "feedback": ""}],
    }
    assert spec_to_data(spec_from_data(old))["answers"] == old["answers"]
    assert grade(spec_from_data(old), {"text": "ab"}).score == D("0.5000")
