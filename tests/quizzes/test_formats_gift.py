from decimal import Decimal

import pytest

from quizzes.formats import ImportedQuestion, ImportProblem, export_gift, gift_unexportable, parse_gift
from quizzes.formats.common import true_false_choices
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring

BANK = r"""// 信息安全意识培训题库（GIFT）
// 由培训科整理

$CATEGORY: $course$/top/信息安全/口令

// [tag:口令] [tag:基础]
::Q1 强口令::[html]下列哪个口令最符合<b>强口令</b>要求？{
	~123456#这是最常见的弱口令。
	~password
	=Zq7\#xV!p2m#包含大小写字母、数字和符号。
	~zhangsan1990#包含姓名和生日，容易被猜到。
	####强口令应足够长，并混合多种字符。
}

::Q2 个人信息::以下哪些属于个人敏感信息？{
	~%50%身份证号码
	~%50%银行账户
	~%-100%单位公开的办公电话#这是公开信息。
}

$CATEGORY: $course$/top/信息安全/保密管理

::Q3::涉密计算机可以连接互联网。{F#涉密计算机严禁连接互联网。#正确。####涉密不上网，上网不涉密。}

::Q4::《中华人民共和国网络安全法》自{=2017年6月1日 =2017.6.1}起施行。

$CATEGORY: $course$/top

::Q5 转义::在 GIFT 中写 a\=b、1\~2、\{x\}、\#1、\: 和 C\:\\temp\n第二行 {TRUE}
"""


def test_a_realistic_bank_reads_every_gift_question_type():
    result = parse_gift(BANK)

    assert result.problems == []
    assert result.ok
    assert [(q.category, q.location) for q in result.questions] == [
        ("信息安全/口令", "question 1 (line 7)"),
        ("信息安全/口令", "question 2 (line 15)"),
        ("信息安全/保密管理", "question 3 (line 23)"),
        ("信息安全/保密管理", "question 4 (line 25)"),
        ("", "question 5 (line 29)"),
    ]
    single, multiple, true_false, fill_blank, escaped = (q.spec for q in result.questions)
    assert single == QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="下列哪个口令最符合<b>强口令</b>要求？",
        choices=(
            ChoiceSpec(key="a", text="123456", feedback="这是最常见的弱口令。"),
            ChoiceSpec(key="b", text="password"),
            ChoiceSpec(key="c", text="Zq7#xV!p2m", correct=True, feedback="包含大小写字母、数字和符号。"),
            ChoiceSpec(key="d", text="zhangsan1990", feedback="包含姓名和生日，容易被猜到。"),
        ),
        general_feedback="强口令应足够长，并混合多种字符。",
        name="Q1 强口令",
        tags=("口令", "基础"),
    )
    assert multiple == QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="以下哪些属于个人敏感信息？",
        choices=(
            ChoiceSpec(key="a", text="身份证号码", correct=True),
            ChoiceSpec(key="b", text="银行账户", correct=True),
            ChoiceSpec(key="c", text="单位公开的办公电话", feedback="这是公开信息。", penalty=Decimal(1)),
        ),
        scoring=Scoring.PARTIAL,
        name="Q2 个人信息",
    )
    assert true_false == QuestionSpec(
        qtype=QuestionType.TRUE_FALSE,
        stem="涉密计算机可以连接互联网。",
        choices=true_false_choices(False, true_feedback="涉密计算机严禁连接互联网。", false_feedback="正确。"),
        general_feedback="涉密不上网，上网不涉密。",
        name="Q3",
    )
    assert fill_blank == QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="《中华人民共和国网络安全法》自_____起施行。",
        accepted_answers=("2017年6月1日", "2017.6.1"),
        name="Q4",
    )
    assert escaped.stem == "在 GIFT 中写 a=b、1~2、{x}、#1、: 和 C:\\temp<br>第二行"
    assert escaped.choices == true_false_choices(True)


