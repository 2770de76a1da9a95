import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from quizzes.formats import (
    ImportedQuestion,
    ImportFormatError,
    ImportProblem,
    excel_template,
    excel_unexportable,
    export_excel,
    parse_excel,
)
from quizzes.formats.common import true_false_choices
from quizzes.formats.excel import HEADERS
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring


def workbook_bytes(*rows, header=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(qtype, stem, options=(), answer=None, score=None, analysis=None, category=None):
    cells = [*options, *[None] * (6 - len(options))]
    return [qtype, stem, *cells, answer, score, analysis, category]


def options(*texts, correct=""):
    letters = "abcdef"
    return tuple(
        ChoiceSpec(key=letters[i], text=text, correct=letters[i].upper() in correct) for i, text in enumerate(texts)
    )


def test_a_realistic_sheet_reads_every_question_type():
    data = workbook_bytes(
        row(
            "单选题",
            "根据《网络安全法》，关键信息基础设施的运营者应当在哪里存储个人信息和重要数据？",
            ["境内", "境外", "任意地点", "云服务商指定地点"],
            "A",
            2,
            "《网络安全法》第三十七条。",
            "信息安全/法律法规",
        ),
        row(
            "多选题",
            "以下哪些属于钓鱼邮件的特征？",
            ["发件人地址可疑", "催促立即操作", "来自单位公文系统"],
            "A、B",
            None,
            None,
            "信息安全/钓鱼邮件",
        ),
        row("判断题", "政务外网可以直接连接互联网办公。", [], "错", 1.5),
        row("填空题", "我国《个人信息保护法》自____年11月1日起施行。", [], "2021|二〇二一；2021年"),
        row("排序题", "请按顺序排列办理“一件事一次办”的步骤。", ["部门联办", "一次提交材料", "统一出件"], "BAC"),
        [],
        row("single", "政务云的安全责任主要由谁承担？", ["云服务商与使用单位共同承担", "仅云服务商"], "ａ"),
    )

    result = parse_excel(data)

    assert result.problems == []
    assert [(q.location, q.category) for q in result.questions] == [
        ("row 2", "信息安全/法律法规"),
        ("row 3", "信息安全/钓鱼邮件"),
        ("row 4", ""),
        ("row 5", ""),
        ("row 6", ""),
        ("row 8", ""),
    ]
    single, multiple, true_false, fill_blank, ordering, english = (q.spec for q in result.questions)
    assert single == QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="根据《网络安全法》，关键信息基础设施的运营者应当在哪里存储个人信息和重要数据？",
        mark=Decimal(2),
        choices=options("境内", "境外", "任意地点", "云服务商指定地点", correct="A"),
        general_feedback="《网络安全法》第三十七条。",
    )
    assert multiple == QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="以下哪些属于钓鱼邮件的特征？",
        choices=options("发件人地址可疑", "催促立即操作", "来自单位公文系统", correct="AB"),
        scoring=Scoring.ALL_OR_NOTHING,
    )
    assert true_false == QuestionSpec(
        qtype=QuestionType.TRUE_FALSE,
        stem="政务外网可以直接连接互联网办公。",
        mark=Decimal("1.5"),
        choices=true_false_choices(False),
    )
    assert fill_blank == QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="我国《个人信息保护法》自____年11月1日起施行。",
        accepted_answers=("2021", "二〇二一", "2021年"),
    )
    assert ordering == QuestionSpec(
        qtype=QuestionType.ORDERING,
        stem="请按顺序排列办理“一件事一次办”的步骤。",
        choices=(
            ChoiceSpec(key="b", text="一次提交材料"),
            ChoiceSpec(key="a", text="部门联办"),
            ChoiceSpec(key="c", text="统一出件"),
        ),
    )
    assert english.choices == options("云服务商与使用单位共同承担", "仅云服务商", correct="A")


@pytest.mark.parametrize(
    ("type_cell", "expected"),
    [
        ("单选题", QuestionType.SINGLE),
        ("单选", QuestionType.SINGLE),
        ("Single", QuestionType.SINGLE),
        ("多选题", QuestionType.MULTIPLE),
        ("多选", QuestionType.MULTIPLE),
        ("multiple", QuestionType.MULTIPLE),
    ],
)
def test_choice_types_are_read_in_chinese_or_english(type_cell, expected):
    data = workbook_bytes(row(type_cell, "哪项是政务服务的统一入口？", ["政务服务网", "个人博客"], "A"))

    assert parse_excel(data).questions[0].spec.qtype == expected


@pytest.mark.parametrize("type_cell", ["判断题", "判断", "truefalse", "true-false", "TRUE-FALSE"])
def test_true_false_types_are_read_in_chinese_or_english(type_cell):
    data = workbook_bytes(row(type_cell, "电子印章与实物印章具有同等法律效力。", [], "正确"))

    assert parse_excel(data).questions[0].spec.qtype == QuestionType.TRUE_FALSE


