"""Per-choice grades (ChoiceSpec.fraction), table by table against Moodle's scoring.

Moodle (question/type/multichoice): a single-answer question scores the grade of the chosen answer;
several answers may be worth 100%. A multiple-answer question scores the sum of the grades of the
chosen answers, "If the total grade is negative then the total grade for this question will be
zero" (Moodle's multichoice help), and never more than 100% (grade_response caps at 1.0). Moodle
refuses to save a multiple-answer question whose positive grades do not add up to 100%.
Intentional difference (README): a negative grade on a single-choice option scores 0 here, not a
negative mark.
"""

from decimal import Decimal

import pytest

from quizzes.formats.common import QuestionProblem, check_spec, weights_for
from quizzes.grading import choice_fraction, grade
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring, spec_from_data, spec_to_data

D = Decimal


def single(*fractions, mark="2"):
    return QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="政务外网的简称是？",
        mark=D(mark),
        choices=tuple(
            ChoiceSpec(f"k{i}", f"option {i}", correct=D(f) == 1, fraction=D(f), feedback=f"fb{i}")
            for i, f in enumerate(fractions)
        ),
    )


def multiple(*fractions, mark="2"):
    return QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="哪些属于个人信息？",
        mark=D(mark),
        scoring=Scoring.PARTIAL,
        choices=tuple(
            ChoiceSpec(f"k{i}", f"option {i}", correct=D(f) > 0, fraction=D(f)) for i, f in enumerate(fractions)
        ),
    )


@pytest.mark.parametrize(
    ("fractions", "chosen", "score", "fraction", "correct"),
    [
        pytest.param(("1", "1", "0"), "k0", "2.0000", "1.0000", True, id="first of two fully correct"),
        pytest.param(("1", "1", "0"), "k1", "2.0000", "1.0000", True, id="second of two fully correct"),
        pytest.param(("1", "1", "0"), "k2", "0.0000", "0.0000", False, id="the wrong one"),
        pytest.param(("1", "0.5", "0"), "k1", "1.0000", "0.5000", None, id="a 50% option"),
        pytest.param(("1", "0.3333333", "0"), "k1", "0.6667", "0.3333", None, id="a third, Moodle's 7 places"),
        pytest.param(("1", "-0.5", "0"), "k1", "0.0000", "0.0000", False, id="a negative grade floors at 0"),
    ],
)
def test_single_choice_scores_the_chosen_options_grade(fractions, chosen, score, fraction, correct):
    result = grade(single(*fractions), {"choice": chosen})

    assert (result.score, result.fraction, result.correct) == (D(score), D(fraction), correct)
    assert result.choice_feedback == (f"fb{chosen[1:]}",)


@pytest.mark.parametrize(
    ("fractions", "chosen", "fraction"),
    [
        # Moodle's own example shapes: 50/50 with a -100 distractor, 70/30, thirds, and -50 penalties.
        pytest.param(("0.5", "0.5", "-1"), ["k0", "k1"], "1", id="both halves"),
        pytest.param(("0.5", "0.5", "-1"), ["k0"], "0.5", id="one half"),
        pytest.param(("0.5", "0.5", "-1"), ["k0", "k2"], "0", id="half minus all is floored at 0"),
        pytest.param(("0.5", "0.5", "-1"), ["k0", "k1", "k2"], "0", id="everything chosen"),
        pytest.param(("0.7", "0.3", "-0.5"), ["k0"], "0.7", id="the 70% option"),
        pytest.param(("0.7", "0.3", "-0.5"), ["k1"], "0.3", id="the 30% option"),
        pytest.param(("0.7", "0.3", "-0.5"), ["k0", "k2"], "0.2", id="70 minus 50"),
        pytest.param(("0.7", "0.3", "-0.5"), ["k0", "k1", "k2"], "0.5", id="all three"),
        pytest.param(("0.3333333", "0.3333333", "0.3333333", "0"), ["k0", "k1", "k2"], "1", id="three thirds"),
        pytest.param(("0.7", "0.3", "0"), ["k2"], "0", id="a 0% option adds nothing"),
        pytest.param(("0.7", "0.3", "0"), [], "0", id="nothing chosen"),
        # A bank edited by hand may hold 200%: capped at full marks, as Moodle's grade_response.
        pytest.param(("1", "1", "-1"), ["k0", "k1"], "1", id="capped at 1"),
    ],
)
def test_multiple_response_sums_the_chosen_grades_floored_at_0_and_capped_at_1(fractions, chosen, fraction):
    result = grade(multiple(*fractions), {"choices": chosen})

    assert result.fraction == D(fraction).quantize(D("0.0001"))
    assert result.score == (D(fraction) * 2).quantize(D("0.0001"))


