"""Matching questions through GIFT, Moodle XML and Excel (issue 14 item 2): the pairs, the extra
answers and the sub-questions' HTML survive a round trip and grade the same; what Moodle's edit
form refuses (fewer than 2 sub-questions or 3 answers) is refused by the dry run, the rest kept."""

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
from quizzes.formats.common import MATCHING_TOO_FEW
from quizzes.formats.excel import excel_unexportable
from quizzes.formats.gift import gift_unexportable
from quizzes.grading import grade
from quizzes.specs import MatchPairSpec, QuestionSpec, QuestionType, match_answer_key

D = Decimal

SPEC = QuestionSpec(
    qtype=QuestionType.MATCHING,
    stem="<p>把法律与施行年份配对。</p>",
    pairs=(
        MatchPairSpec("a", "<p>网络安全法</p>", "2017"),
        MatchPairSpec("b", "<p><strong>数据</strong>安全法</p>", "2021年9月1日"),
        MatchPairSpec("c", "<p>个人信息保护法</p>", "2021年11月1日"),
        MatchPairSpec("d", "", "2000 = 千禧年 {#~}"),
    ),
    general_feedback="<p>见第三章。</p>",
)

RESPONSES = [
    {},
    {"a": "2017", "b": "2021年9月1日", "c": "2021年11月1日"},
    {"a": "2017", "b": "2021年11月1日"},
    {"a": "2000 = 千禧年 {#~}", "c": "2021年11月1日"},
]


def response_for(spec, by_text):
    keys = {pair.key: pair for pair in spec.pairs}
    # The same sub-question is found by its position among the asked ones (keys differ per format).
    asked = [pair for pair in spec.pairs if pair.text]
    original = [pair for pair in SPEC.pairs if pair.text]
    matches = {}
    for pair, source in zip(asked, original, strict=True):
        if source.key in by_text:
            matches[pair.key] = match_answer_key(by_text[source.key])
    assert all(key in keys for key in matches)
    return {"matches": matches}


def plain_pairs(spec):
    from quizzes.question_html import html_to_plain

    return sorted((html_to_plain(pair.text), pair.answer) for pair in spec.pairs)


@pytest.mark.parametrize(
    ("export", "parse"),
    [(export_moodle_xml, parse_moodle_xml), (export_gift, parse_gift), (export_excel, parse_excel)],
    ids=["moodle_xml", "gift", "excel"],
)
def test_pairs_round_trip_and_grade_the_same(export, parse):
    data = export([ImportedQuestion(spec=SPEC)])
    result = parse(data if isinstance(data, bytes) and parse is not parse_gift else data)

    assert [p for p in result.problems if p.skipped] == []
    back = result.questions[0].spec
    assert back.qtype == QuestionType.MATCHING
    assert plain_pairs(back) == plain_pairs(SPEC)
    if parse is not parse_excel:  # Excel writes the extra answers after the sub-questions
        assert [pair.answer for pair in back.pairs] == [pair.answer for pair in SPEC.pairs]
    assert "<strong>数据</strong>" in back.pairs[1].text  # the sub-question's formatting is kept
    for by_text in RESPONSES:
        assert grade(back, response_for(back, by_text)).score == grade(SPEC, response_for(SPEC, by_text)).score


def test_exports_name_nothing_lost_but_what_the_format_cannot_hold():
    items = [ImportedQuestion(spec=SPEC)]
    assert gift_unexportable(items) == []
    assert excel_unexportable(items) == []
    with_bar = QuestionSpec(
        qtype=QuestionType.MATCHING, stem="s", pairs=(*SPEC.pairs[:3], MatchPairSpec("d", "", "是|否"))
    )
    [problem] = excel_unexportable([ImportedQuestion(spec=with_bar)])
    assert "matching answers containing | or ;" in problem.message and not problem.skipped


MOODLE_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="matching">
  <name><text>法律年份</text></name>
  <questiontext format="html"><text><![CDATA[<p>配对</p>]]></text></questiontext>
  <defaultgrade>3.0000000</defaultgrade>
  <shuffleanswers>0</shuffleanswers>
  <subquestion format="html"><text><![CDATA[<p>网络安全法</p>]]></text><answer><text>2017</text></answer></subquestion>
  <subquestion format="html"><text><![CDATA[<p>数据安全法</p>]]></text><answer><text>2021</text></answer></subquestion>
  <subquestion format="html"><text></text><answer><text>2000</text></answer></subquestion>
