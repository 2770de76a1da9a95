"""quizzes.grading: pure functions, tested table by table without a database."""

from decimal import Decimal

import pytest

from quizzes.grading import (
    GRADING_METHODS,
    attempt_grade,
    combine_attempt_grades,
    grade,
    normalize_answer,
    total_score,
)
from quizzes.specs import ChoiceSpec, GradeResult, QuestionSpec, QuestionType, Scoring

D = Decimal


def case(*values, id):
    return pytest.param(*values, id=id)


def single_question(mark="1"):
    return QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="Which protocol does HTTPS add to HTTP?",
        mark=D(mark),
        choices=(
            ChoiceSpec("a", "FTP", feedback="FTP transfers files."),
            ChoiceSpec("b", "TLS", correct=True, feedback="Right: TLS encrypts the connection."),
            ChoiceSpec("c", "SMTP"),
        ),
    )


def true_false_question(answer=True):
    return QuestionSpec(
        qtype=QuestionType.TRUE_FALSE,
        stem="A password may be shared with a colleague's supervisor.",
        choices=(
            ChoiceSpec("true", "True", correct=answer, feedback="Said true."),
            ChoiceSpec("false", "False", correct=not answer, feedback="Said false."),
        ),
    )


def multiple_question(scoring=Scoring.PARTIAL, mark="1", penalties=(None, None)):
    """a and b are correct, c and d are wrong (with the given penalties)."""
    return QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="Which are personal data?",
        mark=D(mark),
        scoring=scoring,
        choices=(
            ChoiceSpec("a", "ID number", correct=True, feedback="fb-a"),
            ChoiceSpec("b", "Home address", correct=True, feedback="fb-b"),
            ChoiceSpec("c", "Office hours", penalty=penalties[0], feedback="fb-c"),
            ChoiceSpec("d", "Weather", penalty=penalties[1]),
        ),
    )


def multiple_question_with_correct(count, total, mark="1", penalty=None):
    """count correct choices k0..k{count-1} among total; the rest wrong with the given penalty."""
    return QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="Pick all that apply.",
        mark=D(mark),
        scoring=Scoring.PARTIAL,
        choices=tuple(ChoiceSpec(f"k{i}", f"item {i}", correct=i < count, penalty=penalty) for i in range(total)),
    )


def fill_blank_question(*accepted, case_sensitive=False):
    return QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="The Internet's protocol suite is called ____.",
        accepted_answers=accepted or ("TCP/IP",),
        case_sensitive=case_sensitive,
    )


def ordering_question(scoring=Scoring.PARTIAL, keys="abcd"):
    return QuestionSpec(
        qtype=QuestionType.ORDERING,
        stem="Order the steps of a records request.",
        scoring=scoring,
        choices=tuple(ChoiceSpec(key, f"step {key}") for key in keys),
    )


# --- normalize_answer ---


@pytest.mark.parametrize(
    ("text", "case_sensitive", "expected"),
    [
        case("ＡＢＣ１２３", True, "ABC123", id="full-width letters and digits become half-width"),
        case("ＴＣＰ／ＩＰ", True, "TCP/IP", id="full-width slash becomes a slash"),
        case("（ａ）", True, "(a)", id="full-width brackets become ASCII brackets"),
        case("ｘ，ｙ", True, "x,y", id="full-width comma becomes a comma"),
        case("　", True, "", id="a lone ideographic space is blank"),
        case("北京　市", True, "北京 市", id="ideographic space becomes a space"),
        case("你好。", True, "你好。", id="ideographic full stop without a compatibility form is kept"),
        case("  TCP/IP \n", True, "TCP/IP", id="surrounding whitespace is stripped"),
        case("TCP \t\n  IP", True, "TCP IP", id="internal whitespace runs collapse to one space"),
        case("TCP　　 IP", True, "TCP IP", id="mixed ideographic and ascii spaces collapse"),
        case("", True, "", id="empty stays empty"),
        case("Hello World", True, "Hello World", id="case is kept when case sensitive"),
        case("Hello World", False, "hello world", id="case is folded when case insensitive"),
        case("ＨＥＬＬＯ", False, "hello", id="full-width capitals fold to ascii lower case"),
        case("Straße", False, "strasse", id="casefold is stronger than lower"),
        case("ﬁle", True, "file", id="ligatures are expanded"),
        case("①", True, "1", id="circled digits become digits"),
    ],
)
def test_normalize_answer_maps_input_to_its_canonical_form(text, case_sensitive, expected):
    assert normalize_answer(text, case_sensitive=case_sensitive) == expected