def test_true_false_choices_have_fixed_keys_and_chinese_texts():
    spec = parse_gift("今天是工作日。{T}").questions[0].spec

    assert [(c.key, c.text, c.correct) for c in spec.choices] == [("true", "正确", True), ("false", "错误", False)]
    assert spec.mark == Decimal(1)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("true", True), ("f", False)],
)
def test_every_true_false_spelling_is_read(answer, expected):
    spec = parse_gift(f"政务外网与互联网逻辑隔离。{{{answer}}}").questions[0].spec

    assert spec.qtype == QuestionType.TRUE_FALSE
    assert spec.choices == true_false_choices(expected)


def test_true_false_feedback_goes_to_the_choice_that_earns_it():
    # GIFT writes the feedback for a wrong answer first, then the one for the right answer.
    spec = parse_gift("口令可以写在便签上贴在显示器旁。{FALSE#不安全。#对，口令要保密。}").questions[0].spec

    assert spec.choices == true_false_choices(False, true_feedback="不安全。", false_feedback="对，口令要保密。")


@pytest.mark.parametrize(
    ("category_line", "expected"),
    [
        ("$CATEGORY: $course$/top/信息安全/口令", "信息安全/口令"),
        ("$CATEGORY: $course$/信息安全", "信息安全"),
        ("$CATEGORY: top/电子政务 / 政务服务", "电子政务/政务服务"),
        ("$CATEGORY: $system$/top/共享题库", "共享题库"),
        ("$CATEGORY: $course$/top", ""),
    ],
)
def test_moodle_category_prefixes_are_stripped(category_line, expected):
    result = parse_gift(f"{category_line}\n\n一网通办需要实名认证。{{T}}")

    assert result.questions[0].category == expected


def test_a_category_line_applies_even_without_a_blank_line_after_it():
    result = parse_gift("$CATEGORY: 电子政务\n一网通办需要实名认证。{T}")

    assert result.questions[0].category == "电子政务"


def test_multiple_response_weights_become_correct_options_and_penalties():
    text = "哪些是安全的做法？{~%50%锁屏 ~%50%打补丁 ~%-50%共用账号 ~%-25%关闭防火墙 ~随手记口令}"
    spec = parse_gift(text).questions[0].spec

    assert spec.qtype == QuestionType.MULTIPLE
    assert spec.scoring == Scoring.PARTIAL
    assert [(c.text, c.correct, c.penalty) for c in spec.choices] == [
        ("锁屏", True, None),
        ("打补丁", True, None),
        ("共用账号", False, None),  # the default penalty, 1 / number of correct options
        ("关闭防火墙", False, Decimal("0.25")),
        ("随手记口令", False, Decimal(0)),  # no weight: no penalty, as in Moodle
    ]


def test_a_multiple_response_question_with_a_single_correct_option_stays_multiple():
    spec = parse_gift("哪项属于政务云安全责任？{~%100%租户数据备份 ~%-100%机房空调维修}").questions[0].spec

    assert spec.qtype == QuestionType.MULTIPLE
    assert [c.correct for c in spec.choices] == [True, False]
    assert spec.choices[1].penalty is None


def test_unequal_weights_of_correct_options_are_kept_as_written():
    result = parse_gift("选出正确项。{~%70%甲 ~%30%乙 ~%-100%丙}")

    spec = result.questions[0].spec
    assert [(c.correct, c.fraction) for c in spec.choices] == [
        (True, Decimal("0.7")),
        (True, Decimal("0.3")),
        (False, Decimal(-1)),
    ]
    assert result.problems == []
    assert "~%70%甲" in export_gift(result.questions) and "~%-100%丙" in export_gift(result.questions)


def test_correct_options_adding_up_to_200_percent_are_refused_in_the_dry_run_not_reweighted():
    result = parse_gift("选出正确项。{~%100%甲 ~%100%乙 ~%-100%丙}\n\n下一题。{=对 ~错}")

    assert len(result.questions) == 1  # the other question is kept
    assert result.problems == [
        ImportProblem(
            "question 1 (line 1)",
            "The correct options' grades add up to 200%; as in Moodle, they must add up to 100%.",
        )
    ]


