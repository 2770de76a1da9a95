"""What the question-bank formats say to trainers can be translated: every message template is
marked for makemessages, translated() fills translated templates in again (nested parameters
too, file contents never), and the import pages show the messages in the trainer's language."""

import ast
import pickle
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import get_language, override
from openpyxl import Workbook
from wagtail.users.models import UserProfile

import quizzes.formats
from quizzes import format_messages
from quizzes.format_messages import translated, translated_problems
from quizzes.formats import (
    ImportedQuestion,
    ImportFormatError,
    decode_text,
    excel_unexportable,
    gift_unexportable,
    parse_excel,
    parse_gift,
    parse_moodle_xml,
)
from quizzes.formats.common import (
    Message,
    losses_message,
    losses_of,
    question_location,
    row_location,
    unsupported_type,
    weight_out_of_range,
)
from quizzes.formats.excel import HEADERS
from quizzes.specs import AnswerSpec, ChoiceSpec, MatchPairSpec, QuestionSpec, QuestionType, Scoring
from tests.factories.quizzes import user_with_permissions

SOURCES = sorted(Path(quizzes.formats.__file__).parent.glob("*.py"))
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# A few real translations (as they will be in the catalogue), for a fake gettext.
CHINESE = {
    "question %(number)s (line %(line)s)": "第 %(number)s 题（第 %(line)s 行）",
    "row %(row)s": "第 %(row)s 行",
    "A multiple-choice question needs at least one correct option.": "多选题至少需要一个正确选项。",
    "Type '%(name)s' is not supported.": "不支持题型“%(name)s”。",
    "The file contains binary data, not text.": "文件包含二进制数据，不是文本文件。",
    "%(format)s cannot hold %(details)s; the export leaves them out.": "%(format)s 无法保存%(details)s；导出时将其略去。",
    "%(first)s and %(last)s": "%(first)s和%(last)s",
    "%(first)s, %(rest)s": "%(first)s、%(rest)s",
    "the title": "标题",
    "the tags": "标签",
    "the option feedback": "选项反馈",
    "essay": "论述题",  # never asked for: "essay" is what the file said, not a message
}


def chinese_gettext(message: str) -> str:
    return CHINESE.get(message, message) if get_language() == "zh-hans" else message


def marked_gettext(message: str) -> str:
    return f"⟦{message}⟧"


# ---------------------------------------------------------------------------- collection


def message_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message"
    ]


def marked_literals() -> set[str]:
    literals = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "gettext_noop":
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant), ast.unparse(node)
                literals.add(node.args[0].value)
    return literals


def test_every_message_is_built_from_a_marked_literal_with_matching_placeholders():
    count = 0
    for source in SOURCES:
        for call in message_calls(ast.parse(source.read_text(encoding="utf-8"))):
            count += 1
            where = f"{source.name}:{call.lineno}"
            template = call.args[0] if call.args else None
            assert (
                isinstance(template, ast.Call)
                and isinstance(template.func, ast.Name)
                and template.func.id == "gettext_noop"
                and isinstance(template.args[0], ast.Constant)
                and isinstance(template.args[0].value, str)
            ), f"{where}: Message() needs gettext_noop('literal') as its template"
            text = template.args[0].value
            assert set(PLACEHOLDER.findall(text)) == {keyword.arg for keyword in call.keywords}, where
            assert "%" not in PLACEHOLDER.sub("", text).replace("%%", ""), f"{where}: a bare % in {text!r}"
    assert count >= 60  # the formats' messages, not just a handful


def test_no_bare_string_reaches_a_problem_or_a_format_error():
    """f-strings and plain literals cannot be translated; they must not be what people read."""
    raisers = {"QuestionProblem", "ImportFormatError", "_Refused"}
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in raisers:
                arguments = node.args[:1]
            elif name == "ImportProblem":
                arguments = node.args[:2]
            elif name == "append" and getattr(node.func.value, "id", None) in ("notes", "lost"):
                arguments = node.args
            else:
                continue
            for argument in arguments:
                assert not isinstance(argument, ast.Constant | ast.JoinedStr | ast.BinOp), (
                    f"{source.name}:{node.lineno}: {ast.unparse(node)}"
                )
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "location" for target in node.targets):
                assert not isinstance(node.value, ast.JoinedStr), f"{source.name}:{node.lineno}"