def test_normalize_answer_is_case_insensitive_by_default():
    assert normalize_answer("TCP/IP") == "tcp/ip"


@pytest.mark.parametrize(
    "text",
    [
        case("ＴＣＰ／ＩＰ　", id="full width"),
        case("  Straße  ", id="casefold"),
        case("a \t b", id="whitespace"),
    ],
)
def test_normalize_answer_is_idempotent(text):
    once = normalize_answer(text)
    assert normalize_answer(once) == once


# --- single choice and true/false ---


@pytest.mark.parametrize(
    ("response", "fraction", "correct", "feedback"),
    [
        case({"choice": "b"}, "1", True, ("Right: TLS encrypts the connection.",), id="the correct choice"),
        case({"choice": "a"}, "0", False, ("FTP transfers files.",), id="a wrong choice with feedback"),
        case({"choice": "c"}, "0", False, (), id="a wrong choice without feedback"),
        case({"choice": "zzz"}, "0", False, (), id="an unknown key"),
        case({"choice": ""}, "0", False, (), id="an empty key"),
        case({"choice": None}, "0", False, (), id="a null choice"),
        case({}, "0", False, (), id="an empty response"),
        case(None, "0", False, (), id="no response at all"),
    ],
)
def test_single_choice_gives_full_marks_only_for_a_correct_choice(response, fraction, correct, feedback):
    result = grade(single_question(mark="2"), response)
    assert result == GradeResult(score=D(fraction) * 2, fraction=D(fraction), correct=correct, choice_feedback=feedback)


def test_single_choice_accepts_any_of_several_correct_choices():
    question = QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="Name a colour of the flag.",
        choices=(
            ChoiceSpec("red", "Red", correct=True),
            ChoiceSpec("gold", "Gold", correct=True),
            ChoiceSpec("x", "X"),
        ),
    )
    assert grade(question, {"choice": "gold"}).correct is True


@pytest.mark.parametrize(
    ("answer", "response", "correct", "feedback"),
    [
        case(True, {"choice": "true"}, True, ("Said true.",), id="true when the statement is true"),
        case(True, {"choice": "false"}, False, ("Said false.",), id="false when the statement is true"),
        case(False, {"choice": "false"}, True, ("Said false.",), id="false when the statement is false"),
        case(False, {"choice": "true"}, False, ("Said true.",), id="true when the statement is false"),
        case(True, {"choice": "True"}, False, (), id="keys are case sensitive"),
        case(True, {}, False, (), id="no answer"),
    ],
)
def test_true_false_is_graded_like_single_choice(answer, response, correct, feedback):
    result = grade(true_false_question(answer), response)
    assert (result.correct, result.fraction, result.choice_feedback) == (correct, D(1 if correct else 0), feedback)


# --- multiple response ---


@pytest.mark.parametrize(
    ("selected", "correct"),
    [
        case(["a", "b"], True, id="exactly the correct set"),
        case(["b", "a"], True, id="the correct set in another order"),
        case(["a", "b", "a", "b"], True, id="the correct set with duplicates"),
        case(["a", "b", "zzz"], True, id="the correct set plus an unknown key"),
        case(["a"], False, id="only some of the correct choices"),
        case(["a", "b", "c"], False, id="the correct set plus a wrong choice"),
        case(["a", "b", "c", "d"], False, id="every choice"),
        case(["c"], False, id="only a wrong choice"),
        case(["zzz"], False, id="only an unknown key"),
        case([], False, id="nothing"),
    ],
)
def test_all_or_nothing_multiple_requires_exactly_the_correct_set(selected, correct):
    result = grade(multiple_question(Scoring.ALL_OR_NOTHING), {"choices": selected})
    assert (result.correct, result.fraction) == (correct, D(1 if correct else 0))