</question>
<question type="matching">
  <name><text>太少</text></name>
  <questiontext format="html"><text>配对</text></questiontext>
  <subquestion format="html"><text>网络安全法</text><answer><text>2017</text></answer></subquestion>
  <subquestion format="html"><text>数据安全法</text><answer><text>2021</text></answer></subquestion>
</question>
<question type="matching">
  <name><text>缺答案</text></name>
  <questiontext format="html"><text>配对</text></questiontext>
  <subquestion format="html"><text>网络安全法</text><answer><text>2017</text></answer></subquestion>
  <subquestion format="html"><text>数据安全法</text><answer><text></text></answer></subquestion>
  <subquestion format="html"><text></text><answer><text>2000</text></answer></subquestion>
</question>
</quiz>
"""


def test_moodle_xml_keeps_what_it_can_and_refuses_what_moodle_refuses():
    result = parse_moodle_xml(MOODLE_FILE.encode())

    [question] = result.questions
    assert question.spec.mark == D(3) and question.spec.name == "法律年份"
    assert [(p.text, p.answer) for p in question.spec.pairs] == [
        ("<p>网络安全法</p>", "2017"),
        ("<p>数据安全法</p>", "2021"),
        ("", "2000"),
    ]
    messages = [(str(p.location), p.message, p.skipped) for p in result.problems]
    assert any("not to shuffle the sub-questions" in m and not skipped for _l, m, skipped in messages)
    assert any("question 2" in loc and m == MATCHING_TOO_FEW and skipped for loc, m, skipped in messages)
    assert any("question 3" in loc and "'数据安全法' has no answer" in m and skipped for loc, m, skipped in messages)


@pytest.mark.parametrize(
    ("gift", "pairs"),
    [
        (
            "::年份:: 配对 { =网络安全法 -> 2017 =数据安全法 -> 2021 = -> 2000 }",
            [("网络安全法", "2017"), ("数据安全法", "2021"), ("", "2000")],
        ),
        # Moodle's own example, one pair a line; "->" only splits once.
        (
            "Match.{\n=subquestion1 -> subanswer1\n=subquestion2 -> subanswer2\n=subquestion3 -> a->b\n}",
            [("subquestion1", "subanswer1"), ("subquestion2", "subanswer2"), ("subquestion3", "a->b")],
        ),
    ],
)
def test_gift_reads_moodle_matching(gift, pairs):
    from quizzes.question_html import html_to_plain

    result = parse_gift(gift)
    assert result.problems == []
    assert [(html_to_plain(p.text), p.answer) for p in result.questions[0].spec.pairs] == pairs


@pytest.mark.parametrize(
    "gift",
    ["配对 { =网络安全法 -> 2017 =数据安全法 -> 2021 }", "配对 { =网络安全法 -> 2017 = -> 2021 = -> 2000 }"],
)
def test_gift_refuses_fewer_than_two_sub_questions_or_three_answers(gift):
    result = parse_gift(gift + "\n\n好题 {=网络安全法 -> 2017 =数据安全法 -> 2021 =个人信息保护法 -> 2021}")
    assert [p.message for p in result.problems] == [MATCHING_TOO_FEW]
    assert len(result.questions) == 1  # the rest of the file is kept


def test_excel_reads_options_as_sub_questions_and_answers_in_order():
    from openpyxl import Workbook

    from quizzes.formats.excel import HEADERS, _save

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    sheet.append(
        ["匹配题", "配对", "网络安全法", "数据安全法", None, None, None, None, "2017|2021|2000", 2, None, "法律"]
    )
    sheet.append(["匹配题", "配对", "网络安全法", "数据安全法", None, None, None, None, "2017", 2, None, "法律"])
    result = parse_excel(_save(workbook))

    [question] = result.questions
    assert [(p.text, p.answer) for p in question.spec.pairs] == [
        ("网络安全法", "2017"),
        ("数据安全法", "2021"),
        ("", "2000"),
    ]
    [problem] = result.problems
    assert problem.skipped and "A–B" in problem.message
