"""Grading of quiz responses: pure functions over quizzes.specs shapes, no ORM.

Arithmetic is done on exact Fractions and rounded once at the end (ROUND_HALF_UP), so that, e.g.,
a third of a 3-mark question scores 1.0000 and not 0.9999 (which rounding the fraction first gives).
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from quizzes.specs import (
    AnswerSpec,
    ChoiceSpec,
    GradeResult,
    QuestionSpec,
    QuestionType,
    Scoring,
    match_answer_key,
    match_subquestions,
)

GRADING_METHODS = ("highest", "average", "first", "last")

_ZERO = Fraction(0)
_ONE = Fraction(1)
_NEARLY_ONE = Fraction(999999, 1000000)


def normalize_answer(text: str, *, case_sensitive: bool = False) -> str:
    """Canonical form of a typed answer, for comparing fill-in-the-blank answers.

    - NFKC: full-width letters, digits, punctuation and the ideographic space typed with Chinese
      input methods become their ASCII forms ("ＡＢＣ１２３" -> "ABC123", "／" -> "/", "　" -> " ").
      Punctuation without a compatibility mapping (e.g. "。", "、", curly quotes) is left as is:
      it is not the same character, and guessing equivalences belongs to the question's author,
      who can list variants as further accepted answers.
    - Whitespace: stripped at both ends, internal runs collapsed to one space.
    - Case: casefolded (stronger than lower(): "ß" matches "SS") unless case_sensitive.
    """
    text = unicodedata.normalize("NFKC", text)
    if not case_sensitive:
        # casefold() may produce denormalized sequences, hence NFKC again.
        text = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(text.split())


def grade(question: QuestionSpec, response: Mapping[str, Any] | None) -> GradeResult:
    """Grade one response (formats in quizzes.specs). A missing or empty response scores zero."""
    try:
        grader = _GRADERS[QuestionType(question.qtype)]
    except (KeyError, ValueError):
        raise ValueError(f"unknown question type: {question.qtype!r}") from None
    fraction, feedback = grader(question, response or {})
    return _result(question, fraction, feedback)


def total_score(results: Iterable[GradeResult]) -> Decimal:
    return sum((result.score for result in results), Decimal("0.0000"))


def attempt_grade(
    results: Iterable[GradeResult], *, max_score: Decimal, pass_mark_percent: Decimal
) -> tuple[Decimal, Decimal, bool]:
    """(score, percent rounded to 2 places, passed).

    Passing compares the rounded percent, i.e. the figure the learner is shown: "60.00%" with a
    60% pass mark passes. A quiz worth nothing (max_score <= 0) cannot be passed."""
    score = total_score(results)
    if max_score <= 0:
        return score, Decimal("0.00"), False
    percent = _round_half_up(Fraction(score) * 100 / Fraction(max_score), 2)
    return score, percent, percent >= pass_mark_percent


def combine_attempt_grades(percents: Sequence[Decimal], method: str) -> Decimal | None:
    """The quiz grade from the percents of all attempts, oldest first. None when there are none."""
    # Checked before the empty case: a misconfigured method must not hide until the first attempt.
    if method not in GRADING_METHODS:
        raise ValueError(f"unknown grading method: {method!r}")
    if not percents:
        return None
    if method == "highest":
        return max(percents)
    if method == "first":
        return percents[0]
    if method == "last":
        return percents[-1]
    return _round_half_up(sum(map(Fraction, percents), _ZERO) / len(percents), 2)


# --- one grader per question type: (question, response) -> (exact fraction, choice feedback) ---

_Graded = tuple[Fraction, tuple[str, ...]]


def choice_fraction(question: QuestionSpec, choice: ChoiceSpec) -> Fraction:
    """The grade of one choice, -1..1 of the mark, as Moodle's answer "fraction".

    Its own `fraction` when set. Otherwise derived: single choice and true/false, 1 when correct
    and 0 when not; multiple response, 1 / number of correct choices when correct, minus its
    penalty (by default the same share) when not."""
    if choice.fraction is not None:
        return Fraction(choice.fraction)
    if question.qtype != QuestionType.MULTIPLE:
        return _ONE if choice.correct else _ZERO
    correct_count = sum(1 for c in question.choices if c.correct)
    if correct_count == 0:
        return _ZERO
    share = Fraction(1, correct_count)
    # Wrong choices cost a share by default, so that selecting everything is not full marks.
    if choice.correct:
        return share
    return -(share if choice.penalty is None else Fraction(choice.penalty))


def _grade_single(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    # The chosen choice's grade: several choices may be fully right, others partly. Floored at 0
    # (Moodle lets a negative grade make a single-choice question's mark negative; README).
    chosen = next((c for c in question.choices if c.key == response.get("choice")), None)
    if chosen is None:  # nothing chosen, or an unknown key
        return _ZERO, ()
    return min(max(choice_fraction(question, chosen), _ZERO), _ONE), _feedback([chosen])


def _grade_multiple(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    # A set: a key sent twice counts once. Keys of no choice are ignored.
    selected_keys = set(response.get("choices") or ())
    selected = [c for c in question.choices if c.key in selected_keys]
    correct_count = sum(1 for c in question.choices if c.correct)
    if not selected or correct_count == 0:
        return _ZERO, _feedback(selected)
    if question.scoring == Scoring.PARTIAL:
        # As Moodle (qtype_multichoice_multi_question::grade_response): the sum of the chosen
        # choices' grades, floored at 0 and capped at 1.
        fraction = sum((choice_fraction(question, c) for c in selected), _ZERO)
        fraction = min(max(fraction, _ZERO), _ONE)
    else:
        fraction = _ONE if all(c.correct for c in selected) and len(selected) == correct_count else _ZERO
    return fraction, _feedback(selected)


def _grade_fill_blank(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    matched = short_answer_match(question, response.get("text") or "")
    if matched is None:
        return _ZERO, ()
    fraction = min(max(Fraction(matched.fraction), _ZERO), _ONE)
    return fraction, ((matched.feedback,) if matched.feedback else ())


_FULL_MARKS = Decimal("1")
_UNESCAPED_STARS = re.compile(r"(?<!\\)\*+")


def short_answer_match(question: QuestionSpec, text: str) -> AnswerSpec | None:
    """The accepted answer a typed answer matches, or None.

    First the literal accepted answers (full marks, as every question before issue 14), then the
    graded answers in order, as Moodle's qtype_shortanswer_question::get_matching_answer: the first
    that matches wins, whatever its grade. In a graded answer `*` matches any sequence of characters
    (a run of them is one) and `\\*` is a literal asterisk (compare_string_with_wildcard). Both sides
    are compared in normalize_answer's form, case-sensitively only when the question says so."""
    answer = normalize_answer(text, case_sensitive=question.case_sensitive)
    if not answer:  # a blank answer never matches, even a (misconfigured) blank accepted answer or `*`
        return None
    for literal in question.accepted_answers:
        if normalize_answer(literal, case_sensitive=question.case_sensitive) == answer:
            return AnswerSpec(text=literal, fraction=_FULL_MARKS)
    for graded in question.answers:
        pattern = normalize_answer(graded.text, case_sensitive=question.case_sensitive)
        if pattern and wildcard_matches(pattern, answer):
            return graded
    return None


