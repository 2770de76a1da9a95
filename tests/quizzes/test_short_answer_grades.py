"""Short answer with several graded accepted answers (QuestionSpec.answers), table by table
against Moodle's documented scoring (question/type/shortanswer):

- "the first matching answer in order wins" (get_matching_answer walks the answers in order; a
  later answer is never tried once one matched, even one worth more);
- `*` matches any sequence of characters, a run of `*` counts once, `\\*` is a literal asterisk
  (compare_string_with_wildcard); a lone `*` is the usual catch-all for feedback on wrong answers;
- case matters only when the question says so (usecase);
- the matched answer's grade is the fraction of the mark, its feedback the feedback shown.
Questions stored before issue 14 (no "answers" in their data) grade exactly as before.
"""

from decimal import Decimal

import pytest

from quizzes.grading import grade, short_answer_match, wildcard_matches
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType, spec_from_data, spec_to_data

D = Decimal


def short(*answers, case_sensitive=False, mark="2", accepted=()):
    return QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="《中华人民共和国个人信息保护法》施行于哪一年？",
        mark=D(mark),
        case_sensitive=case_sensitive,
        accepted_answers=tuple(accepted),
        answers=tuple(AnswerSpec(text, D(fraction), f"fb:{text}") for text, fraction in answers),
    )


@pytest.mark.parametrize(
    ("answers", "typed", "score", "correct", "feedback"),
    [
        # Full, partial and no credit.
        ((("2021", "1"), ("2020", "0.5")), "2021", "2.0000", True, ("fb:2021",)),
        ((("2021", "1"), ("2020", "0.5")), "2020", "1.0000", None, ("fb:2020",)),
        ((("2021", "1"), ("2020", "0.5")), "2019", "0.0000", False, ()),
        # A third of the mark (Moodle stores 0.3333333): of 3 marks, 0.9999999, rounded once.
        ((("2021", "1"), ("2021年", "0.3333333")), "2021年", "1.0000", None, ("fb:2021年",)),
        # First match wins, even when a later answer is worth more.
        ((("20*", "0.5"), ("2021", "1")), "2021", "1.0000", None, ("fb:20*",)),
        ((("2021", "1"), ("20*", "0.5")), "2021", "2.0000", True, ("fb:2021",)),
        ((("2021", "1"), ("20*", "0.5")), "2022", "1.0000", None, ("fb:20*",)),
        # A catch-all worth nothing matches and gives its feedback, scoring 0.
        ((("2021", "1"), ("*", "0")), "不知道", "0.0000", False, ("fb:*",)),
        # `*` anywhere, any length including none; a run counts once.
        ((("*保护法", "1"),), "个人信息保护法", "2.0000", True, ("fb:*保护法",)),
        ((("*保护法", "1"),), "保护法", "2.0000", True, ("fb:*保护法",)),
        ((("个人*法", "1"),), "个人信息保护法", "2.0000", True, ("fb:个人*法",)),
        ((("个人**法", "1"),), "个人法", "2.0000", True, ("fb:个人**法",)),
        ((("个人*法", "1"),), "个人信息保护法律", "0.0000", False, ()),
        # `\*` is a literal asterisk; other regex characters are literal.
        ((("a\\*b", "1"),), "a*b", "2.0000", True, ("fb:a\\*b",)),
        ((("a\\*b", "1"),), "axb", "0.0000", False, ()),
        ((("a.b", "1"),), "axb", "0.0000", False, ()),
        ((("(x)+", "1"),), "(x)+", "2.0000", True, ("fb:(x)+",)),
        # Case-insensitive by default, both for literal text and around a wildcard.
        ((("GDPR", "1"),), "gdpr", "2.0000", True, ("fb:GDPR",)),
        ((("G*R", "1"),), "gdpr", "2.0000", True, ("fb:G*R",)),
        # A blank answer never matches, not even `*`.
        ((("*", "1"),), "", "0.0000", False, ()),
        ((("*", "1"),), "   ", "0.0000", False, ()),
        # Answers are compared trimmed and in normalize_answer's form (full-width digits are ASCII).
        ((("2021", "1"),), "  ２０２１ ", "2.0000", True, ("fb:2021",)),
    ],
)
def test_short_answer_grades_as_moodle(answers, typed, score, correct, feedback):
    mark = "3" if any(fraction == "0.3333333" for _text, fraction in answers) else "2"
    result = grade(short(*answers, mark=mark), {"text": typed})
    assert result.score == D(score)
    assert result.correct is correct
    assert result.choice_feedback == feedback


@pytest.mark.parametrize(
    ("answer", "typed", "matches"),
    [("GDPR", "gdpr", False), ("GDPR", "GDPR", True), ("G*R", "gdpr", False), ("G*R", "GdpR", True)],
)
def test_case_sensitive_question(answer, typed, matches):
    question = short((answer, "1"), case_sensitive=True)
    assert (short_answer_match(question, typed) is not None) is matches


def test_literal_accepted_answers_come_first_at_full_marks():
    question = short(("*", "0"), accepted=("2021",))
    assert grade(question, {"text": "2021"}).score == D("2.0000")
    assert grade(question, {"text": "2020"}).score == D("0.0000")
    assert grade(question, {"text": "2020"}).choice_feedback == ("fb:*",)


def test_a_star_in_a_literal_accepted_answer_stays_literal():
    # Questions stored before issue 14 have only literal accepted answers: `*` there is a character.
    question = short(accepted=("a*b",))
    assert grade(question, {"text": "a*b"}).score == D("2.0000")
    assert grade(question, {"text": "axxb"}).score == D("0.0000")


def test_wildcard_matches_whole_text_only():
    assert wildcard_matches("ab", "ab")
    assert not wildcard_matches("ab", "abc")
    assert wildcard_matches("a*", "abc")
    assert not wildcard_matches("*b", "abc")


def test_old_version_data_grades_as_before_and_round_trips_unchanged():
    old = {
        "qtype": "fillblank",
        "stem": "s",
        "mark": "1",
        "choices": [],
        "accepted_answers": ["2021", "a*b"],
        "case_sensitive": False,
        "scoring": "all_or_nothing",
        "general_feedback": "",
        "name": "",
        "tags": [],
    }
    spec = spec_from_data(old)
    assert spec.answers == ()
    assert spec_to_data(spec) == old  # a re-save makes no new version
    assert grade(spec, {"text": "2021"}).score == D("1.0000")
    assert grade(spec, {"text": "aXb"}).score == D("0.0000")


def test_graded_answers_round_trip_through_version_data():
    spec = short(("2021", "1"), ("20*", "0.5"))
    data = spec_to_data(spec)
    assert data["answers"][1] == {"text": "20*", "fraction": "0.5", "feedback": "fb:20*"}
    assert spec_from_data(data) == spec
