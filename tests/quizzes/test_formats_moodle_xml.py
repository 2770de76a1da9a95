from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree as ET  # noqa: S405 - reads our own export in a test

import pytest

from quizzes.formats import ImportedQuestion, ImportFormatError, ImportProblem, export_moodle_xml, parse_moodle_xml
from quizzes.formats.common import true_false_choices
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring

BANK = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for 信息安全培训/口令安全</text>
    </category>
    <info format="moodle_auto_format"><text></text></info>
  </question>
  <question type="multichoice">
    <name><text>强口令</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>下列哪个口令最符合<strong>强口令</strong>要求？</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>强口令应足够长。</p>]]></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="0" format="html">
      <text>123456</text>
      <feedback format="html"><text>最常见的弱口令。</text></feedback>
    </answer>
    <answer fraction="100" format="html">
      <text><![CDATA[Zq7#xV!p2m & <更多>]]></text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <tags>
      <tag><text>口令</text></tag>
      <tag><text>基础</text></tag>
    </tags>
  </question>
  <question type="multichoice">
    <name><text>敏感信息</text></name>
    <questiontext format="html"><text>以下哪些属于个人敏感信息？</text></questiontext>
    <defaultgrade>1</defaultgrade>
    <single>false</single>
    <answer fraction="50"><text>身份证号码</text></answer>
    <answer fraction="50"><text>银行账户</text></answer>
    <answer fraction="-100"><text>单位公开电话</text><feedback><text>这是公开信息。</text></feedback></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/Default for 信息安全培训/保密管理</text></category>
  </question>
  <question type="truefalse">
    <name><text>涉密上网</text></name>
    <questiontext format="moodle_auto_format"><text>涉密计算机可以连接互联网。</text></questiontext>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html"><text>涉密计算机严禁连接互联网。</text></feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html"><text>正确。</text></feedback>
    </answer>
  </question>
  <question type="shortanswer">
    <name><text>网安法</text></name>
    <questiontext format="html"><text>《网络安全法》的英文缩写是____。</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>CSL</text><feedback><text></text></feedback></answer>
    <answer fraction="100"><text>CL</text></answer>
  </question>
  <question type="ordering">
    <name><text>应急响应</text></name>
    <questiontext format="html"><text>请按顺序排列应急响应的步骤。</text></questiontext>
    <layouttype>VERTICAL</layouttype>
    <selecttype>ALL</selecttype>
    <selectcount>0</selectcount>
    <gradingtype>ALL_OR_NOTHING</gradingtype>
    <showgrading>SHOW</showgrading>
    <answer fraction="1.0000000" format="moodle_auto_format"><text>检测与报告</text></answer>
    <answer fraction="2.0000000" format="moodle_auto_format"><text>遏制</text></answer>
    <answer fraction="3.0000000" format="moodle_auto_format"><text>根除</text></answer>
    <answer fraction="4.0000000" format="moodle_auto_format"><text>恢复</text></answer>
  </question>
</quiz>
"""


def test_a_realistic_moodle_export_reads_every_supported_type():
    result = parse_moodle_xml(BANK.encode())

    assert result.problems == []
    assert [(q.category, q.location) for q in result.questions] == [
        ("Default for 信息安全培训/口令安全", "question 1 (line 10)"),
        ("Default for 信息安全培训/口令安全", "question 2 (line 35)"),
        ("Default for 信息安全培训/保密管理", "question 3 (line 47)"),
        ("Default for 信息安全培训/保密管理", "question 4 (line 59)"),
        ("Default for 信息安全培训/保密管理", "question 5 (line 66)"),
    ]
    single, multiple, true_false, fill_blank, ordering = (q.spec for q in result.questions)
    assert single == QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="<p>下列哪个口令最符合<strong>强口令</strong>要求？</p>",
        mark=Decimal(2),
        choices=(
            ChoiceSpec(key="a", text="123456", feedback="最常见的弱口令。"),
            ChoiceSpec(key="b", text="Zq7#xV!p2m & <更多>", correct=True),
        ),
        general_feedback="<p>强口令应足够长。</p>",
        name="强口令",
        tags=("口令", "基础"),
    )
    assert multiple == QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="以下哪些属于个人敏感信息？",
        choices=(
            ChoiceSpec(key="a", text="身份证号码", correct=True),
            ChoiceSpec(key="b", text="银行账户", correct=True),
            ChoiceSpec(key="c", text="单位公开电话", feedback="这是公开信息。", penalty=Decimal(1)),
        ),
        scoring=Scoring.PARTIAL,
        name="敏感信息",
    )
    assert true_false == QuestionSpec(
        qtype=QuestionType.TRUE_FALSE,
        stem="涉密计算机可以连接互联网。",
        choices=true_false_choices(False, true_feedback="涉密计算机严禁连接互联网。", false_feedback="正确。"),
        name="涉密上网",
    )
    assert fill_blank == QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="《网络安全法》的英文缩写是____。",
        accepted_answers=("CSL", "CL"),
        case_sensitive=True,
        name="网安法",
    )
    assert ordering == QuestionSpec(
        qtype=QuestionType.ORDERING,
        stem="请按顺序排列应急响应的步骤。",
        choices=tuple(
            ChoiceSpec(key=key, text=text)
            for key, text in zip("abcd", ["检测与报告", "遏制", "根除", "恢复"], strict=True)
        ),
        name="应急响应",
    )


def question(qtype: str, body: str = "", text: str = "题干") -> str:
    return f'<question type="{qtype}"><name><text>{qtype}</text></name><questiontext><text>{text}</text></questiontext>{body}</question>'


def quiz(*questions: str) -> bytes:
    return ("<quiz>\n" + "\n".join(questions) + "\n</quiz>").encode()


GOOD_SINGLE = '<answer fraction="100"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer>'


def test_unsupported_types_are_reported_and_the_other_questions_still_import():
    data = quiz(
        question("calculated", text="简述等级保护的五个级别。"),
        question("multichoice", GOOD_SINGLE),
        question("matching"),
        question("numerical", '<answer fraction="100"><text>3</text></answer>'),
        question("cloze"),
        question("description"),
        question(
            "truefalse",
            '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>',
        ),
    )

    result = parse_moodle_xml(data)

    # Numerical and description are read since issue 14.
    assert [q.spec.qtype for q in result.questions] == [
        QuestionType.SINGLE,
        QuestionType.NUMERICAL,
        QuestionType.DESCRIPTION,
        QuestionType.TRUE_FALSE,
    ]
    assert [q.location for q in result.questions] == [
        "question 2 (line 3)",
        "question 4 (line 5)",
        "question 6 (line 7)",
        "question 7 (line 8)",
    ]
    assert [str(p) for p in result.problems] == [
        "Question 1 (line 2): Type 'calculated' is not supported.",
        "Question 3 (line 4): A matching question needs at least 2 sub-questions and 3 answers (extra answers may have no sub-question).",
        "Question 5 (line 6): Type 'cloze' is not supported.",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<single>true</single><answer fraction="100"><text>甲</text></answer>',
            "A choice question needs at least two options.",
        ),
        (
            '<single>true</single><answer fraction="50"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer>',
            "A single-choice question needs at least one option worth full marks.",
        ),
        (
            '<single>false</single><answer fraction="100"><text>甲</text></answer><answer fraction="100"><text>乙</text></answer>',
            "The correct options' grades add up to 200%; as in Moodle, they must add up to 100%.",
        ),
        (
            '<single>false</single><answer fraction="50"><text>甲</text></answer><answer fraction="40"><text>乙</text></answer>'
            '<answer fraction="-100"><text>丙</text></answer>',
            "The correct options' grades add up to 90%; as in Moodle, they must add up to 100%.",
        ),
        (
            '<single>false</single><answer fraction="0"><text>甲</text></answer><answer fraction="-50"><text>乙</text></answer>',
            "A multiple-choice question needs at least one correct option.",
        ),
        ('<answer fraction="abc"><text>甲</text></answer>', "The fraction 'abc' is not a number."),
        ("<defaultgrade>两分</defaultgrade>" + GOOD_SINGLE, "The default grade '两分' is not a number."),
        ("<defaultgrade>0</defaultgrade>" + GOOD_SINGLE, "The score must be a positive number."),
        (
            '<answer fraction="100"><text>甲</text></answer><answer fraction="0"><text></text></answer>',
            "Option B has no text.",
        ),
    ],
)
def test_broken_choice_questions_are_skipped_with_a_clear_message(body, message):
    result = parse_moodle_xml(quiz(question("multichoice", body)))

    assert result.questions == []
    assert result.problems == [ImportProblem("question 1 (line 2)", message)]


def test_other_broken_questions_are_skipped_with_a_clear_message():
    data = quiz(
        question("multichoice", GOOD_SINGLE, text=""),
        question(
            "truefalse",
            '<answer fraction="100"><text>true</text></answer><answer fraction="100"><text>false</text></answer>',
        ),
        question("shortanswer", '<answer fraction="50"><text>政务</text></answer>'),
        question("ordering", "<answer><text>唯一一项</text></answer>"),
    )

    result = parse_moodle_xml(data)

    assert result.questions == []
    assert [str(p) for p in result.problems] == [
        "Question 1 (line 2): The question has no text.",
        "Question 2 (line 3): A true/false question needs exactly one correct answer (fraction 100).",
        "Question 3 (line 4): A fill-in-the-blank question needs at least one answer worth full marks.",
        "Question 4 (line 5): An ordering question needs at least two items.",
    ]


def test_short_answer_grades_feedback_and_wildcards_arrive_intact():
    data = quiz(
        question(
            "shortanswer",
            '<answer fraction="100"><text>政务外网</text><feedback><text>对</text></feedback></answer>'
            '<answer fraction="50"><text>外网</text></answer>',
        ),
        question("multichoice", GOOD_SINGLE, text='<![CDATA[<p>看图：<img src="@@PLUGINFILE@@/a.png"></p>]]>').replace(
            "</questiontext>", '<file name="a.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext>'
        ),
        question("shortanswer", '<answer fraction="100"><text>政务*</text></answer>'),
    )

    result = parse_moodle_xml(data)

    assert [q.spec.qtype for q in result.questions] == [
        QuestionType.FILL_BLANK,
        QuestionType.SINGLE,
        QuestionType.FILL_BLANK,
    ]
    # Partial credit, answer feedback and the * wildcard are kept as Moodle means them (issue 14).
    assert result.questions[0].spec.accepted_answers == ()
    assert [(a.text, a.fraction, a.feedback) for a in result.questions[0].spec.answers] == [
        ("政务外网", Decimal(1), "对"),
        ("外网", Decimal("0.5"), ""),
    ]
    assert [(a.text, a.fraction) for a in result.questions[2].spec.answers] == [("政务*", Decimal(1))]
    assert result.problems == []


def test_html_written_without_cdata_is_kept_as_html():
    data = quiz(question("multichoice", GOOD_SINGLE, text="<p>哪一项是<b>正确</b>的？</p>"))

    assert parse_moodle_xml(data).questions[0].spec.stem == "<p>哪一项是<b>正确</b>的？</p>"


def test_old_files_without_true_false_texts_rely_on_the_answer_order():
    body = '<answer fraction="0"><text>对</text></answer><answer fraction="100"><text>错</text></answer>'

    spec = parse_moodle_xml(quiz(question("truefalse", body))).questions[0].spec

    assert spec.choices == true_false_choices(False)


def test_multichoiceset_is_all_or_nothing_multiple_choice():
    body = '<answer fraction="100"><text>SM2</text></answer><answer fraction="100"><text>SM4</text></answer><answer fraction="0"><text>MD5</text></answer>'

    spec = parse_moodle_xml(quiz(question("multichoiceset", body))).questions[0].spec

    assert spec.qtype == QuestionType.MULTIPLE
    assert spec.scoring == Scoring.ALL_OR_NOTHING
    assert [c.correct for c in spec.choices] == [True, True, False]


def test_malformed_xml_is_refused_with_its_line():
    data = b"<quiz>\n  <question type='truefalse'>\n    <name><text>x</name>\n</quiz>"

    with pytest.raises(
        ImportFormatError, match=r"^The file is not well-formed XML: mismatched tag \(line 3, column 20\)\.$"
    ):
        parse_moodle_xml(data)


@pytest.mark.parametrize(
    "data",
    [
        # "Billion laughs": nested entities that would expand to gigabytes.
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">\n'
        b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<quiz><question type="essay"><name><text>&lol3;</text></name></question></quiz>',
        # External entity reading a local file.
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<quiz>&xxe;</quiz>',
        # A plain DOCTYPE is refused too.
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "quiz.dtd">\n<quiz></quiz>',
    ],
)
def test_a_doctype_or_entity_declaration_is_refused_before_anything_is_expanded(data):
    with pytest.raises(
        ImportFormatError, match=r"^The XML file contains a DOCTYPE declaration \(line 2\), which is not allowed\.$"
    ):
        parse_moodle_xml(data)


def test_an_undeclared_entity_is_malformed_xml():
    with pytest.raises(ImportFormatError, match="undefined entity"):
        parse_moodle_xml(b"<quiz>&xxe;</quiz>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"<html><body>not a quiz</body></html>",
            "This is not a Moodle XML question file: the root element is <html>, not <quiz>.",
        ),
        (b'<?xml version="1.0" encoding="klingon"?><quiz/>', "The XML file declares an unknown encoding 'klingon'."),
        (b"\x00\x01\x02PK", "The file contains binary data, not text."),
    ],
)
def test_files_that_are_not_question_files_are_refused(data, message):
    with pytest.raises(ImportFormatError) as error:
        parse_moodle_xml(data)

    assert str(error.value) == message


def test_gbk_encoded_files_are_read_whether_declared_or_not():
    text = (
        '<?xml version="1.0" encoding="GBK"?>\n<quiz>'
        + question("multichoice", GOOD_SINGLE, text="政务云安全")
        + "</quiz>"
    )
    undeclared = text.replace(' encoding="GBK"', "")

    declared_result = parse_moodle_xml(text.encode("gbk"))
    undeclared_result = parse_moodle_xml(undeclared.encode("gbk"))
    bom_result = parse_moodle_xml(b"\xef\xbb\xbf" + text.encode("utf-8"))

    assert declared_result.questions[0].spec.stem == "政务云安全"
    assert undeclared_result.questions[0].spec.stem == "政务云安全"
    assert bom_result.questions[0].spec.stem == "政务云安全"


def round_trip_cases() -> list[ImportedQuestion]:
    return [
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem='<p>下列哪个网址可能是<a href="https://a.example?x=1&amp;y=2">钓鱼</a>网站？</p>',
                mark=Decimal("1.5"),
                choices=(
                    ChoiceSpec(key="a", text="https://www.gov.cn"),
                    ChoiceSpec(
                        key="b", text="http://gov-cn.login.com & <b>", correct=True, feedback="仿冒域名 ]]> 注意"
                    ),
                ),
                general_feedback="看清主域名。",
                name="钓鱼网站",
                tags=("钓鱼", "网址"),
            ),
            category="信息安全/钓鱼邮件",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些属于政务数据安全管理措施？\n（多选）",
                choices=(
                    ChoiceSpec(key="a", text="数据分类分级", correct=True),
                    ChoiceSpec(key="b", text="访问权限控制", correct=True),
                    ChoiceSpec(key="c", text="日志审计", correct=True),
                    ChoiceSpec(key="d", text="共享管理员账号", feedback="违反最小权限原则。"),
                    ChoiceSpec(key="e", text="公开数据库口令", penalty=Decimal("0.5")),
                    ChoiceSpec(key="f", text="关闭杀毒软件", penalty=Decimal(0)),
                ),
                scoring=Scoring.PARTIAL,
            ),
            category="信息安全/数据安全",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些是国产商用密码算法？",
                mark=Decimal(3),
                choices=(
                    ChoiceSpec(key="a", text="SM2", correct=True),
                    ChoiceSpec(key="b", text="SM4", correct=True),
                    ChoiceSpec(key="c", text="MD5", feedback="MD5 不是国密算法。"),
                ),
            ),
            category="信息安全/数据安全",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.TRUE_FALSE,
                stem="政务服务“好差评”制度允许群众对办事服务进行评价。",
                choices=true_false_choices(True, true_feedback="是的。", false_feedback="该制度已全面推行。"),
            ),
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="我国政务服务平台的统一入口是____。",
                accepted_answers=("国家政务服务平台", "gjzwfw.gov.cn"),
                case_sensitive=True,
                general_feedback="网址为 gjzwfw.gov.cn。",
            ),
            category="电子政务",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.ORDERING,
                stem="请按顺序排列应急响应的步骤。",
                mark=Decimal(2),
                choices=(
                    ChoiceSpec(key="a", text="检测与报告"),
                    ChoiceSpec(key="b", text="遏制", feedback="先控制影响范围。"),
                    ChoiceSpec(key="c", text="根除"),
                    ChoiceSpec(key="d", text="恢复"),
                ),
                scoring=Scoring.PARTIAL,
            ),
            category="电子政务",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.ORDERING,
                stem="请按时间先后排列以下法律的施行时间。",
                choices=(
                    ChoiceSpec(key="a", text="网络安全法"),
                    ChoiceSpec(key="b", text="数据安全法"),
                    ChoiceSpec(key="c", text="个人信息保护法"),
                ),
            ),
            category="电子政务",
        ),
    ]


def test_exporting_then_parsing_gives_back_the_same_questions():
    questions = round_trip_cases()

    result = parse_moodle_xml(export_moodle_xml(questions))

    assert result.problems == []
    assert [(q.spec, q.category) for q in result.questions] == [(q.spec, q.category) for q in questions]


def test_the_export_is_moodle_xml():
    root = ET.parse(BytesIO(export_moodle_xml(round_trip_cases()))).getroot()  # noqa: S314 - our own output

    assert root.tag == "quiz"
    assert [(q.get("type"), q.findtext("category/text")) for q in root.findall("question")][:3] == [
        ("category", "$course$/top/信息安全/钓鱼邮件"),
        ("multichoice", None),
        ("category", "$course$/top/信息安全/数据安全"),
    ]
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    assert [q.get("type") for q in questions] == [
        "multichoice",
        "multichoice",
        "multichoiceset",
        "truefalse",
        "shortanswer",
        "ordering",
        "ordering",
    ]
    single, multiple, _, true_false, fill_blank, partial_ordering, ordering = questions
    assert single.find("questiontext").get("format") == "html"
    # Every stored text is HTML, so every text is written as such.
    assert multiple.find("questiontext").get("format") == "html"
    assert single.findtext("single") == "true"
    assert single.findtext("defaultgrade") == "1.5"
    assert [a.get("fraction") for a in single.findall("answer")] == ["0", "100"]
    assert [t.text for t in single.findall("tags/tag/text")] == ["钓鱼", "网址"]
    assert multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == [
        "33.33333",
        "33.33333",
        "33.33333",
        "-33.33333",
        "-50",
        "0",
    ]
    assert [(a.findtext("text"), a.get("fraction")) for a in true_false.findall("answer")] == [
        ("true", "100"),
        ("false", "0"),
    ]
    assert fill_blank.findtext("usecase") == "1"
    assert partial_ordering.findtext("gradingtype") == "ABSOLUTE_POSITION"
    assert ordering.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert [a.get("fraction") for a in ordering.findall("answer")] == ["1", "2", "3"]


def test_control_characters_that_xml_cannot_carry_are_dropped_on_export():
    spec = QuestionSpec(
        qtype=QuestionType.FILL_BLANK, stem="换页符\x0c和响铃\x07不是合法的 XML 字符。", accepted_answers=("是",)
    )

    result = parse_moodle_xml(export_moodle_xml([ImportedQuestion(spec)]))

    assert result.questions[0].spec.stem == "换页符和响铃不是合法的 XML 字符。"


def test_absurdly_deep_nesting_is_refused():
    text = question("multichoice", GOOD_SINGLE, text="<b>" * 5000 + "深" + "</b>" * 5000)

    with pytest.raises(ImportFormatError, match=r"^The XML file nests elements more than 100 deep \(line 2\)\.$"):
        parse_moodle_xml(quiz(text))