def test_partial_credit_on_a_single_choice_question_is_kept():
    result = parse_gift("电子公文的签发应使用？{=数字证书 ~%50%手写签名扫描件 ~口头授权}")

    spec = result.questions[0].spec
    assert [(c.correct, c.fraction) for c in spec.choices] == [
        (True, Decimal(1)),
        (False, Decimal("0.5")),
        (False, Decimal(0)),
    ]
    assert result.problems == []
    assert parse_gift(export_gift(result.questions)).questions[0].spec == spec


def test_a_single_choice_question_with_two_fully_correct_options_is_accepted():
    result = parse_gift("政务外网的简称可以是？{=外网 =电子政务外网 ~互联网}")

    spec = result.questions[0].spec
    assert spec.qtype == QuestionType.SINGLE
    assert [c.correct for c in spec.choices] == [True, True, False]
    assert result.problems == []
    assert parse_gift(export_gift(result.questions)).questions[0].spec == spec


def test_partial_credit_short_answers_keep_their_grades_and_feedback():
    result = parse_gift("我国电子政务外网的简称是？{=政务外网 =%50%外网 =%0%互联网#不对}")

    spec = result.questions[0].spec
    assert spec.accepted_answers == ()
    assert [(a.text, a.fraction, a.feedback) for a in spec.answers] == [
        ("政务外网", Decimal(1), ""),
        ("外网", Decimal("0.5"), ""),
        ("互联网", Decimal(0), "不对"),
    ]
    assert result.problems == []


def test_short_answers_written_without_equals_signs_are_accepted_answers():
    spec = parse_gift("“最多跑一次”改革起源于哪个省？{浙江}").questions[0].spec

    assert spec.qtype == QuestionType.FILL_BLANK
    assert spec.accepted_answers == ("浙江",)
    assert not spec.case_sensitive


def test_format_markers_choose_how_each_text_becomes_html():
    result = parse_gift(
        "[markdown]**数据分类**的依据是？{=[plain]重要程度#[html]<i>见《数据安全法》</i> ~[moodle]文件大小}"
    )
    spec = result.questions[0].spec

    assert spec.stem == "<p><strong>数据分类</strong>的依据是？</p>"
    assert [(c.text, c.feedback) for c in spec.choices] == [("重要程度", "<i>见《数据安全法》</i>"), ("文件大小", "")]


def test_plain_text_is_escaped_and_answers_follow_the_format_of_the_question():
    spec = parse_gift("[plain]写 <b> 还是 a & b？{=[html]<b>粗体</b> ~就是 <b>}").questions[0].spec

    assert spec.stem == "写 &lt;b&gt; 还是 a &amp; b？"
    # The second option has no marker: it takes the question's [plain].
    assert [c.text for c in spec.choices] == ["<b>粗体</b>", "就是 &lt;b&gt;"]


def test_a_question_spread_over_several_lines_keeps_its_line_breaks():
    text = "::多行::以下关于等级保护的说法\n哪一项正确？\n{\n=第三级系统每年至少测评一次\n~只有涉密系统需要定级\n}"
    spec = parse_gift(text).questions[0].spec

    assert spec.stem == "以下关于等级保护的说法<br>哪一项正确？"
    assert [c.text for c in spec.choices] == ["第三级系统每年至少测评一次", "只有涉密系统需要定级"]


def test_windows_line_endings_are_read_like_unix_ones():
    result = parse_gift("// 注释\r\n::Q1::网络安全宣传周在每年几月？{=9月}\r\n\r\n::Q2::口令应定期更换。{T}\r\n")

    assert [q.location for q in result.questions] == ["question 1 (line 2)", "question 2 (line 4)"]


