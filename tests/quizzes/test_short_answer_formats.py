"""Short answers with graded answers through GIFT, Moodle XML and Excel (issue 14 item 2b):
grades and feedback are kept both ways, and the dry run names every answer left out."""

from decimal import Decimal

import pytest

from quizzes.formats import (
    ImportedQuestion,
    export_excel,
    export_gift,
    export_moodle_xml,
    parse_excel,
    parse_gift,
    parse_moodle_xml,
)
from quizzes.formats.excel import excel_unexportable
from quizzes.grading import grade
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType

D = Decimal

SPEC = QuestionSpec(
    qtype=QuestionType.FILL_BLANK,
    stem="个人信息保护法于哪一年施行？",
    case_sensitive=True,
    answers=(
        AnswerSpec("2021", D(1), "完全正确。"),
        AnswerSpec("2021年*", D("0.5"), "年份对了，但只需写年份。"),
        AnswerSpec("20*", D("0.3333333"), "接近了。"),
        AnswerSpec("*", D(0), "请复习第三章。"),
    ),
)

TYPED = ["2021", "2021年1月", "2020", "不知道", "", "2021 年"]


def moodle_question(*answers: str, usecase: str = "0") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="shortanswer">'
        "<name><text>年份</text></name><questiontext format=\"html\"><text>哪一年？</text></questiontext>"
        f"<usecase>{usecase}</usecase>{''.join(answers)}</question>\n</quiz>\n"
    ).encode()


def answer(fraction: str, text: str, feedback: str = "") -> str:
    fb = f"<feedback><text>{feedback}</text></feedback>" if feedback else ""
    return f'<answer fraction="{fraction}"><text>{text}</text>{fb}</answer>'


@pytest.mark.parametrize(
    ("export", "parse"),
    [(export_moodle_xml, parse_moodle_xml), (export_gift, parse_gift)],
    ids=["moodle_xml", "gift"],
)
def test_graded_answers_round_trip_and_grade_the_same(export, parse):
    result = parse(export([ImportedQuestion(spec=SPEC)]))

    assert result.problems == [] or export is export_gift  # GIFT has no case-sensitivity (named on export)
    back = result.questions[0].spec
    assert [(a.text, a.fraction) for a in back.answers] == [(a.text, a.fraction) for a in SPEC.answers]
    assert [a.feedback for a in back.answers] == [a.feedback for a in SPEC.answers]
    if export is export_moodle_xml:
        assert back.case_sensitive
        for typed in TYPED:
            assert grade(back, {"text": typed}) == grade(SPEC, {"text": typed}), typed


def test_gift_writes_moodle_percent_weights():
    text = export_gift([ImportedQuestion(spec=SPEC)])
    assert "=2021#完全正确。" in text
    assert "=%50%2021年*#" in text
    assert "=%33.33333%20*#" in text
    assert "=%0%*#" in text


def test_moodle_xml_reads_grades_feedback_and_usecase():
    data = moodle_question(
        answer("100", "2021", "对"), answer("50", "20*", "接近"), answer("0", "*", "复习"), usecase="1"
    )
    result = parse_moodle_xml(data)

    assert result.problems == []
    spec = result.questions[0].spec
    assert spec.case_sensitive
    assert [(a.text, a.fraction, a.feedback) for a in spec.answers] == [
        ("2021", D(1), "对"),
        ("20*", D("0.5"), "接近"),
        ("*", D(0), "复习"),
    ]
    assert grade(spec, {"text": "2022"}).fraction == D("0.5000")


def test_answers_left_out_are_named_in_the_dry_run():
    data = moodle_question(
        answer("100", "2021"),
        answer("-50", "2019"),
        answer("150", "2020"),
        answer("50", "2021"),
        answer("50", " "),
        answer("50", "20*", "接近"),
    )
    result = parse_moodle_xml(data)

    spec = result.questions[0].spec
    assert [(a.text, a.fraction) for a in spec.answers] == [("2021", D(1)), ("20*", D("0.5"))]
    assert [(p.message, p.skipped) for p in result.problems] == [
        ("The answer '2019' has the grade -50%, outside 0% to 100%; it was left out.", False),
        ("The answer '2020' has the grade 150%, outside 0% to 100%; it was left out.", False),
        ("The answer '2021' is given twice; only the first can ever match, the other was left out.", False),
        ("An empty answer was left out.", False),
    ]


def test_a_short_answer_without_a_full_marks_answer_is_refused_as_moodle_does():
    result = parse_gift("哪一年？{=%50%2020 =%0%*}\n\n另一题？{=2021}")

    assert [q.spec.stem for q in result.questions] == ["另一题？"]
    assert [(p.message, p.skipped) for p in result.problems] == [
        ("A fill-in-the-blank question needs at least one answer worth full marks.", True)
    ]


def test_plain_full_marks_answers_stay_literal_accepted_answers():
    spec = parse_gift("哪一年？{=2021 =二〇二一}").questions[0].spec
    assert spec.accepted_answers == ("2021", "二〇二一") and spec.answers == ()


def test_a_literal_star_in_an_accepted_answer_is_escaped_for_moodle():
    spec = QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="乘号？", accepted_answers=("a*b",))
    back = parse_moodle_xml(export_moodle_xml([ImportedQuestion(spec=spec)])).questions[0].spec
    assert [a.text for a in back.answers] == ["a\\*b"]
    for typed in ("a*b", "axxb"):
        assert grade(back, {"text": typed}) == grade(spec, {"text": typed})


def test_excel_keeps_the_full_marks_answers_and_names_the_rest():
    questions = [ImportedQuestion(spec=SPEC)]
    messages = [p.message for p in excel_unexportable(questions)]
    assert len(messages) == 1
    for lost in ("the answers worth part of the mark", "the answers' feedback", "the * wildcard"):
        assert lost in messages[0]
    back = parse_excel(export_excel(questions)).questions[0].spec
    assert back.accepted_answers == ("2021",)
