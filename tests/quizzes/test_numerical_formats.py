"""Numerical and description questions through GIFT, Moodle XML and Excel (issue 14 item 2c, 2d):
answers, tolerances, grades and feedback kept both ways, GIFT ranges read as centre and tolerance,
and the dry run naming what is left out or why a question is refused."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from quizzes.formats import (
    ImportedQuestion,
    export_excel,
    export_gift,
    export_moodle_xml,
    parse_excel,
    parse_gift,
    parse_moodle_xml,
)
from quizzes.formats.excel import HEADERS, excel_unexportable
from quizzes.formats.gift import gift_unexportable
from quizzes.grading import grade
from quizzes.specs import AnswerSpec, QuestionSpec, QuestionType

D = Decimal

SPEC = QuestionSpec(
    qtype=QuestionType.NUMERICAL,
    stem="圆周率约为多少？",
    mark=D(2),
    answers=(
        AnswerSpec("3.14", D(1), "很准确。", D("0.01")),
        AnswerSpec("3", D("0.5"), "接近了。", D(1)),
        AnswerSpec("*", D(0), "请复习第二章。", D(0)),
    ),
    general_feedback="π ≈ 3.14159",
)
DESCRIPTION = QuestionSpec(qtype=QuestionType.DESCRIPTION, stem="以下两题关于圆。", mark=D(0), name="说明")

TYPED = ["3.14", "3.15", "3.16", "2", "4.01", "-3", "abc", ""]


@pytest.mark.parametrize(
    ("export", "parse"),
    [(export_moodle_xml, parse_moodle_xml), (export_gift, parse_gift)],
    ids=["moodle_xml", "gift"],
)
def test_numerical_and_description_round_trip_and_grade_the_same(export, parse):
    result = parse(export([ImportedQuestion(spec=SPEC), ImportedQuestion(spec=DESCRIPTION)]))

    back, description = (q.spec for q in result.questions)
    assert [(a.text, a.fraction, a.feedback, a.tolerance) for a in back.answers] == [
        (a.text, a.fraction, a.feedback, a.tolerance) for a in SPEC.answers
    ]
    for typed in TYPED:
        assert grade(back, {"text": typed}).fraction == grade(SPEC, {"text": typed}).fraction, typed
    assert (description.qtype, description.stem, description.mark) == (QuestionType.DESCRIPTION, DESCRIPTION.stem, 0)
    if export is export_moodle_xml:
        assert result.problems == [] and back.mark == 2 and back == SPEC
    else:  # GIFT holds no mark, and says so
        assert [p.message for p in gift_unexportable([ImportedQuestion(spec=SPEC)])] == [
            "GIFT cannot hold the score 2; the export leaves it out."
        ]


@pytest.mark.parametrize(
    ("gift", "answers"),
    [
        ("{#3.14:0.01}", [("3.14", D(1), "", D("0.01"))]),
        ("{#3.14}", [("3.14", D(1), "", D(0))]),
        ("{#1..5}", [("3", D(1), "", D(2))]),
        ("{#-5..-1}", [("-3", D(1), "", D(2))]),
        ("{#2.5..3}", [("2.75", D(1), "", D("0.25"))]),
        (
            "{#=%100%3.14:0.01#很准确 =%50%3:1#接近}",
            [("3.14", D(1), "很准确", D("0.01")), ("3", D("0.5"), "接近", D(1))],
        ),
        ("{#=12 =%50%10..14}", [("12", D(1), "", D(0)), ("12", D("0.5"), "", D(2))]),
        ("{#=1000 ~#再算一遍}", [("1000", D(1), "", D(0)), ("*", D(0), "再算一遍", D(0))]),
        ("{#1e3:1,000}", [("1000", D(1), "", D(1000))]),
    ],
)
def test_gift_numerical_forms_as_moodle_reads_them(gift, answers):
    result = parse_gift("数值？" + gift)
    assert result.problems == []
    spec = result.questions[0].spec
    assert spec.qtype == QuestionType.NUMERICAL
    assert [(a.text, a.fraction, a.feedback, a.tolerance) for a in spec.answers] == answers


def test_gift_writes_the_short_form_for_one_exact_answer_and_every_weight_otherwise():
    single = QuestionSpec(qtype=QuestionType.NUMERICAL, stem="几？", answers=(AnswerSpec("3.14", D(1), "", D("0.01")),))
    assert "几？{#3.14:0.01}" in export_gift([ImportedQuestion(spec=single)])
    text = export_gift([ImportedQuestion(spec=SPEC)])
    assert "=%100%3.14:0.01#很准确。" in text and "=%50%3:1#接近了。" in text and "=%0%*#请复习第二章。" in text


def test_a_gift_question_without_an_answer_block_is_a_description():
    [item] = parse_gift("::说明::以下各题关于数据安全法。").questions
    assert (item.spec.qtype, item.spec.name, item.spec.mark) == (QuestionType.DESCRIPTION, "说明", 0)
    assert export_gift([item]).strip() == "::说明::以下各题关于数据安全法。"


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("{#一年}", "The answer '一年' of a numerical question is not a number (or * for any number)."),
        ("{#=%50%3}", "A numerical question needs at least one answer worth full marks."),
        ("{#}", "A numerical question needs at least one answer."),
        ("{#3:很小}", "The tolerance '很小' is not a number."),
    ],
)
def test_the_dry_run_refuses_a_numerical_question_as_moodle_does(gift, message):
    result = parse_gift(f"数值？{gift}\n\n另一题？{{#1}}")
    assert [q.spec.stem for q in result.questions] == ["另一题？"]
    assert [(p.message, p.skipped) for p in result.problems] == [(message, True)]


def moodle_numerical(*answers: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="numerical">'
        '<name><text>距离</text></name><questiontext format="html"><text><p>多远？</p></text></questiontext>'
        f"<defaultgrade>3</defaultgrade>{''.join(answers)}{extra}</question>\n</quiz>\n"
    ).encode()


def answer(fraction: str, text: str, tolerance: str = "", feedback: str = "") -> str:
    fb = f"<feedback><text>{feedback}</text></feedback>" if feedback else ""
    tol = f"<tolerance>{tolerance}</tolerance>" if tolerance else ""
    return f'<answer fraction="{fraction}"><text>{text}</text>{fb}{tol}</answer>'


def test_moodle_xml_reads_answers_tolerances_and_names_what_is_left_out():
    data = moodle_numerical(
        answer("100", "1.5", "0.1", "对"),
        answer("50", "2", "-0.5", "接近"),  # Moodle takes the tolerance's absolute value
        answer("150", "9"),
        answer("0", "*", "0", "复习"),
        extra="<units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit></units>",
    )
    result = parse_moodle_xml(data)

    spec = result.questions[0].spec
    assert spec.mark == 3
    assert [(a.text, a.fraction, a.feedback, a.tolerance) for a in spec.answers] == [
        ("1.5", D(1), "对", D("0.1")),
        ("2", D("0.5"), "接近", D("0.5")),
        ("*", D(0), "复习", D(0)),
    ]
    assert [(p.message, p.skipped) for p in result.problems] == [
        ("The answer '9' has the grade 150%, outside 0% to 100%; it was left out.", False),
        ("Not kept by this bank, so not imported: the units (answers are numbers without units here).", False),
    ]
    assert grade(spec, {"text": "1.6"}).score == D("3.0000")
    assert grade(spec, {"text": "2.5"}).score == D("1.5000")


def test_moodle_xml_writes_tolerance_inside_each_answer_and_a_description_worth_nothing():
    data = export_moodle_xml([ImportedQuestion(spec=SPEC), ImportedQuestion(spec=DESCRIPTION)]).decode()
    assert '<question type="numerical">' in data and '<question type="description">' in data
    assert "<text>3.14</text>" in data and "<tolerance>0.01</tolerance>" in data
    assert '<answer fraction="50"' in data and "<defaultgrade>0</defaultgrade>" in data


def test_excel_keeps_the_full_marks_answers_with_their_tolerance_and_names_the_rest():
    questions = [ImportedQuestion(spec=SPEC), ImportedQuestion(spec=DESCRIPTION)]
    messages = [p.message for p in excel_unexportable(questions)]
    assert len(messages) == 2
    assert "the answers worth part of the mark" in messages[0] and "the answers' feedback" in messages[0]
    assert messages[1] == "Excel cannot hold the title; the export leaves it out."
    back, description = (q.spec for q in parse_excel(export_excel(questions)).questions)
    assert [(a.text, a.fraction, a.tolerance) for a in back.answers] == [("3.14", D(1), D("0.01"))]
    assert back.mark == 2 and back.general_feedback == SPEC.general_feedback
    assert (description.qtype, description.mark) == (QuestionType.DESCRIPTION, 0)


@pytest.mark.parametrize(
    ("cell", "answers"),
    [
        ("3.14:0.01", [("3.14", D("0.01"))]),
        ("3.14±0.01", [("3.14", D("0.01"))]),
        ("1..5", [("3", D(2))]),
        ("１２", [("12", D(0))]),
        ("3.14:0.01|3", [("3.14", D("0.01")), ("3", D(0))]),
    ],
)
def test_excel_numerical_answer_cells(cell, answers):
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    workbook.active.append(["数值题", "多少？", "", "", "", "", "", "", cell, 1, "", ""])
    buffer = BytesIO()
    workbook.save(buffer)
    result = parse_excel(buffer.getvalue())
    assert result.problems == []
    assert [(a.text, a.tolerance) for a in result.questions[0].spec.answers] == answers