def extracted_msgids() -> set[str]:
    """What makemessages would collect from the package: xgettext with --keyword=gettext_noop."""
    if shutil.which("xgettext"):
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            [
                "xgettext",
                "--language=Python",
                "--keyword=gettext_noop",
                "--from-code=UTF-8",
                "--output=-",
                *map(str, SOURCES),
            ],
            capture_output=True,
            check=True,
        )
        catalogue = read_po(BytesIO(completed.stdout))
        return {message.id for message in catalogue if message.id}
    from babel.messages.extract import extract_from_file

    return {
        message
        for source in SOURCES
        for _line, message, _comments, _context in extract_from_file(
            "python", str(source), keywords={"gettext_noop": None}
        )
    }


def test_xgettext_collects_every_message_template():
    literals = marked_literals()
    assert {"Option %(letter)s has no text.", "row %(row)s", "question %(number)s (line %(line)s)"} <= literals
    assert literals <= extracted_msgids()


# ---------------------------------------------------------------------------- Message and translated()


def test_a_message_is_its_english_text():
    location = question_location(3, 25)
    assert location == "question 3 (line 25)" and isinstance(location, str)
    assert location.template == "question %(number)s (line %(line)s)" and location.params == {"number": 3, "line": 25}
    assert weight_out_of_range("150") == "The weight '150%' is outside the range -100% to 100%."
    restored = pickle.loads(pickle.dumps(location))  # noqa: S301 - our own data
    assert (restored, restored.template, restored.params) == (location, location.template, location.params)


def test_translated_fills_in_nested_messages_but_never_the_files_text(monkeypatch):
    monkeypatch.setattr(format_messages, "gettext", chinese_gettext)
    spec = QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="题干",
        name="口令",
        tags=("安全",),
        choices=(ChoiceSpec("a", "甲", True, "对"), ChoiceSpec("b", "乙")),
        scoring=Scoring.ALL_OR_NOTHING,
    )
    message = losses_message(losses_of(spec, excel=True), "Excel")
    assert message == "Excel cannot hold the title, the tags and the option feedback; the export leaves them out."
    with override("zh-hans"):
        assert translated(message) == "Excel 无法保存标题、标签和选项反馈；导出时将其略去。"
        assert translated(unsupported_type("essay")) == "不支持题型“essay”。"
        assert translated(row_location(7)) == "第 7 行"
        assert translated("") == ""
    with override("en"):
        assert translated(message) == str(message)


def test_translated_uses_the_real_catalogue():
    # "question %(number)s" was in the catalogue before the formats used it.
    with override("zh-hans"):
        assert translated(question_location(42)) == "第 42 题"
    with override("en"):
        assert translated(question_location(42)) == "question 42"


GIFT_WITH_PROBLEMS = """// every line below is a question the bank reads only in part, or not at all
::无答案::没有答案块的题目

括号不配对 } {

两个答案块 {=甲} 和 {=乙}

::标题没有结束 题目 {=甲 ~乙}

论述 {}

数值不是数字 {#abc}

数值没有答案 {#}

数值无满分 {#=%50%3}

数值容差不是数字 {#3:x}

匹配 {=甲 -> 乙 =丙 -> 丁}

匹配缺箭头 {=甲 -> 乙 =丙 -> 丁 =戊}

匹配缺答案 {=甲 -> 乙 =丙 -> = -> 戊}

没有正确选项 {~甲 ~乙}

权重超出范围 {~%150%甲 ~乙}

短答案有略去的答案 {=甲 =%-50%乙 =%150%丙 =甲 =%50% }

短答案无满分 {=%50%甲 =%0%*}

单选题部分得分 {=甲 ~%50%乙 ~丙}

权重不同 {~%70%甲 ~%30%乙 ~丙}

合计两倍 {~%100%甲 ~%100%乙 ~丙}

单选无满分 {=%50%甲 ~乙}

空选项 {=甲 ~}

没有可接受答案 {= }

两个正确选项 {=甲 =乙 ~丙}
"""