@pytest.mark.parametrize("type_cell", ["填空题", "填空", "fill", "fillblank", "排序题", "排序", "ordering"])
def test_fill_in_the_blank_and_ordering_types_are_read_in_chinese_or_english(type_cell):
    data = workbook_bytes(
        row(
            type_cell,
            "请填写或排序。",
            ["第一步", "第二步"],
            "A|B" if "填" in type_cell or "fill" in type_cell else "AB",
        )
    )

    spec = parse_excel(data).questions[0].spec

    assert spec.qtype == (QuestionType.ORDERING if spec.choices else QuestionType.FILL_BLANK)
    assert spec.qtype in (QuestionType.FILL_BLANK, QuestionType.ORDERING)


@pytest.mark.parametrize(
    "answer", ["ABD", "A,B,D", "A，B，D", "A、B、D", "A;B;D", "a b d", "ＡＢＤ", "Ａ，Ｂ，Ｄ", "DBA"]
)
def test_multiple_choice_answers_are_read_in_every_usual_spelling(answer):
    data = workbook_bytes(
        row(
            "多选题",
            "哪些是网络安全等级保护的基本要求？",
            ["安全物理环境", "安全通信网络", "个人喜好", "安全管理制度"],
            answer,
        )
    )

    spec = parse_excel(data).questions[0].spec

    assert [c.correct for c in spec.choices] == [True, True, False, True]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("正确", True),
        ("错误", False),
        ("对", True),
        ("错", False),
        ("√", True),
        ("×", False),
        ("T", True),
        ("F", False),
        ("true", True),
        ("FALSE", False),
        ("是", True),
        ("否", False),
        (True, True),  # a cell Excel turned into a boolean
        (False, False),
    ],
)
def test_true_false_answers_are_read_in_every_usual_spelling(answer, expected):
    data = workbook_bytes(row("判断题", "电子证照与纸质证照具有同等效力。", [], answer))

    assert parse_excel(data).questions[0].spec.choices == true_false_choices(expected)


def test_an_empty_ordering_answer_means_the_options_are_already_in_order():
    data = workbook_bytes(row("排序题", "请排列公文处理的步骤。", ["拟稿", "审核", "签发", "印发"]))

    spec = parse_excel(data).questions[0].spec

    assert [(c.key, c.text) for c in spec.choices] == [("a", "拟稿"), ("b", "审核"), ("c", "签发"), ("d", "印发")]


def test_numbers_in_cells_are_read_as_the_text_they_show():
    data = workbook_bytes(
        row("填空题", "等级保护的最高级别是第____级。", [], 5, "3"),
        row("单选题", "IPv4 地址有多少位？", [32, 64.5, 128], "A", 0.5),
    )

    fill_blank, single = (q.spec for q in parse_excel(data).questions)

    assert fill_blank.accepted_answers == ("5",)
    assert fill_blank.mark == Decimal(3)
    assert [c.text for c in single.choices] == ["32", "64.5", "128"]
    assert single.mark == Decimal("0.5")


def test_columns_are_found_by_either_half_of_their_header_in_any_order():
    header = ["Stem", "题型", "答案", "选项A", "Option B", "分值 Score"]
    data = workbook_bytes(["网络安全宣传周一般在每年几月举行？", "单选题", "B", "3月", "9月", 2], header=header)

    spec = parse_excel(data).questions[0].spec

    assert spec.choices == options("3月", "9月", correct="B")
    assert spec.mark == Decimal(2)