@pytest.mark.parametrize(
    ("penalties", "selected", "fraction"),
    [
        case((None, None), ["a", "b"], "1", id="both correct choices give full marks"),
        case((None, None), ["a"], "0.5", id="one of two correct choices gives half"),
        case((None, None), ["b"], "0.5", id="the other correct choice gives half too"),
        case((None, None), ["a", "b", "c"], "0.5", id="a wrong choice costs a share by default"),
        case((None, None), ["a", "c"], "0", id="one right and one wrong cancel out"),
        case((None, None), ["c"], "0", id="only a wrong choice is clamped to zero"),
        case((None, None), ["c", "d"], "0", id="two wrong choices are clamped to zero"),
        case((None, None), ["a", "c", "d"], "0", id="more wrong than right is clamped to zero"),
        case((None, None), ["a", "b", "c", "d"], "0", id="selecting every choice scores nothing"),
        case((D("0.25"), None), ["a", "c"], "0.25", id="an explicit penalty replaces the default"),
        case((D("0.25"), None), ["a", "b", "c"], "0.75", id="an explicit penalty on a full answer"),
        case((D("0.25"), D("0.25")), ["a", "b", "c", "d"], "0.5", id="every choice with small penalties"),
        case((D("1"), None), ["a", "b", "c"], "0", id="a full penalty wipes out full marks"),
        case((D("0"), None), ["a", "c"], "0.5", id="a zero penalty costs nothing"),
        case((None, None), ["a", "a"], "0.5", id="a duplicated correct key counts once"),
        case((None, None), ["a", "b", "c", "c"], "0.5", id="a duplicated wrong key costs once"),
        case((None, None), ["a", "zzz"], "0.5", id="an unknown key is ignored"),
        case((None, None), ["zzz"], "0", id="only an unknown key scores nothing"),
        case((None, None), [], "0", id="nothing selected scores nothing"),
    ],
)
def test_partial_multiple_adds_shares_and_subtracts_penalties(penalties, selected, fraction):
    result = grade(multiple_question(penalties=penalties), {"choices": selected})
    assert result.fraction == D(fraction)
    assert result.score == D(fraction)


@pytest.mark.parametrize(
    ("correct_count", "total"),
    [
        case(1, 2, id="one right of two"),
        case(2, 4, id="two right of four"),
        case(3, 4, id="three right of four"),
        case(4, 5, id="four right of five"),
    ],
)
def test_selecting_every_choice_of_a_partial_question_is_never_full_marks(correct_count, total):
    question = multiple_question_with_correct(correct_count, total)
    result = grade(question, {"choices": [c.key for c in question.choices]})
    assert result.fraction < 1
    assert result.correct is not True


@pytest.mark.parametrize(
    ("response", "feedback"),
    [
        case({"choices": ["c", "a"]}, ("fb-a", "fb-c"), id="in choice order not response order"),
        case({"choices": ["a", "a", "b"]}, ("fb-a", "fb-b"), id="once per choice despite duplicates"),
        case({"choices": ["d"]}, (), id="none for a choice without feedback"),
        case({"choices": ["zzz", "b"]}, ("fb-b",), id="none for an unknown key"),
        case({"choices": []}, (), id="none for an empty selection"),
        case({}, (), id="none for an empty response"),
    ],
)
def test_multiple_feedback_lists_each_selected_choice(response, feedback):
    for scoring in Scoring:
        assert grade(multiple_question(scoring), response).choice_feedback == feedback


@pytest.mark.parametrize("scoring", list(Scoring), ids=str)
def test_multiple_without_correct_choices_scores_zero(scoring):
    question = QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="Misconfigured",
        scoring=scoring,
        choices=(ChoiceSpec("a", "A"), ChoiceSpec("b", "B")),
    )
    assert grade(question, {"choices": ["a"]}).fraction == 0


# --- fill in the blank ---