MOODLE_WITH_PROBLEMS = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="calculated"><questiontext><text>A</text></questiontext></question>
  <question type="essay"><questiontext><text>A2</text></questiontext><responseformat>editor</responseformat>
    <attachments>1</attachments><maxwordlimit>300</maxwordlimit>
    <responsetemplate><text>template</text></responsetemplate></question>
  <question><questiontext><text>B</text></questiontext></question>
  <question type="multichoice"><questiontext><text>C</text></questiontext><defaultgrade>x</defaultgrade></question>
  <question type="multichoice"><questiontext><text>D</text></questiontext>
    <answer fraction="y"><text>a</text></answer></question>
  <question type="truefalse"><questiontext><text>E</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="100"><text>false</text></answer></question>
  <question type="shortanswer"><questiontext><text>F <file name="a.png"/></text></questiontext>
    <answer fraction="100"><text>f</text><feedback><text>well done</text></feedback></answer></question>
  <question type="multichoice"><questiontext><text></text></questiontext>
    <answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
  <question type="multichoice"><questiontext><text>G</text></questiontext><defaultgrade>0</defaultgrade>
    <answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
  <question type="ordering"><questiontext><text>H</text></questiontext>
    <answer fraction="1"><text>a</text></answer></question>
  <question type="multichoice"><questiontext><text>I</text><file name="b.png" encoding="base64">*</file></questiontext>
    <image>old.png</image><idnumber>Q9</idnumber><hint><text>think</text></hint>
    <correctfeedback><text>yes</text></correctfeedback>
    <answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>
  <question type="numerical"><questiontext><text>J</text></questiontext>
    <answer fraction="100"><text>3</text><tolerance>1</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units></question>
  <question type="matching"><questiontext><text>J</text></questiontext><shuffleanswers>false</shuffleanswers>
    <subquestion><text>a</text><answer><text>1</text></answer></subquestion>
    <subquestion><text>b</text><answer><text>2</text></answer></subquestion>
    <subquestion><text></text><answer><text>3</text></answer></subquestion></question>