def test_each_bad_row_gets_its_own_message_and_the_good_rows_still_import():
    data = workbook_bytes(
        row(
            "单选题", "以下哪个是正确的口令管理做法？", ["定期更换", "多系统共用", "写在便签上", "告诉同事"], "G"
        ),  # row 2
        row("完形填空", "简述数据分类分级的意义。", [], "略"),  # row 3 (问答题 is an essay, 计算题 numerical since issue 14)
        row(None, "没有题型的题目", ["甲", "乙"], "A"),  # row 4
        row("单选题", None, ["甲", "乙"], "A"),  # row 5
        row("单选题", "选项中间有空缺", ["甲", None, "丙"], "A"),  # row 6
        row("单选题", "只有一个选项", ["甲"], "A"),  # row 7
        row("单选题", "单选题写了两个答案", ["甲", "乙", "丙"], "AB"),  # row 8: two fully correct options
        row("多选题", "答案不是字母", ["甲", "乙", "丙"], "1,2"),  # row 9
        row("判断题", "判断题答案无法识别", [], "也许"),  # row 10
        row("填空题", "填空题没有答案", [], None),  # row 11
        row("排序题", "排序答案缺了一项", ["甲", "乙", "丙", "丁"], "CAB"),  # row 12
        row("排序题", "排序答案重复", ["甲", "乙", "丙"], "ABA"),  # row 13
        row("单选题", "分值不是数字", ["甲", "乙"], "A", "两分"),  # row 14
        row("单选题", "分值为零", ["甲", "乙"], "A", 0),  # row 15
        row("多选题", "多选题答案超出选项", ["甲", "乙", "丙"], "ABE"),  # row 16
        row("判断题", "“最多跑一次”改革以群众和企业办事为中心。", [], "对"),  # row 17
    )

    result = parse_excel(data)

    assert [q.location for q in result.questions] == ["row 8", "row 17"]
    assert [c.correct for c in result.questions[0].spec.choices] == [True, True, False]
    assert result.problems == [
        ImportProblem("row 2", "The answer 'G' is not one of the options A–D."),
        ImportProblem(
            "row 3",
            "The type '完形填空' is not one of 单选题, 多选题, 判断题, 填空题, 排序题, 简答题, 数值题, 描述, 匹配题.",
        ),
        ImportProblem("row 4", "The type is empty."),
        ImportProblem("row 5", "The question has no text."),
        ImportProblem("row 6", "Option B is empty but option C is not."),
        ImportProblem("row 7", "A choice question needs at least two options."),
        ImportProblem("row 9", "The answer '1,2' must be option letters such as 'ABD'."),
        ImportProblem("row 10", "The answer '也许' must be 正确 or 错误 (true or false)."),
        ImportProblem("row 11", "The answer is empty."),
        ImportProblem("row 12", "The answer 'CAB' must list each of the options A–D exactly once."),
        ImportProblem("row 13", "The answer 'ABA' must list each of the options A–C exactly once."),
        ImportProblem("row 14", "The score '两分' is not a number."),
        ImportProblem("row 15", "The score must be a positive number."),
        ImportProblem("row 16", "The answer 'E' is not one of the options A–C."),
    ]
    assert str(result.problems[0]) == "Row 2: The answer 'G' is not one of the options A–D."


def test_a_file_that_is_not_xlsx_is_refused():
    not_a_zip = "题型,题干\n单选题,测试".encode()
    zip_without_workbook = BytesIO()
    with zipfile.ZipFile(zip_without_workbook, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    for data in (not_a_zip, b"", zip_without_workbook.getvalue(), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512):
        with pytest.raises(ImportFormatError, match=r"^The file is not an Excel \.xlsx file\.$"):
            parse_excel(data)


def test_a_sheet_without_the_header_row_is_refused():
    data = workbook_bytes(["单选题", "题目", "甲", "乙", "A"], header=["题干 Stem", "备注"])

    with pytest.raises(ImportFormatError) as error:
        parse_excel(data)

    assert (
        str(error.value) == "The first row must be the header row; these columns are missing: 题型 Type, 答案 Answer."
    )


def test_a_sheet_with_only_the_header_has_no_questions():
    result = parse_excel(workbook_bytes())

    assert result.questions == [] and result.ok


def round_trip_cases() -> list[ImportedQuestion]:
    return [
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="根据《密码法》，密码分为哪几类？<br>（单选）",
                mark=Decimal("1.5"),
                choices=options("核心密码、普通密码和商用密码", "对称密码和非对称密码", correct="A"),
                general_feedback="《密码法》第六条。",
            ),
            category="信息安全/密码应用",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些属于国产商用密码算法？",
                mark=Decimal(3),
                choices=options("SM2", "SM3", "SM4", "MD5", "SHA-1", "DES", correct="ABC"),
            ),
            category="信息安全/密码应用",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.TRUE_FALSE,
                stem="政务数据共享应遵循“最小必要”原则。",
                choices=true_false_choices(True),
            )
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="个人信息处理者应当对其个人信息处理活动负责，并采取必要措施保障所处理的个人信息的____。",
                accepted_answers=("安全", "安全性"),
            ),
            category="电子政务",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.ORDERING,
                stem="请按顺序排列数据安全事件的处置步骤。",
                choices=(
                    ChoiceSpec(key="c", text="立即报告"),
                    ChoiceSpec(key="a", text="采取补救措施"),
                    ChoiceSpec(key="d", text="通知受影响的个人"),
                    ChoiceSpec(key="b", text="总结整改"),
                ),
            ),
            category="电子政务",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="“政务外网”的另一种正确写法是？（两个选项都完全正确）",
                choices=options("电子政务外网", "互联网", "政务外网", correct="AC"),
            ),
            category="电子政务",
        ),
    ]


def test_exporting_then_parsing_gives_back_the_same_questions():
    questions = round_trip_cases()

    result = parse_excel(export_excel(questions))

    assert result.problems == []
    assert [(q.spec, q.category) for q in result.questions] == [(q.spec, q.category) for q in questions]
    assert excel_unexportable(questions) == []