@pytest.mark.parametrize(
    ("accepted", "case_sensitive", "typed", "correct"),
    [
        case(("TCP/IP",), False, "TCP/IP", True, id="the exact answer"),
        case(("TCP/IP",), False, "ＴＣＰ／ＩＰ", True, id="full-width input matches half-width"),
        case(("ＴＣＰ／ＩＰ",), False, "TCP/IP", True, id="a full-width accepted answer matches half-width input"),
        case(("TCP/IP",), False, "tcp/ip", True, id="other case when insensitive"),
        case(("TCP/IP",), False, "ｔｃｐ／ｉｐ", True, id="full-width lower case when insensitive"),
        case(("TCP/IP",), True, "tcp/ip", False, id="other case when sensitive"),
        case(("TCP/IP",), True, "ＴＣＰ／ＩＰ", True, id="full-width input in the right case when sensitive"),
        case(("TCP/IP",), False, "  TCP/IP\t", True, id="surrounding whitespace"),
        case(("TCP/IP",), False, "　TCP/IP　", True, id="surrounding ideographic spaces"),
        case(("TCP/IP",), False, "TCP / IP", False, id="added internal spaces"),
        case(("TCP/IP",), False, "TCPIP", False, id="a missing character"),
        case(("电子 政务",), False, "电子　　政务", True, id="ideographic spaces collapse to one"),
        case(("电子政务",), False, "电子 政务", False, id="a space inside a word still counts"),
        case(("TCP/IP", "Internet protocol suite"), False, "internet  PROTOCOL suite", True, id="any accepted answer"),
        case(("TCP/IP",), False, "", False, id="an empty answer"),
        case(("TCP/IP",), False, "　 ", False, id="a blank answer"),
        case(("",), False, " ", False, id="a blank answer never matches a blank accepted answer"),
        case((), False, "TCP/IP", False, id="no accepted answers"),
    ],
)
def test_fill_blank_compares_normalized_answers(accepted, case_sensitive, typed, correct):
    question = QuestionSpec(
        qtype=QuestionType.FILL_BLANK, stem="____", accepted_answers=accepted, case_sensitive=case_sensitive
    )
    result = grade(question, {"text": typed})
    assert (result.correct, result.fraction, result.choice_feedback) == (correct, D(1 if correct else 0), ())


@pytest.mark.parametrize("response", [case({}, id="empty"), case({"text": None}, id="null text")])
def test_fill_blank_without_text_scores_zero(response):
    assert grade(fill_blank_question(), response).correct is False


# --- ordering ---


@pytest.mark.parametrize(
    ("order", "fraction"),
    [
        case("abcd", "1", id="the correct order"),
        case("bacd", "0.5", id="two swapped at the start"),
        case("acbd", "0.5", id="two swapped in the middle"),
        case("abdc", "0.5", id="two swapped at the end"),
        case("adcb", "0.5", id="outer two of the last three swapped"),
        case("bcda", "0", id="rotated by one"),
        case("dcba", "0", id="reversed"),
        case("abc", "0", id="an item missing"),
        case("abcdd", "0", id="an item repeated on top"),
        case("abcc", "0", id="an item repeated instead of another"),
        case("abcx", "0", id="an unknown item"),
        case("abcde", "0", id="an extra item"),
        case("", "0", id="no order"),
    ],
)
def test_partial_ordering_credits_items_in_their_place(order, fraction):
    result = grade(ordering_question(), {"order": list(order)})
    assert result.fraction == D(fraction)


@pytest.mark.parametrize(
    ("order", "correct"),
    [
        case("abcd", True, id="the correct order"),
        case("bacd", False, id="two swapped"),
        case("abdc", False, id="the last two swapped"),
        case("abc", False, id="an item missing"),
        case("abcda", False, id="the correct order with a repeat"),
    ],
)
def test_all_or_nothing_ordering_requires_the_exact_order(order, correct):
    result = grade(ordering_question(Scoring.ALL_OR_NOTHING), {"order": list(order)})
    assert (result.correct, result.fraction) == (correct, D(1 if correct else 0))


@pytest.mark.parametrize("scoring", list(Scoring), ids=str)
def test_ordering_without_items_scores_zero(scoring):
    assert grade(ordering_question(scoring, keys=""), {"order": []}).correct is False


def test_ordering_gives_no_choice_feedback():
    assert grade(ordering_question(), {"order": list("abcd")}).choice_feedback == ()


# --- empty responses, all types ---


@pytest.mark.parametrize(
    ("question", "response"),
    [
        case(single_question(), {}, id="single with empty response"),
        case(true_false_question(), {}, id="true false with empty response"),
        case(multiple_question(Scoring.PARTIAL), {"choices": []}, id="partial multiple with no choices"),
        case(multiple_question(Scoring.ALL_OR_NOTHING), {}, id="all or nothing multiple with empty response"),
        case(fill_blank_question(), {"text": ""}, id="fill blank with empty text"),
        case(ordering_question(), {"order": []}, id="ordering with empty order"),
        case(ordering_question(), {}, id="ordering with empty response"),
        case(single_question(), {"text": "b"}, id="single with the answer under the wrong name"),
        case(multiple_question(), None, id="multiple with no response"),
    ],
)
def test_an_empty_response_scores_zero(question, response):
    assert grade(question, response) == GradeResult(score=D(0), fraction=D(0), correct=False)