</quiz>
"""


def excel_with_problems() -> bytes:
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    for row in [
        ["", "没有题型", "", "", "", "", "", "", "A", 1, "", ""],
        ["完形填空", "未知题型", "", "", "", "", "", "", "A", 1, "", ""],
        ["单选题", "", "甲", "乙", "", "", "", "", "A", 1, "", ""],
        ["单选题", "没有答案", "甲", "乙", "", "", "", "", "", 1, "", ""],
        ["判断题", "答案不对", "", "", "", "", "", "", "也许", 1, "", ""],
        ["单选题", "只有一个选项", "甲", "", "", "", "", "", "A", 1, "", ""],
        ["单选题", "两个答案", "甲", "乙", "", "", "", "", "AB", 1, "", ""],
        ["单选题", "答案不是字母", "甲", "乙", "", "", "", "", "1", 1, "", ""],
        ["单选题", "答案超出选项", "甲", "乙", "", "", "", "", "Z", 1, "", ""],
        ["排序题", "顺序不全", "甲", "乙", "丙", "", "", "", "AB", 1, "", ""],
        ["单选题", "选项有空缺", "甲", "", "丙", "", "", "", "A", 1, "", ""],
        ["单选题", "分值不是数字", "甲", "乙", "", "", "", "", "A", "很多", "", ""],
        ["单选题", "分值为零", "甲", "乙", "", "", "", "", "A", 0, "", ""],
        ["多选题", "没有正确选项", "甲", "乙", "", "", "", "", "", 1, "", ""],
        ["匹配题", "答案不够", "甲", "乙", "", "", "", "", "1", 1, "", ""],
    ]:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel_without_header() -> bytes:
    workbook = Workbook()
    workbook.active.append(["单选题", "没有表头", "甲", "乙"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unexportable_questions() -> list[ImportedQuestion]:
    choices = tuple(ChoiceSpec(chr(ord("a") + i), f"选项{i}", i == 0, "反馈") for i in range(7))
    pairs = (MatchPairSpec("a", "甲", "1|2"), MatchPairSpec("b", "乙", "2"), MatchPairSpec("c", "", "3"))
    return [
        ImportedQuestion(QuestionSpec(qtype=QuestionType.MATCHING, stem="匹配", pairs=pairs)),
        ImportedQuestion(QuestionSpec(qtype=QuestionType.ORDERING, stem="排序", choices=choices[:3])),
        ImportedQuestion(
            QuestionSpec(qtype=QuestionType.ESSAY, stem="论述", grader_info="<p>要点</p>", response_max_length=300)
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="部分得分",
                choices=(ChoiceSpec("a", "甲", True, fraction=Decimal(1)), ChoiceSpec("b", "乙", fraction=Decimal("0.5"))),
            )
        ),
        ImportedQuestion(QuestionSpec(qtype=QuestionType.SINGLE, stem="七个选项", choices=choices, name="标题")),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="多选",
                choices=choices[:3],
                scoring=Scoring.ALL_OR_NOTHING,
                mark=Decimal(2),
                name="标题",
                tags=("标签",),
            )
        ),
        ImportedQuestion(
            QuestionSpec(qtype=QuestionType.MULTIPLE, stem="多选", choices=choices[:3], scoring=Scoring.PARTIAL)
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="填空",
                accepted_answers=("a|b",),
                case_sensitive=True,
                mark=Decimal(3),
            )
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="计分答案",
                answers=(AnswerSpec("甲", Decimal(1)), AnswerSpec("*", Decimal(0), "再想想")),
            )
        ),
        ImportedQuestion(
            QuestionSpec(qtype=QuestionType.DESCRIPTION, stem="说明", mark=Decimal(0), general_feedback="反馈")
        ),
    ]


def all_problems():
    return [
        *parse_gift(GIFT_WITH_PROBLEMS).problems,
        *parse_moodle_xml(MOODLE_WITH_PROBLEMS).problems,
        *parse_excel(excel_with_problems()).problems,
        *gift_unexportable(unexportable_questions()),
        *excel_unexportable(unexportable_questions()),
    ]


def format_errors() -> list[ImportFormatError]:
    attempts = [
        lambda: decode_text(b"\xef\xbb\xbf\xff\xfe"),
        lambda: decode_text(b"\xff\xfe\x00\xd8"),
        lambda: decode_text(b"\x81"),
        lambda: decode_text(b"abc\x00"),
        lambda: decode_text(b"\xff", "utf-8"),
        lambda: parse_excel(b"not a zip"),
        lambda: parse_excel(excel_without_header()),
        lambda: parse_moodle_xml(b"<quiz><question"),
        lambda: parse_moodle_xml(b'<!DOCTYPE quiz [<!ENTITY a "b">]><quiz/>'),
        lambda: parse_moodle_xml(b"<?xml version='1.0' encoding='klingon'?><quiz/>"),
        lambda: parse_moodle_xml(b"   "),
        lambda: parse_moodle_xml(b"<html/>"),
        lambda: parse_moodle_xml(b"<quiz>" + b"<a>" * 120 + b"</a>" * 120 + b"</quiz>"),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(ImportFormatError) as caught:
            attempt()
        errors.append(caught.value)
    return errors


def templates_in(message) -> set[str]:
    if not isinstance(message, Message):
        return set()
    return {message.template}.union(*(templates_in(value) for value in message.params.values()))


def test_the_examples_below_reach_every_message_template():
    """So that the next test really covers every message the formats can produce."""
    reached = set()
    for problem in all_problems():
        reached |= templates_in(problem.location) | templates_in(problem.message)
    for error in format_errors():
        reached |= templates_in(error.message)
    # An ENTITY can only be declared in a DOCTYPE, which is refused first; the check stays as a safeguard.
    assert marked_literals() - reached == {"The XML file declares an entity (line %(line)s), which is not allowed."}


def test_every_problem_and_format_error_the_formats_produce_goes_through_gettext(monkeypatch):
    monkeypatch.setattr(format_messages, "gettext", marked_gettext)
    problems = all_problems()
    assert len(problems) >= 40
    for problem in problems:
        assert isinstance(problem.location, Message) and isinstance(problem.message, Message), problem
        assert translated(problem.location).startswith("⟦") and translated(problem.message).startswith("⟦"), problem
    errors = format_errors()
    assert len({error.message.template for error in errors}) == len(errors)  # each a different message
    for error in errors:
        assert isinstance(error.message, Message) and str(error) == error.message, error
        assert translated(error.message).startswith("⟦")


def test_in_english_the_translated_messages_are_the_formats_own_text():
    with override("en"):
        for problem in all_problems():
            assert translated(problem.location) == problem.location
            assert translated(problem.message) == problem.message
        for error in format_errors():
            assert translated(error.message) == str(error)


def test_translated_problems_keeps_skipped():
    [problem] = parse_gift("论述{=甲").problems  # without braces it would be a description
    with override("en"):
        assert translated_problems([problem]) == [
            {
                "location": "question 1 (line 1)",
                "message": "The braces { } of the answer block do not match.",
                "skipped": True,
            }
        ]


# ---------------------------------------------------------------------------- the import pages


@pytest.fixture
def chinese_trainer_client(client, db, file_roots, monkeypatch):
    trainer = user_with_permissions("add_question", username="zh-trainer")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(trainer)
    # The catalogue is merged later; a fake that answers only in Chinese shows the request's
    # language is active when the formats' messages are translated.
    monkeypatch.setattr(format_messages, "gettext", chinese_gettext)
    return client


GIFT = """$CATEGORY: $course$/top/信息安全