def wildcard_matches(pattern: str, text: str) -> bool:
    """Moodle's wildcard rule: `*` (unescaped, runs counting once) matches any sequence, the rest literally."""
    bits = [bit.replace("\\*", "*") for bit in _UNESCAPED_STARS.split(pattern)]
    return re.fullmatch(".*".join(re.escape(bit) for bit in bits), text, flags=re.DOTALL) is not None


_NUMBER = re.compile(
    r"""
    [+-]?
    (?: \d{1,3} (?: ,\d{3} )+ | \d* )   # whole part: digits, or thousands grouped with commas
    (?: \. \d* )?                        # decimals
    (?: e [+-]? \d{1,4} )?                # exponent, as Moodle's 1.5e3
    """,
    re.VERBOSE | re.IGNORECASE,
)


def parse_number(text: str) -> Decimal | None:
    """A learner's typed number, or None when it is not one (or blank).

    Lenient in form, strict in meaning: NFKC first (full-width digits, "．", "－" and "，" typed with
    Chinese input methods become ASCII), "−" (U+2212) is a minus, spaces at either end are ignored;
    then a plain decimal: optional sign, "." as the decimal point, an optional exponent (1.5e3), and
    commas only as thousands separators in groups of three ("12,345.6"). So "3,14" is refused rather
    than guessed (a European decimal comma, or Moodle's thousands separator, giving 314), and so are
    "3.1.4", "1/2", "π", "inf", "NaN", "3 14" and any unit after the number."""
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    mantissa = text.lower().partition("e")[0]
    if not _NUMBER.fullmatch(text) or not any(char.isdigit() for char in mantissa):
        return None
    return Decimal(text.replace(",", ""))