def test_an_unknown_question_type_is_an_error():
    with pytest.raises(ValueError, match="calculated"):
        grade(QuestionSpec(qtype="calculated", stem="Compute."), {"text": "..."})


def test_a_question_type_given_as_plain_text_is_graded():
    question = QuestionSpec(qtype="single", stem="?", choices=(ChoiceSpec("a", "A", correct=True),))
    assert grade(question, {"choice": "a"}).correct is True


# --- score, fraction, rounding and "correct" ---


@pytest.mark.parametrize(
    ("question", "response", "score", "fraction", "correct"),
    [
        case(
            multiple_question_with_correct(3, 3, mark="3"),
            {"choices": ["k0"]},
            "1.0000",
            "0.3333",
            None,
            id="a third of three marks is one mark not 0.9999",
        ),
        case(
            multiple_question_with_correct(3, 3, mark="3"),
            {"choices": ["k0", "k1"]},
            "2.0000",
            "0.6667",
            None,
            id="two thirds round up",
        ),
        case(
            multiple_question_with_correct(3, 3, mark="1"),
            {"choices": ["k0"]},
            "0.3333",
            "0.3333",
            None,
            id="a third of one mark rounds down",
        ),
        case(
            multiple_question_with_correct(6, 6, mark="1"),
            {"choices": ["k0"]},
            "0.1667",
            "0.1667",
            None,
            id="a sixth rounds up",
        ),
        case(
            multiple_question(mark="0.0005"),
            {"choices": ["a"]},
            "0.0003",
            "0.5000",
            None,
            id="an exact half rounds up not to even",
        ),
        case(
            multiple_question(mark="0.0001"),
            {"choices": ["a"]},
            "0.0001",
            "0.5000",
            None,
            id="a half of the smallest unit rounds up",
        ),
        case(
            multiple_question_with_correct(32, 32),
            {"choices": ["k0"]},
            "0.0313",
            "0.0313",
            None,
            id="a fraction with an exact half in the fifth place rounds up",
        ),
        case(
            multiple_question_with_correct(3, 4, mark="2.5", penalty=D("0.1")),
            {"choices": ["k0", "k3"]},
            "0.5833",
            "0.2333",
            None,
            id="a share minus a decimal penalty",
        ),
        case(single_question(mark="2.5"), {"choice": "b"}, "2.5000", "1.0000", True, id="full marks of a decimal mark"),
        case(single_question(mark="0"), {"choice": "b"}, "0.0000", "1.0000", True, id="a zero-mark question"),
        case(single_question(mark="10"), {"choice": "a"}, "0.0000", "0.0000", False, id="nothing of ten marks"),
    ],
)
def test_score_and_fraction_are_rounded_half_up_to_four_places(question, response, score, fraction, correct):
    result = grade(question, response)
    # Compare strings: they also check that both are given with exactly four places.
    assert (str(result.score), str(result.fraction), result.correct) == (score, fraction, correct)


def test_correct_is_none_for_partial_credit_true_for_full_and_false_for_none():
    question = multiple_question()
    assert [grade(question, {"choices": s}).correct for s in (["a", "b"], ["a"], ["c"])] == [True, None, False]


def test_a_sliver_of_credit_that_rounds_to_zero_is_still_partly_right():
    question = multiple_question_with_correct(1, 2, penalty=D("0.99999"))
    result = grade(question, {"choices": ["k0", "k1"]})
    assert (result.fraction, result.correct) == (D("0.0000"), None)


# --- totals and attempts ---


def result(score):
    return GradeResult(score=D(score), fraction=D(1), correct=True)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        case([], "0.0000", id="no results"),
        case(["1.0000"], "1.0000", id="one result"),
        case(["1.0000", "0.3333", "2.5000"], "3.8333", id="several results"),
        case(["0.3333", "0.3333", "0.3334"], "1.0000", id="rounded thirds"),
    ],
)
def test_total_score_sums_the_scores(scores, expected):
    assert str(total_score(result(s) for s in scores)) == expected