def test_the_export_has_a_bold_frozen_header_and_readable_answers():
    sheet = load_workbook(BytesIO(export_excel(round_trip_cases()))).active

    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 50
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == [
        "单选题",
        "多选题",
        "判断题",
        "填空题",
        "排序题",
    ]
    assert [sheet.cell(row=r, column=9).value for r in range(2, 7)] == ["A", "ABC", "正确", "安全|安全性", "CADB"]
    assert [sheet.cell(row=6, column=c).value for c in range(3, 7)] == [
        "采取补救措施",
        "总结整改",
        "立即报告",
        "通知受影响的个人",
    ]
    assert sheet.cell(row=2, column=10).value == 1.5


@pytest.mark.parametrize(
    "dangerous", ["=1+1", "@SUM(A1)", "-2+3", "+x", '=HYPERLINK("http://evil.example","点我")', "\tcmd", "#N/A"]
)
def test_text_that_looks_like_a_formula_is_written_as_text(dangerous):
    question = ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem=dangerous,
            choices=(ChoiceSpec(key="a", text=dangerous, correct=True), ChoiceSpec(key="b", text="安全的选项")),
            general_feedback=dangerous,
        ),
        category=dangerous,
    )

    data = export_excel([question])
    sheet = load_workbook(BytesIO(data)).active
    cells = [sheet.cell(row=2, column=column) for column in (2, 3, 11, 12)]

    assert [(cell.value, cell.data_type) for cell in cells] == [(dangerous, "s")] * 4
    # Excel also keeps them text when someone edits the cell later.
    assert all(cell.quotePrefix for cell in cells) == dangerous.startswith(("=", "+", "-", "@", "\t"))
    assert "<f>" not in zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    imported = parse_excel(data).questions[0].spec
    assert (imported.stem, imported.choices[0].text, imported.general_feedback) == (dangerous.strip(),) * 3


def test_options_own_grades_are_reported_as_lost_in_an_excel_export():
    question = ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="电子公文的签发应使用？",
            choices=(
                ChoiceSpec(key="a", text="数字证书", correct=True, fraction=Decimal(1)),
                ChoiceSpec(key="b", text="手写签名扫描件", fraction=Decimal("0.5")),
            ),
        )
    )

    assert excel_unexportable([question]) == [
        ImportProblem("question 1", "Excel cannot hold the options' own grades; the export leaves it out.", skipped=False)
    ]


def test_what_excel_cannot_hold_is_reported():
    questions = [
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="七个选项的单选题",
                choices=tuple(ChoiceSpec(key=k, text=k, correct=k == "a") for k in "abcdefg"),
            )
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些是安全做法？",
                choices=(
                    ChoiceSpec(key="a", text="锁屏", correct=True, feedback="好习惯。"),
                    ChoiceSpec(key="b", text="共享口令", penalty=Decimal("0.5")),
                ),
                scoring=Scoring.PARTIAL,
                name="安全做法",
                tags=("终端",),
            )
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="填写缩写。",
                accepted_answers=("CSL", "A|B"),
                case_sensitive=True,
            )
        ),
    ]

    problems = excel_unexportable(questions)
    result = parse_excel(export_excel(questions))

    assert problems == [
        ImportProblem(
            "question 1",
            "An Excel row holds at most 6 options (A–F); this question has 7, so the export leaves it out.",
        ),
        ImportProblem(
            "question 2",
            "Excel cannot hold the title, the tags, the option feedback and partial-credit scoring; "
            "the export leaves them out.",
            skipped=False,
        ),
        ImportProblem(
            "question 3",
            "Excel cannot hold case-sensitive matching and accepted answers containing | or ;; "
            "the export leaves them out.",
            skipped=False,
        ),
    ]
    assert [q.spec.stem for q in result.questions] == ["哪些是安全做法？", "填写缩写。"]


def test_the_template_holds_one_valid_example_of_each_type_and_instructions():
    data = excel_template()

    result = parse_excel(data)
    workbook = load_workbook(BytesIO(data))

    assert result.problems == []
    assert [q.spec.qtype for q in result.questions] == [
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.TRUE_FALSE,
        QuestionType.FILL_BLANK,
        QuestionType.ORDERING,
        QuestionType.ESSAY,
    ]
    assert all(q.category for q in result.questions)
    assert all(q.spec.general_feedback for q in result.questions)
    assert workbook.sheetnames == ["题库 Questions", "说明 Instructions"]
    instructions = workbook["说明 Instructions"]
    assert [instructions.cell(row=r, column=1).value for r in range(2, 9)] == [
        "题型 Type",
        "题干 Stem",
        "选项A–F Option A–F",
        "答案 Answer",
        "分值 Score",
        "解析 Analysis",
        "分类 Category",
    ]
    assert all(instructions.cell(row=r, column=3).value for r in range(2, 10))