def test_one_bad_question_does_not_block_the_others():
    text = "\n".join(
        [
            "::好1::网络安全法施行于哪一年？{=2017 ~2015}",  # line 1
            "",
            "::无满分::单选题必须有一个满分选项。{=%50%甲 ~乙}",  # line 3
            "",
            "::简答::请简述等级保护的五个级别。{}",  # line 5
            "",
            "::数值::三级系统的测评周期是几年？{#一年}",  # line 7
            "",
            "::匹配::将系统与等级连线。{=门户网站 -> 二级 =核心业务 -> 三级}",  # line 9
            "",
            "这一段只是说明文字，没有答案。",  # line 11: a description (issue 14)
            "",
            "::缺括号::政务云属于哪类基础设施？{=关键信息基础设施",  # line 13
            "",
            "::连在一起::第一题{=甲 ~乙}",  # line 15
            "第二题{=丙 ~丁}",
            "",
            "::未闭合标题 题目{=甲 ~乙}",  # line 18
            "",
            "::好2::涉密文件可以用微信传输。{F}",  # line 20
        ]
    )
    result = parse_gift(text)

    # An empty answer block is an essay, and a question without one a description (issue 14), as Moodle reads them.
    assert [q.spec.name for q in result.questions] == ["好1", "简答", "", "好2"]
    assert [q.spec.qtype for q in result.questions][2] == QuestionType.DESCRIPTION
    assert [q.location for q in result.questions] == [
        "question 1 (line 1)",
        "question 3 (line 5)",
        "question 6 (line 11)",
        "question 10 (line 20)",
    ]
    assert [str(p) for p in result.problems] == [
        "Question 2 (line 3): A single-choice question needs at least one option worth full marks.",
        "Question 4 (line 7): The answer '一年' of a numerical question is not a number (or * for any number).",
        "Question 5 (line 9): A matching question needs at least 2 sub-questions and 3 answers (extra answers may have no sub-question).",
        "Question 7 (line 13): The braces { } of the answer block do not match.",
        "Question 8 (line 15): The question has more than one answer block; separate questions with a blank line.",
        "Question 9 (line 18): The title has no closing '::'.",
    ]
    assert all(p.skipped for p in result.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{=甲 ~乙}", "The question has no text."),
        ("只有一个选项的单选题。{=唯一选项 ~}", "Option B has no text."),
        ("只有一个选项。{~%100%甲}", "A choice question needs at least two options."),
        ("没有正确选项的多选题。{~%-50%甲 ~%-50%乙}", "A multiple-choice question needs at least one correct option."),
        ("只有部分得分的填空题。{=%50%政务}", "A fill-in-the-blank question needs at least one answer worth full marks."),
        ("权重超出范围。{~%150%甲 ~%-100%乙}", "The weight '150%' is outside the range -100% to 100%."),
    ],
)
def test_questions_that_break_a_rule_are_skipped_with_a_clear_message(text, message):
    result = parse_gift(text)

    assert result.questions == []
    assert result.problems == [ImportProblem("question 1 (line 1)", message)]


def test_an_empty_file_or_one_with_only_comments_has_no_questions_and_no_problems():
    assert parse_gift("") == parse_gift("// 只有注释\n\n// 还是注释\n")
    assert parse_gift("").questions == [] and parse_gift("").ok


def spec_cases() -> list[ImportedQuestion]:
    return [
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem="下列哪个网址最可能是钓鱼网站？<br>（提示：注意域名）",
                choices=(
                    ChoiceSpec(key="a", text="https://www.gov.cn"),
                    ChoiceSpec(key="b", text="http://gov-cn.login-verify.com", correct=True, feedback="仿冒域名。"),
                    ChoiceSpec(key="c", text="https://zwfw.example.gov.cn"),
                ),
                general_feedback="看清主域名：{注意} 符号 ~ = # : \\ 都要转义。",
                name="钓鱼网站::识别",
                tags=("钓鱼", "网址[基础]"),
            ),
            category="信息安全/钓鱼邮件",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些属于政务数据安全管理措施？",
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
                qtype=QuestionType.TRUE_FALSE,
                stem="政务服务“好差评”制度允许群众对办事服务进行评价。",
                choices=true_false_choices(True, true_feedback="是的。", false_feedback="该制度已全面推行。"),
                general_feedback="见《关于建立政务服务“好差评”制度的意见》。",
            ),
            category="信息安全/数据安全",
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.TRUE_FALSE,
                stem="可以用个人邮箱传送内部文件。",
                choices=true_false_choices(False, false_feedback="对，不可以。"),
            ),
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="网络安全等级保护共分为____个级别。",
                accepted_answers=("五", "5", "五个"),
                name="等保级别",
            ),
            category="信息安全/等级保护",
        ),
    ]