@pytest.mark.parametrize(
    ("scores", "max_score", "pass_mark", "expected"),
    [
        case(["7.5000"], "10", "70", ("7.5000", "75.00", True), id="above the pass mark passes"),
        case(["7.0000"], "10", "70", ("7.0000", "70.00", True), id="exactly the pass mark passes"),
        case(["6.9994"], "10", "70", ("6.9994", "69.99", False), id="just below the pass mark fails"),
        case(["6.9995"], "10", "70", ("6.9995", "70.00", True), id="a shown percent of the pass mark passes"),
        case(["2.0000"], "3", "0", ("2.0000", "66.67", True), id="two thirds round up"),
        case(["1.0000"], "3", "50", ("1.0000", "33.33", False), id="one third rounds down"),
        case(["1.0000"], "8", "50", ("1.0000", "12.50", False), id="the percent has two places"),
        case(["0.0000"], "10", "0", ("0.0000", "0.00", True), id="a zero pass mark is always passed"),
        case(["10.0000"], "10", "100", ("10.0000", "100.00", True), id="full marks pass a hundred percent mark"),
        case(["1.0000", "2.0000"], "4", "75", ("3.0000", "75.00", True), id="several results are summed"),
        case([], "10", "50", ("0.0000", "0.00", False), id="no results"),
        case(["0.0000"], "0", "0", ("0.0000", "0.00", False), id="a quiz worth nothing is not passed"),
        case([], "0", "50", ("0.0000", "0.00", False), id="an empty quiz worth nothing"),
    ],
)
def test_attempt_grade_gives_score_percent_and_pass(scores, max_score, pass_mark, expected):
    score, percent, passed = attempt_grade(
        [result(s) for s in scores], max_score=D(max_score), pass_mark_percent=D(pass_mark)
    )
    assert (str(score), str(percent), passed) == expected


def test_attempt_grade_accepts_a_generator_of_results():
    score, percent, passed = attempt_grade(
        (result("1.0000") for _ in range(2)), max_score=D(2), pass_mark_percent=D(100)
    )
    assert (score, percent, passed) == (D(2), D(100), True)


@pytest.mark.parametrize(
    ("percents", "method", "expected"),
    [
        case(["50.00", "80.00", "75.00"], "highest", "80.00", id="highest"),
        case(["50.00", "80.00", "75.00"], "first", "50.00", id="first"),
        case(["50.00", "80.00", "75.00"], "last", "75.00", id="last"),
        case(["50.00", "80.00", "75.00"], "average", "68.33", id="average rounded to two places"),
        case(["50.00", "50.01"], "average", "50.01", id="average with an exact half rounds up"),
        case(["50", "60"], "average", "55.00", id="average always has two places"),
        case(["100.00", "100.00", "0.00"], "average", "66.67", id="average of two thirds rounds up"),
        case(["42.50"], "highest", "42.50", id="highest of one attempt"),
        case(["42.50"], "first", "42.50", id="first of one attempt"),
        case(["42.50"], "last", "42.50", id="last of one attempt"),
        case(["42.50"], "average", "42.50", id="average of one attempt"),
        case(["0.00", "0.00"], "highest", "0.00", id="highest of zeros"),
    ],
)
def test_combine_attempt_grades_by_method(percents, method, expected):
    assert str(combine_attempt_grades([D(p) for p in percents], method)) == expected


@pytest.mark.parametrize("method", GRADING_METHODS)
def test_combine_attempt_grades_without_attempts_is_none(method):
    assert combine_attempt_grades([], method) is None


@pytest.mark.parametrize(
    ("percents", "method"),
    [
        case([D(50)], "median", id="an unknown method"),
        case([D(50)], "Highest", id="a method in the wrong case"),
        case([D(50)], "", id="an empty method"),
        case([], "best", id="an unknown method even without attempts"),
    ],
)
def test_combine_attempt_grades_rejects_unknown_methods(percents, method):
    with pytest.raises(ValueError, match="grading method"):
        combine_attempt_grades(percents, method)


def test_grading_methods_are_the_four_documented_ones():
    assert set(GRADING_METHODS) == {"highest", "average", "first", "last"}