def test_a_third_of_three_thirds_rounds_to_full_marks_for_a_three_mark_question():
    result = grade(multiple("0.3333333", "0.3333333", "0.3333333", "-1", mark="3"), {"choices": ["k0", "k1", "k2"]})

    assert result.score == D("3.0000") and result.correct is True


def test_without_fractions_choices_are_graded_as_before():
    legacy = QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="?",
        scoring=Scoring.PARTIAL,
        choices=(
            ChoiceSpec("a", "A", correct=True),
            ChoiceSpec("b", "B", correct=True),
            ChoiceSpec("c", "C"),
            ChoiceSpec("d", "D", penalty=D("0.25")),
        ),
    )

    assert [choice_fraction(legacy, c) for c in legacy.choices] == [0.5, 0.5, -0.5, -0.25]
    assert grade(legacy, {"choices": ["a", "d"]}).fraction == D("0.2500")
    assert weights_for(legacy) == [D(50), D(50), D(-50), D(-25)]


def test_all_or_nothing_multiple_ignores_grades_and_needs_the_correct_set():
    question = QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="?",
        scoring=Scoring.ALL_OR_NOTHING,
        choices=(
            ChoiceSpec("a", "A", correct=True, fraction=D("0.7")),
            ChoiceSpec("b", "B", correct=True, fraction=D("0.3")),
            ChoiceSpec("c", "C", fraction=D(-1)),
        ),
    )

    assert grade(question, {"choices": ["a"]}).fraction == 0
    assert grade(question, {"choices": ["a", "b"]}).fraction == 1


def test_the_grade_is_kept_in_the_stored_version_and_absent_when_not_set():
    question = multiple("0.7", "0.3", "-0.5")
    data = spec_to_data(question)

    assert [c["fraction"] for c in data["choices"]] == ["0.7", "0.3", "-0.5"]
    assert spec_from_data(data) == question
    plain = spec_to_data(QuestionSpec(qtype=QuestionType.SINGLE, stem="?", choices=(ChoiceSpec("a", "A"),)))
    assert "fraction" not in plain["choices"][0]  # versions stored before the field stay equal


def test_exported_weights_are_the_grades_in_percent():
    assert weights_for(multiple("0.7", "0.3", "-0.5")) == [D(70), D(30), D(-50)]
    assert weights_for(single("1", "0.3333333", "0")) == [D(100), D("33.33333"), D(0)]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        pytest.param(single("0.5", "0"), "at least one option worth full marks", id="single without 100%"),
        pytest.param(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="?",
                choices=(ChoiceSpec("a", "A", correct=True, fraction=D("0.5")), ChoiceSpec("b", "B")),
            ),
            "at least one option worth full marks",
            id="ticked correct but worth 50%",
        ),
    ],
)
def test_a_single_choice_question_nobody_can_get_full_marks_on_is_refused(question, message):
    with pytest.raises(QuestionProblem) as problem:
        check_spec(question)

    assert message in str(problem.value.message)


def test_a_single_choice_question_with_two_fully_correct_options_passes_the_checks():
    check_spec(single("1", "1", "0"))