def test_exporting_then_parsing_gives_back_the_same_questions():
    questions = spec_cases()

    result = parse_gift(export_gift(questions))

    assert result.problems == []
    assert [(q.spec, q.category) for q in result.questions] == [(q.spec, q.category) for q in questions]
    assert gift_unexportable(questions) == []


def test_the_export_looks_like_moodle_gift():
    text = export_gift(spec_cases()[:2])

    assert text.startswith("$CATEGORY: $course$/top/信息安全/钓鱼邮件\n\n// [tag:钓鱼] [tag:网址[基础\\]]\n")
    assert "::钓鱼网站\\:\\:识别::下列哪个网址最可能是钓鱼网站？\\n（提示：注意域名）{\n" in text
    assert "\t=http\\://gov-cn.login-verify.com#仿冒域名。\n" in text
    assert "\t####看清主域名：\\{注意\\} 符号 \\~ \\= \\# \\: \\\\ 都要转义。\n}" in text
    assert "\t~%33.33333%数据分类分级\n" in text
    assert "\t~%-33.33333%共享管理员账号#违反最小权限原则。\n" in text
    assert "\t~%-50%公开数据库口令\n" in text
    assert "\t~关闭杀毒软件\n" in text


def test_ordering_questions_are_left_out_of_the_export_as_a_comment_and_reported():
    ordering = ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.ORDERING,
            stem="请排列应急响应的步骤：<br>检测、遏制、根除、恢复",
            choices=(ChoiceSpec(key="a", text="检测"), ChoiceSpec(key="b", text="遏制")),
        )
    )
    questions = [spec_cases()[3], ordering]

    text = export_gift(questions)

    assert "// ordering question not expressible in GIFT: 请排列应急响应的步骤： 检测、遏制、根除、恢复\n" in text
    assert [q.spec for q in parse_gift(text).questions] == [spec_cases()[3].spec]
    assert gift_unexportable(questions) == [
        ImportProblem(
            "question 2",
            "Ordering questions cannot be written in GIFT; the export leaves the question out as a comment.",
        )
    ]


def test_details_gift_cannot_hold_are_reported_but_the_question_is_exported():
    questions = [
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem="IPv6 地址长度为____位。",
                mark=Decimal("2.5"),
                accepted_answers=("128",),
                case_sensitive=True,
            )
        ),
        ImportedQuestion(
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem="哪些是对称加密算法？",
                choices=(
                    ChoiceSpec(key="a", text="SM4", correct=True),
                    ChoiceSpec(key="b", text="AES", correct=True),
                    ChoiceSpec(key="c", text="RSA"),
                ),
            )
        ),
    ]

    problems = gift_unexportable(questions)
    result = parse_gift(export_gift(questions))

    assert problems == [
        ImportProblem(
            "question 1",
            "GIFT cannot hold the score 2.5 and case-sensitive matching; the export leaves them out.",
            skipped=False,
        ),
        ImportProblem(
            "question 2", "GIFT cannot hold all-or-nothing scoring; the export leaves it out.", skipped=False
        ),
    ]
    assert len(result.questions) == 2
    assert result.questions[1].spec.scoring == Scoring.PARTIAL


def test_a_problem_reads_as_a_sentence():
    problem = ImportProblem("question 3 (line 25)", "Type 'essay' is not supported.")

    assert str(problem) == "Question 3 (line 25): Type 'essay' is not supported."


def test_export_problems_use_the_questions_own_location_when_it_has_one():
    ordering = QuestionSpec(
        qtype=QuestionType.ORDERING,
        stem="排列步骤",
        choices=(ChoiceSpec(key="a", text="甲"), ChoiceSpec(key="b", text="乙")),
    )

    problems = gift_unexportable([ImportedQuestion(ordering, location="题库第 42 题")])

    assert [p.location for p in problems] == ["题库第 42 题"]
