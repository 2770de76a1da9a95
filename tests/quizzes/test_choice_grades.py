"""Per-choice grades (QuestionChoice.fraction) through the admin, the import dry run, the bank and
the exports (issue 14 item 2a). The grading rules themselves: test_grading_fractions.py."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.formats import parse_gift, parse_moodle_xml
from quizzes.grading import grade
from quizzes.models import Question
from quizzes.services import question_spec
from quizzes.specs import spec_from_data
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory, contentstate, question_form_data

D = Decimal


@pytest.fixture
def trainer_client(client, db, file_roots):
    client.force_login(UserFactory(username="grades-trainer", is_superuser=True, is_staff=True))
    return client


def upload(client, content: bytes, name: str, category):
    data = {"file": SimpleUploadedFile(name, content), "use_file_categories": "", "category": str(category.pk)}
    return client.post(reverse("quizzes_admin:import"), data)


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["use_file_categories"] = "True" if form.initial.get("use_file_categories") else ""
    return client.post(reverse("quizzes_admin:import_confirm"), data)


def answer(fraction: str, text: str) -> str:
    return f'<answer fraction="{fraction}" format="html"><text>{text}</text></answer>'


def question_xml(name: str, single: bool, *answers: str) -> str:
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>{name}？</text></questiontext>'
        f"<single>{'true' if single else 'false'}</single>{''.join(answers)}</question>"
    )


BANK = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
    + question_xml("两个满分", True, answer("100", "外网"), answer("100", "电子政务外网"), answer("0", "互联网"))
    + "\n"
    + question_xml("部分得分单选", True, answer("100", "数字证书"), answer("50", "扫描件"), answer("0", "口头"))
    + "\n"
    + question_xml("七三开", False, answer("70", "身份证号"), answer("30", "住址"), answer("-50", "天气"))
    + "\n"
    + question_xml("两倍", False, answer("100", "甲"), answer("100", "乙"), answer("-100", "丙"))
    + "\n</quiz>\n"
).encode()


def test_moodle_grades_arrive_intact_the_200_percent_question_is_refused_in_the_dry_run(trainer_client):
    category = QuestionCategoryFactory(name="分数")
    preview = upload(trainer_client, BANK, "bank.xml", category)

    problems = preview.context["file_problems"]
    assert [(p["location"], p["skipped"]) for p in problems] == [("question 4 (line 6)", True)]
    assert "add up to 200%" in problems[0]["message"] and "must add up to 100%" in problems[0]["message"]
    assert "Confirm import of 3 questions" in preview.content.decode()
    assert confirm(trainer_client, preview).status_code == 302

    by_name = {q.name: q for q in Question.objects.filter(category=category)}
    assert set(by_name) == {"两个满分", "部分得分单选", "七三开"}
    assert [(c.correct, c.fraction) for c in by_name["两个满分"].choices.order_by("sort_order")] == [
        (True, None),
        (True, None),
        (False, None),
    ]
    assert [c.fraction for c in by_name["部分得分单选"].choices.order_by("sort_order")] == [D(1), D("0.5"), D(0)]
    assert [c.fraction for c in by_name["七三开"].choices.order_by("sort_order")] == [D("0.7"), D("0.3"), D("-0.5")]

    # The stored version grades as Moodle does.
    spec = spec_from_data(by_name["七三开"].current_version.spec)
    keys = [c.key for c in spec.choices]
    assert grade(spec, {"choices": keys[:1]}).fraction == D("0.7000")
    assert grade(spec, {"choices": [keys[0], keys[2]]}).fraction == D("0.2000")
    both = spec_from_data(by_name["两个满分"].current_version.spec)
    assert [grade(both, {"choice": c.key}).correct for c in both.choices] == [True, True, False]


@pytest.mark.parametrize(("export_format", "parse"), [("moodle_xml", parse_moodle_xml), ("gift", parse_gift)])
def test_exports_keep_the_grades_and_import_back_unchanged(trainer_client, export_format, parse):
    category = QuestionCategoryFactory(name="分数")
    confirm(trainer_client, upload(trainer_client, BANK, "bank.xml", category))

    response = trainer_client.get(reverse("quizzes_admin:export"), {"category": category.pk, "format": export_format})
    content = response.content if export_format == "moodle_xml" else response.content.decode()
    result = parse(content)

    assert result.problems == []
    originals = {q.name: question_spec(q) for q in Question.objects.filter(category=category)}
    for item in result.questions:
        original = originals[item.spec.name]
        assert [(c.correct, c.fraction) for c in item.spec.choices] == [
            (c.correct, c.fraction) for c in original.choices
        ]
    if export_format == "gift":
        assert "~%70%" in content and "~%-50%" in content and "~%50%" in content

    target = QuestionCategoryFactory(name="副本")
    preview = upload(
        trainer_client, response.content, f"export.{'xml' if export_format == 'moodle_xml' else 'txt'}", target
    )
    assert preview.context["file_problems"] == []
    confirm(trainer_client, preview)
    copies = {q.name: q.current_version.spec["choices"] for q in Question.objects.filter(category=target)}
    for name, original in originals.items():
        assert [(c["correct"], c.get("fraction")) for c in copies[name]] == [
            (c.correct, None if c.fraction is None else str(c.fraction)) for c in original.choices
        ]


def test_the_admin_form_stores_a_choices_grade(trainer_client):
    category = QuestionCategoryFactory()
    choices = [
        {
            "text": contentstate(text),
            "feedback": contentstate(""),
            "correct": "on" if correct else "",
            "fraction": fraction,
        }
        for text, correct, fraction in [("数字证书", True, ""), ("扫描件", False, "0.5"), ("口头", False, "")]
    ]
    data = question_form_data(
        category, "single", name="部分得分", stem=contentstate("签发用什么？"), mark="2", choices=choices
    )
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    assert 'name="choices-__prefix__-fraction"' in trainer_client.get(add_url).content.decode()

    response = trainer_client.post(add_url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="部分得分")
    assert [c.fraction for c in question.choices.order_by("sort_order")] == [None, D("0.5"), None]
    spec = spec_from_data(question.current_version.spec)
    assert [grade(spec, {"choice": c.key}).score for c in spec.choices] == [D("2.0000"), D("1.0000"), D("0.0000")]
    # Out of Moodle's range: refused by the form.
    data["name"] = "超出范围"
    data["choices-1-fraction"] = "1.5"
    refused = trainer_client.post(add_url, data)
    assert refused.status_code == 200 and not Question.objects.filter(name="超出范围").exists()


def test_the_learner_page_holds_no_grades_and_a_submission_scores_as_moodle(client, db):
    from quizzes.services import attempt_start, attempt_submit
    from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring
    from tests.quizzes.conftest import make_quiz

    specs = [
        QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="电子公文的签发应使用？",
            mark=D(2),
            choices=(
                ChoiceSpec("a", "数字证书", True, fraction=D(1)),
                ChoiceSpec("b", "手写签名扫描件", fraction=D("0.5")),
                ChoiceSpec("c", "口头授权", fraction=D(0)),
            ),
        ),
        QuestionSpec(
            qtype=QuestionType.MULTIPLE,
            stem="哪些属于个人信息？",
            mark=D(2),
            scoring=Scoring.PARTIAL,
            choices=(
                ChoiceSpec("a", "身份证号", True, fraction=D("0.7")),
                ChoiceSpec("b", "家庭住址", True, fraction=D("0.3")),
                ChoiceSpec("c", "天气预报", fraction=D("-0.5")),
            ),
        ),
    ]
    quiz = make_quiz(specs=specs)
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    for secret in ("fraction", "0.7", "0.3", "-0.5", "70%", "50%", "correct"):
        assert secret not in page.lower(), secret

    keys = {aq.position: {c["text"]: c["key"] for c in aq.version.spec["choices"]} for aq in attempt.questions.all()}
    answers = {
        1: {"choice": keys[1]["手写签名扫描件"]},
        2: {"choices": [keys[2]["身份证号"], keys[2]["天气预报"]]},
    }
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    graded = attempt.grades.get()
    assert [g.score for g in graded.question_grades.order_by("attempt_question__position")] == [
        D("1.0000"),
        D("0.4000"),
    ]
    assert graded.score == D("1.4000") and graded.percent == D("35.00")