::口令::下列哪个口令最安全？{
=Xq7-v9Lp2!mZ
~123456
}

没有正确答案的题目 {~甲 ~乙}
"""


def upload(client, content: bytes, name: str):
    return client.post(
        reverse("quizzes_admin:import"), {"file": SimpleUploadedFile(name, content), "use_file_categories": "on"}
    )


def test_the_dry_run_shows_problems_and_locations_in_the_trainers_language(chinese_trainer_client):
    response = upload(chinese_trainer_client, GIFT.encode(), "bank.gift")
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 题（第 8 行）" in page and "多选题至少需要一个正确选项。" in page
    assert "第 1 题（第 3 行）" in page  # where the importable question is
    assert "A multiple-choice question" not in page and "question 2 (line 8)" not in page


def test_excel_row_locations_are_translated(chinese_trainer_client):
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    workbook.active.append(["完形填空", "未知题型", "", "", "", "", "", "", "A", 1, "", ""])
    buffer = BytesIO()
    workbook.save(buffer)
    page = upload(chinese_trainer_client, buffer.getvalue(), "bank.xlsx").content.decode()
    assert "第 2 行" in page and "row 2" not in page


def test_an_unreadable_file_is_reported_in_the_trainers_language(chinese_trainer_client):
    response = upload(chinese_trainer_client, b"abc\x00def", "bank.gift")
    assert response.status_code == 200
    page = response.content.decode()
    # The upload check (privatefiles.uploads) refuses it before any parser reads it.
    assert "该文件不是真正的 GIFT 文件：内容与文件名不符。" in page and "not a real" not in page


def test_a_kept_file_that_became_unreadable_is_reported_in_the_trainers_language(chinese_trainer_client, tmp_path):
    response = upload(chinese_trainer_client, GIFT.encode(), "bank.gift")
    token = response.context["confirm_form"].initial["token"]
    (tmp_path / "private" / "question-imports" / f"{token}.bin").write_bytes(b"abc\x00def")
    response = chinese_trainer_client.post(
        reverse("quizzes_admin:import_confirm"), {"token": token, "use_file_categories": "True"}, follow=True
    )
    page = response.content.decode()
    assert "文件包含二进制数据，不是文本文件。" in page and "binary data" not in page