def numerical_match(question: QuestionSpec, text: str) -> AnswerSpec | None:
    """The answer a typed number matches, or None (also when it is not a number), as Moodle's
    qtype_numerical_question::get_matching_answer: the answers in order, the first whose interval
    [answer - tolerance, answer + tolerance] holds the number wins, whatever its grade (the edges
    count, compared exactly rather than in floating point); `*` holds every number but no non-number."""
    value = parse_number(text)
    if value is None:
        return None
    for answer in question.answers:
        if answer.text.strip() == "*":
            return answer
        centre = parse_number(answer.text)
        if centre is None:  # never stored by the services; a hand-edited version must not crash grading
            continue
        tolerance = abs(Fraction(answer.tolerance or 0))
        if Fraction(centre) - tolerance <= Fraction(value) <= Fraction(centre) + tolerance:
            return answer
    return None


def _grade_numerical(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    matched = numerical_match(question, str(response.get("text") or ""))
    if matched is None:
        return _ZERO, ()
    fraction = min(max(Fraction(matched.fraction), _ZERO), _ONE)
    return fraction, ((matched.feedback,) if matched.feedback else ())


def _grade_description(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    return _ZERO, ()  # nothing to answer; its mark is 0


def _grade_ordering(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    expected = [c.key for c in question.choices]
    submitted = list(response.get("order") or ())
    # Not a permutation (missing, repeated or foreign keys): no positional credit to be had.
    if not expected or Counter(submitted) != Counter(expected):
        return _ZERO, ()
    if question.scoring == Scoring.PARTIAL:
        in_place = sum(1 for got, want in zip(submitted, expected, strict=True) if got == want)
        return Fraction(in_place, len(expected)), ()
    return (_ONE if submitted == expected else _ZERO), ()


def _grade_essay(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    # A trainer marks it (quizzes.services.essay_grade); until then it is worth nothing.
    return _ZERO, ()


def needs_manual_grading(question: QuestionSpec, response: Mapping[str, Any] | None) -> bool:
    """An essay with an answer waits for a trainer's mark; a blank essay scores 0 at once (as Moodle,
    where an unanswered essay "gave up" and needs no grading)."""
    return question.qtype == QuestionType.ESSAY and bool(str((response or {}).get("text") or "").strip())


def matching_right(question: QuestionSpec, response: Mapping[str, Any]) -> dict[str, bool]:
    """{sub-question key: answered right} for every sub-question asked (left blank: False)."""
    matches = response.get("matches")
    if not isinstance(matches, Mapping):
        matches = {}
    return {
        pair.key: isinstance(matches.get(pair.key), str) and matches[pair.key] == match_answer_key(pair.answer)
        for pair in match_subquestions(question)
    }


def _grade_matching(question: QuestionSpec, response: Mapping[str, Any]) -> _Graded:
    # As Moodle's qtype_match_question::grade_response: sub-questions right / sub-questions, with
    # no penalty for a wrong pick. An answer is its text, so two sub-questions with the same answer
    # text are both right with it (Moodle merges identical answer texts into one choice).
    right = matching_right(question, response)
    if not right:
        return _ZERO, ()
    return Fraction(sum(right.values()), len(right)), ()


_GRADERS: dict[QuestionType, Callable[[QuestionSpec, Mapping[str, Any]], _Graded]] = {
    QuestionType.SINGLE: _grade_single,
    QuestionType.TRUE_FALSE: _grade_single,  # two choices keyed "true" and "false"
    QuestionType.MULTIPLE: _grade_multiple,
    QuestionType.FILL_BLANK: _grade_fill_blank,
    QuestionType.ORDERING: _grade_ordering,
    QuestionType.ESSAY: _grade_essay,
    QuestionType.NUMERICAL: _grade_numerical,
    QuestionType.DESCRIPTION: _grade_description,
    QuestionType.MATCHING: _grade_matching,
}


# --- helpers ---


def _feedback(choices: Iterable[ChoiceSpec]) -> tuple[str, ...]:
    return tuple(c.feedback for c in choices if c.feedback)


def _result(question: QuestionSpec, fraction: Fraction, feedback: tuple[str, ...]) -> GradeResult:
    # "correct" follows the exact fraction: a sliver of credit that rounds to 0.0000 is still partial.
    # Near 1 it follows Moodle (question_state::graded_state_for_fraction, > 0.999999): three options
    # worth 33.33333% each, all chosen, are fully right.
    correct = True if fraction > _NEARLY_ONE else False if fraction == 0 else None
    return GradeResult(
        score=_round_half_up(fraction * Fraction(question.mark), 4),
        fraction=_round_half_up(fraction, 4),
        correct=correct,
        choice_feedback=feedback,
    )


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact value once, half away from zero (Decimal division would round twice)."""
    scaled = value * 10**places
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = 1 if scaled < 0 and whole else 0
    return Decimal((sign, tuple(int(d) for d in str(whole)), -places))
