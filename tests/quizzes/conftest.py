from decimal import Decimal

import pytest

from quizzes.models import QuestionCategory, Quiz, QuizSlot
from quizzes.services import question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring

# One question of every type, with correct answers and feedback that must never leak.
SPECS = [
    QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem="电子政务中 G2C 指的是？",
        choices=(
            ChoiceSpec("a", "政府对公民", True, "FEEDBACK-SINGLE-RIGHT"),
            ChoiceSpec("b", "政府对企业", False, "FEEDBACK-SINGLE-WRONG"),
            ChoiceSpec("c", "政府对政府", False, "FEEDBACK-SINGLE-WRONG2"),
        ),
        general_feedback="GENERAL-FEEDBACK-1",
    ),
    QuestionSpec(
        qtype=QuestionType.MULTIPLE,
        stem="以下哪些是安全的口令习惯？",
        mark=Decimal("2"),
        scoring=Scoring.PARTIAL,
        choices=(
            ChoiceSpec("a", "长度至少 12 位", True, "FEEDBACK-MULTI-A"),
            ChoiceSpec("b", "离开座位锁屏", True, "FEEDBACK-MULTI-B"),
            ChoiceSpec("c", "把口令贴在显示器上", False, "FEEDBACK-MULTI-C"),
        ),
        general_feedback="GENERAL-FEEDBACK-2",
    ),
    QuestionSpec(
        qtype=QuestionType.TRUE_FALSE,
        stem="涉密信息可以在连接互联网的计算机上处理。",
        choices=(
            ChoiceSpec("true", "正确", False, "FEEDBACK-TF-T"),
            ChoiceSpec("false", "错误", True, "FEEDBACK-TF-F"),
        ),
        general_feedback="GENERAL-FEEDBACK-3",
    ),
    QuestionSpec(
        qtype=QuestionType.FILL_BLANK,
        stem="“一站式”服务窗口面向企业和____。",
        accepted_answers=("公众", "SECRET-ANSWER-PUBLIC"),
        general_feedback="GENERAL-FEEDBACK-4",
    ),
    QuestionSpec(
        qtype=QuestionType.ORDERING,
        stem="请排列项目建设流程。",
        choices=(
            ChoiceSpec("a", "立项评审"),
            ChoiceSpec("b", "招标"),
            ChoiceSpec("c", "监理"),
            ChoiceSpec("d", "验收"),
        ),
        general_feedback="GENERAL-FEEDBACK-5",
    ),
]

FULL_MARKS_ANSWERS = None  # built per quiz, since choice keys are the choice rows' ids


def make_quiz(*, title="信息安全测验", specs=SPECS, **options) -> Quiz:
    category, _ = QuestionCategory.objects.get_or_create(name="测试题库")
    questions = [question_create(spec=spec, category=category) for spec in specs]
    quiz = Quiz.objects.create(title=title, shuffle_choices=options.pop("shuffle_choices", False), **options)
    for index, question in enumerate(questions):
        QuizSlot.objects.create(quiz=quiz, question=question, sort_order=index)
    return quiz


def right_answers(attempt) -> dict[str, dict]:
    """The full-marks answer to every question of an attempt, keyed by position."""
    answers = {}
    for aq in attempt.questions.select_related("version"):
        spec = aq.version.spec
        keys = [c["key"] for c in spec["choices"]]
        correct = [c["key"] for c in spec["choices"] if c["correct"]]
        qtype = spec["qtype"]
        if qtype in ("single", "truefalse"):
            answers[str(aq.position)] = {"choice": correct[0]}
        elif qtype == "multiple":
            answers[str(aq.position)] = {"choices": correct}
        elif qtype == "fillblank":
            answers[str(aq.position)] = {"text": "  公众 "}
        elif qtype == "ordering":
            answers[str(aq.position)] = {"order": keys}
    return answers


@pytest.fixture
def quiz(db):
    return make_quiz()
