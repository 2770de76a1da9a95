"""The trainers' question-bank tools in the Wagtail admin: permissions, import with a dry run,
export, the Excel template, attempt lists, grade overrides and regrades."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from quizzes.formats import parse_gift
from quizzes.formats.excel import HEADERS
from quizzes.models import Attempt, AttemptGrade, Question, QuestionCategory, QuestionChoice, QuestionVersion, Quiz
from quizzes.services import (
    answers_save,
    attempt_start,
    attempt_submit,
    question_version_save,
    questions_import,
)
from tests.factories import UserFactory
from tests.factories.quizzes import (
    QuestionCategoryFactory,
    fill_blank,
    make_question,
    make_quiz_of,
    single_choice,
    user_with_permissions,
)

pytestmark = pytest.mark.django_db

GIFT = """$CATEGORY: $course$/top/信息安全/口令

::口令::下列哪个口令最安全？{
=Xq7-v9Lp2!mZ
~123456
~password
}

“一站式”服务窗口面向企业和____。{=公众 =群众}

// the third question has no correct answer
没有正确答案的题目 {~甲 ~乙}
"""


@pytest.fixture(autouse=True)
def _media_root(file_roots):
    pass


@pytest.fixture
def trainer(db):
    return user_with_permissions("add_question", username="trainer")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def corrector(db):
    return user_with_permissions("add_question", "change_quiz", username="corrector")


@pytest.fixture
def corrector_client(client, corrector):
    client.force_login(corrector)
    return client


def upload(client, content: bytes, name: str = "bank.txt", **fields):
    data = {"file": SimpleUploadedFile(name, content), "use_file_categories": "on", **fields}
    if not data["use_file_categories"]:
        data.pop("use_file_categories")
    return client.post(reverse("quizzes_admin:import"), data)


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["use_file_categories"] = "True" if form.initial.get("use_file_categories") else ""
    return client.post(reverse("quizzes_admin:import_confirm"), data)


def import_files(tmp_path):
    directory = tmp_path / "private" / "question-imports"
    return sorted(directory.glob("*.bin")) if directory.exists() else []


def graded_attempt(quiz, learner, answers_by_position: dict[int, dict]):
    attempt = attempt_start(quiz=quiz, user=learner)
    answers_save(attempt_id=attempt.pk, user=learner, answers={str(p): a for p, a in answers_by_position.items()})
    attempt_submit(attempt_id=attempt.pk, user=learner)
    return attempt


def key_of(question: Question, text: str) -> str:
    """The key of a choice in the question's current version."""
    return next(c["key"] for c in question.current_version.spec["choices"] if c["text"] == text)


# ---------------------------------------------------------------------------- permissions


@pytest.fixture
def some_attempt(db):
    question = make_question(single_choice("网络安全法自何时起施行？"))
    quiz = make_quiz_of([question])
    attempt = graded_attempt(quiz, UserFactory(), {1: {"choice": key_of(question, "对")}})
    return quiz, question, attempt


def tool_urls(quiz, question, attempt):
    return [
        ("get", reverse("quizzes_admin:index")),
        ("get", reverse("quizzes_admin:import")),
        ("post", reverse("quizzes_admin:import")),
        ("post", reverse("quizzes_admin:import_confirm")),
        ("get", reverse("quizzes_admin:export") + "?format=gift"),
        ("get", reverse("quizzes_admin:excel_template")),
        ("get", reverse("quizzes_admin:quizzes")),
        ("get", reverse("quizzes_admin:item_analysis", args=[quiz.pk])),
        ("get", reverse("quizzes_admin:attempts", args=[quiz.pk])),
        ("get", reverse("quizzes_admin:attempt", args=[attempt.pk])),
    ] + correction_urls(quiz, question, attempt)


def correction_urls(quiz, question, attempt):
    override = reverse("quizzes_admin:grade_override", args=[attempt.pk, 1])
    regrade = reverse("quizzes_admin:regrade", args=[question.pk])
    return [("get", override), ("post", override), ("get", regrade), ("post", regrade)]


def assert_refused(response):
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(("/admin/login/", reverse("wagtailadmin_home")))
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("who", ["learner", "admin_user_without_permission"])
def test_every_tool_url_refuses_users_without_the_permission(client, some_attempt, who):
    quiz, question, attempt = some_attempt
    user = UserFactory() if who == "learner" else user_with_permissions()
    client.force_login(user)
    grades_before = AttemptGrade.objects.count()
    for method, url in tool_urls(quiz, question, attempt):
        data = {"q1-score": "1", "q1-reason": "x"} if "override" in url else {}
        assert_refused(getattr(client, method)(url, data))
    assert AttemptGrade.objects.count() == grades_before


def test_overrides_and_regrades_need_the_change_quiz_permission(trainer_client, some_attempt):
    quiz, question, attempt = some_attempt
    for method, url in correction_urls(quiz, question, attempt):
        data = {"q1-score": "1", "q1-reason": "x"} if "override" in url else {}
        assert_refused(getattr(trainer_client, method)(url, data))
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    page = trainer_client.get(reverse("quizzes_admin:attempt", args=[attempt.pk])).content.decode()
    assert "q1-reason" not in page  # no override form shown either


def test_the_menu_shows_the_tools_to_trainers_only(client, trainer):
    client.force_login(trainer)
    assert "Question bank tools" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(user_with_permissions())
    assert "Question bank tools" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_quiz_listing_and_edit_view_link_to_the_analysis(client, some_attempt):
    quiz, question, _attempt = some_attempt
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    analysis = reverse("quizzes_admin:item_analysis", args=[quiz.pk])
    assert analysis in client.get(reverse(Quiz.snippet_viewset.get_url_name("list"))).content.decode()
    assert analysis in client.get(reverse(Quiz.snippet_viewset.get_url_name("edit"), args=[quiz.pk])).content.decode()
    regrade = reverse("quizzes_admin:regrade", args=[question.pk])
    assert regrade in client.get(reverse(Question.snippet_viewset.get_url_name("list"))).content.decode()
    edit = reverse(Question.snippet_viewset.get_url_name("edit"), args=[question.pk])
    assert regrade in client.get(edit).content.decode()


def test_every_post_needs_the_csrf_token(corrector, some_attempt):
    _quiz, question, attempt = some_attempt
    client = Client(enforce_csrf_checks=True)
    client.force_login(corrector)
    for url, data in [
        (reverse("quizzes_admin:import"), {"file": SimpleUploadedFile("bank.txt", GIFT.encode())}),
        (reverse("quizzes_admin:import_confirm"), {"token": "A" * 43}),
        (reverse("quizzes_admin:grade_override", args=[attempt.pk, 1]), {"q1-score": "1", "q1-reason": "x"}),
        (reverse("quizzes_admin:regrade", args=[question.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


# ---------------------------------------------------------------------------- import


def test_a_dry_run_shows_the_questions_and_problems_and_writes_nothing(trainer_client, tmp_path):
    questions, categories, versions = Question.objects.count(), QuestionCategory.objects.count(), 0
    response = upload(trainer_client, GIFT.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "下列哪个口令最安全？" in page and "Xq7-v9Lp2!mZ (of 3 options)" in page
    assert "公众 | 群众" in page
    assert "信息安全 / 口令" in page  # the category the questions would go into
    assert "question 3 (line 12)" in page and "Left out" in page  # the per-question problem
    assert "Confirm import of 2 questions" in page
    assert (Question.objects.count(), QuestionCategory.objects.count()) == (questions, categories)
    assert QuestionVersion.objects.count() == versions
    assert len(import_files(tmp_path)) == 1
    assert list(trainer_client.session["quiz_imports"]) == [response.context["confirm_form"].initial["token"]]


def test_confirming_imports_every_question_with_its_first_version(trainer_client, trainer, tmp_path):
    response = upload(trainer_client, GIFT.encode())
    token = response.context["confirm_form"].initial["token"]
    response = confirm(trainer_client, response)
    assert response.status_code == 302
    imported = list(Question.objects.select_related("category", "current_version").order_by("pk"))
    assert [q.stem for q in imported] == ["下列哪个口令最安全？", "“一站式”服务窗口面向企业和____。"]
    assert {q.category.name for q in imported} == {"信息安全 / 口令"}
    assert all(q.current_version.number == 1 and q.current_version.created_by == trainer for q in imported)
    assert imported[0].name == "口令" and imported[1].accepted_answers == "公众\n群众"
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=trainer).count() == 2
    assert import_files(tmp_path) == []  # the kept upload is deleted
    assert token not in trainer_client.session["quiz_imports"]
    # The same token cannot import a second time.
    again = trainer_client.post(
        reverse("quizzes_admin:import_confirm"), {"token": token, "use_file_categories": "True"}
    )
    assert again.status_code == 302 and Question.objects.count() == 2


def test_a_chosen_category_takes_every_question(trainer_client):
    target = QuestionCategoryFactory(name="综合")
    response = upload(trainer_client, GIFT.encode(), use_file_categories="", category=str(target.pk))
    assert "信息安全 / 口令" not in response.content.decode()
    confirm(trainer_client, response)
    assert set(Question.objects.values_list("category__name", flat=True)) == {"综合"}
    assert not QuestionCategory.objects.filter(name="信息安全 / 口令").exists()


def test_a_token_from_another_session_is_refused(client, trainer_client, tmp_path):
    response = upload(trainer_client, GIFT.encode())
    token = response.context["confirm_form"].initial["token"]
    client.force_login(user_with_permissions("add_question", username="other-trainer"))
    for forged in (token, "A" * 43, "../../etc/passwd"):
        refused = client.post(reverse("quizzes_admin:import_confirm"), {"token": forged, "use_file_categories": "True"})
        assert refused.status_code == 302 and refused["Location"] == reverse("quizzes_admin:import")
    assert Question.objects.count() == 0
    assert len(import_files(tmp_path)) == 1  # still waiting for its owner


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_gbk_and_utf8_bom_gift_files_import(trainer_client, encoding):
    response = upload(trainer_client, GIFT.encode(encoding), name="题库.gift")
    assert response.status_code == 200 and "下列哪个口令最安全？" in response.content.decode()
    confirm(trainer_client, response)
    assert set(Question.objects.values_list("stem", flat=True)) == {
        "下列哪个口令最安全？",
        "“一站式”服务窗口面向企业和____。",
    }


def xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_rows_with_problems_are_listed_by_row(trainer_client):
    content = xlsx(
        [
            ["单选题", "G2C 指的是？", "政府对公民", "政府对企业", "", "", "", "", "A", 1, "", "电子政务"],
            ["单选题", "答案不是选项的题", "甲", "乙", "", "", "", "", "Z", 1, "", ""],
            ["判断题", "涉密信息可以上网处理。", "", "", "", "", "", "", "错", 1, "", "保密"],
        ]
    )
    response = upload(trainer_client, content, name="bank.xlsx")
    page = response.content.decode()
    assert "row 3" in page and "Z" in page and "Left out" in page
    assert "Confirm import of 2 questions" in page
    confirm(trainer_client, response)
    assert set(Question.objects.values_list("category__name", "qtype")) == {
        ("电子政务", "single"),
        ("保密", "truefalse"),
    }


def test_questions_without_a_category_cannot_be_confirmed(trainer_client):
    response = upload(trainer_client, "没有分类的题目 {=对 ~错}".encode())
    page = response.content.decode()
    assert "no category in the file" in page and "Confirm import" not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bank.docx", b"PK\x03\x04", "is not a question file"),
        ("bank.xml", b"<quiz><question", "XML"),
        ("bank.xlsx", b"not a zip", "This file is not a real XLSX file"),
        ("bank.txt", b"\x00\x01\x02\xff\xfe\x00", "This file is not a real TXT file"),
        ("bank.gift", b"abc\x00def", "This file is not a real GIFT file"),
        ("bank.txt", b"", "empty"),
    ],
)
def test_bad_files_re_render_the_form_with_an_error(trainer_client, name, content, message):
    response = upload(trainer_client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "confirm_form" not in response.context and Question.objects.count() == 0


def test_files_over_5_mb_are_refused(trainer_client, monkeypatch):
    monkeypatch.setattr("quizzes.forms.MAX_IMPORT_BYTES", 100)
    response = upload(trainer_client, b"x" * 101)
    assert response.status_code == 200 and "the limit is 5 MB" in response.content.decode()


def test_missing_category_choice_is_a_form_error(trainer_client):
    response = upload(trainer_client, GIFT.encode(), use_file_categories="")
    assert response.status_code == 200
    assert "Choose a category, or use the categories in the file." in response.content.decode()


def test_an_unexpected_error_rolls_the_whole_import_back_and_a_refused_question_is_left_out(trainer, monkeypatch):
    result = parse_gift(GIFT)
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original(**kwargs)

    from quizzes import services

    original = services.question_create
    monkeypatch.setattr(services, "question_create", failing_create)
    with pytest.raises(RuntimeError):
        questions_import(result=result, default_category=None, use_file_categories=True, user=trainer)
    assert Question.objects.count() == 0 and QuestionCategory.objects.count() == 0
    monkeypatch.undo()
    outcome = questions_import(
        result=parse_gift("无分类 {=对 ~错}\n\n$CATEGORY: 有分类\n\n有分类的题 {=对 ~错}"),
        default_category=None,
        use_file_categories=True,
        user=trainer,
    )
    assert [question.stem for question in outcome.created] == ["有分类的题"]
    assert [str(question.item.location) for question in outcome.refused] == ["question 1 (line 1)"]
    assert Question.objects.count() == 1


# ---------------------------------------------------------------------------- export and template


def test_the_excel_template_downloads_and_opens(trainer_client):
    response = trainer_client.get(reverse("quizzes_admin:excel_template"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.search(
        r"attachment; filename=\"[\w.-]+\"; filename\*=UTF-8''[\w%.-]+\.xlsx$", response["Content-Disposition"]
    )
    workbook = load_workbook(BytesIO(response.content))
    assert [cell.value for cell in next(workbook.active.iter_rows(max_row=1))][:2] == ["题型 Type", "题干 Stem"]


@pytest.mark.parametrize(
    ("export_format", "content_type", "extension"),
    [
        ("excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("gift", "text/plain; charset=utf-8", "txt"),
        ("moodle_xml", "application/xml; charset=utf-8", "xml"),
    ],
)
def test_export_then_import_gives_the_same_questions(trainer_client, export_format, content_type, extension):
    category = QuestionCategoryFactory(name="信息安全 / 口令")
    specs = [
        single_choice("下列哪个口令最安全？", ("Xq7-v9Lp2!mZ", "123456", "password")),
        single_choice("G2C 指的是？", ("政府对公民", "政府对企业"), correct=0),
        fill_blank("“一站式”服务窗口面向企业和____。", "公众", "群众"),
    ]
    originals = [make_question(spec, category) for spec in specs]
    make_question(single_choice("别的分类里的题"))  # not exported: another category

    response = trainer_client.get(reverse("quizzes_admin:export"), {"category": category.pk, "format": export_format})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ") and f".{extension}" in disposition
    assert "filename*=UTF-8''%E4%BF%A1%E6%81%AF%E5%AE%89%E5%85%A8-%E5%8F%A3%E4%BB%A4-" in disposition  # 信息安全-口令-

    target = QuestionCategoryFactory(name="导入副本")
    preview = upload(
        trainer_client, response.content, name=f"export.{extension}", use_file_categories="", category=str(target.pk)
    )
    assert preview.context["file_problems"] == []
    confirm(trainer_client, preview)
    copies = Question.objects.filter(category=target).order_by("pk")
    assert [q.stem for q in copies] == [q.stem for q in originals]
    assert [
        q.current_version.spec["choices"] and [c["text"] for c in q.current_version.spec["choices"]] for q in copies
    ] == [
        q.current_version.spec["choices"] and [c["text"] for c in q.current_version.spec["choices"]] for q in originals
    ]


def test_export_of_an_empty_selection_says_so(trainer_client):
    empty = QuestionCategoryFactory(name="空")
    response = trainer_client.get(reverse("quizzes_admin:export"), {"category": empty.pk, "format": "gift"})
    assert response.status_code == 200 and "There are no questions to export." in response.content.decode()
    bad = trainer_client.get(reverse("quizzes_admin:export"), {"format": "pdf"})
    assert bad.status_code == 200 and "Content-Disposition" not in bad


# ---------------------------------------------------------------------------- attempts, overrides, regrades


@pytest.fixture
def answered_quiz(db):
    """Two single-choice questions; the learner gets the first wrong and the second right."""
    first = make_question(single_choice("第一题", ("甲", "乙", "丙")))
    second = make_question(single_choice("第二题", ("对", "错")))
    quiz = make_quiz_of([first, second])
    learner = UserFactory(display_name="张学员")
    attempt = graded_attempt(quiz, learner, {1: {"choice": key_of(first, "乙")}, 2: {"choice": key_of(second, "对")}})
    return quiz, first, attempt


def test_the_attempt_list_is_paginated_by_50(trainer_client, answered_quiz):
    quiz, _first, attempt = answered_quiz
    Attempt.objects.bulk_create(
        Attempt(
            quiz=quiz,
            user=attempt.user,
            number=n,
            status=Attempt.Status.GRADED,
            started_at=attempt.started_at,
            pass_mark_percent=60,
        )
        for n in range(2, 52)
    )
    first_page = trainer_client.get(reverse("quizzes_admin:attempts", args=[quiz.pk]))
    assert len(first_page.context["page_obj"].object_list) == 50
    second_page = trainer_client.get(reverse("quizzes_admin:attempts", args=[quiz.pk]), {"p": 2})
    rows = second_page.context["page_obj"].object_list
    assert [a.number for a in rows] == [1] and rows[0].grade_percent == Decimal("50.00")
    page = second_page.content.decode()
    assert "张学员" in page and reverse("quizzes_admin:attempt", args=[attempt.pk]) in page


def test_the_attempt_page_shows_responses_and_scores(corrector_client, answered_quiz):
    _quiz, _first, attempt = answered_quiz
    page = corrector_client.get(reverse("quizzes_admin:attempt", args=[attempt.pk])).content.decode()
    assert "第一题" in page and "乙" in page and "50%" in page
    assert 'name="q1-score"' in page and 'name="q1-reason"' in page


def test_an_override_adds_a_grade_with_its_reason_and_an_audit_log_entry(corrector_client, corrector, answered_quiz):
    quiz, _first, attempt = answered_quiz
    url = reverse("quizzes_admin:grade_override", args=[attempt.pk, 1])
    response = corrector_client.post(url, {"q1-score": "1", "q1-reason": "题目表述有歧义，申诉成立"})
    assert response.status_code == 302 and response["Location"] == reverse("quizzes_admin:attempt", args=[attempt.pk])
    grade = AttemptGrade.objects.filter(attempt=attempt).order_by("-graded_at", "-id").first()
    assert (grade.reason, grade.score, grade.percent, grade.graded_by, grade.note) == (
        AttemptGrade.Reason.OVERRIDE,
        Decimal("2"),
        Decimal("100.00"),
        corrector,
        "题目表述有歧义，申诉成立",
    )
    entry = ModelLogEntry.objects.get(action="quizzes.grade_override")
    assert (entry.content_type, entry.object_id, entry.user) == (
        ContentType.objects.get_for_model(Quiz),
        str(quiz.pk),
        corrector,
    )
    assert entry.data["reason"] == "题目表述有歧义，申诉成立" and entry.data["score"] == "1"


def test_the_same_override_sent_twice_writes_one_grade_and_one_audit_entry(corrector_client, answered_quiz):
    _quiz, _first, attempt = answered_quiz
    url = reverse("quizzes_admin:grade_override", args=[attempt.pk, 1])
    data = {"q1-score": "1", "q1-reason": "题目表述有歧义，申诉成立"}
    for _send in range(2):
        assert corrector_client.post(url, data).status_code == 302
    overrides = AttemptGrade.objects.filter(attempt=attempt, reason=AttemptGrade.Reason.OVERRIDE)
    assert overrides.count() == 1
    assert ModelLogEntry.objects.filter(action="quizzes.grade_override").count() == 1
    # Another score is another override.
    assert corrector_client.post(url, {**data, "q1-score": "0.5"}).status_code == 302
    assert overrides.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q1-score": "1", "q1-reason": "   "}, "This field is required."),
        ({"q1-score": "2", "q1-reason": "太高"}, "The score must be between 0 and 1"),
        ({"q1-score": "-1", "q1-reason": "负数"}, "greater than or equal to 0"),
        ({"q1-score": "abc", "q1-reason": "不是数字"}, "Enter a number."),
    ],
)
def test_a_bad_override_re_renders_with_errors(corrector_client, answered_quiz, data, message):
    _quiz, _first, attempt = answered_quiz
    response = corrector_client.post(reverse("quizzes_admin:grade_override", args=[attempt.pk, 1]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_an_override_of_an_open_attempt_is_refused_with_a_message(corrector_client, answered_quiz):
    quiz, _first, _attempt = answered_quiz
    open_attempt = attempt_start(quiz=quiz, user=UserFactory())
    response = corrector_client.post(
        reverse("quizzes_admin:grade_override", args=[open_attempt.pk, 1]), {"q1-score": "1", "q1-reason": "x"}
    )
    assert response.status_code == 200 and "Only graded attempts can be overridden." in response.content.decode()
    missing = corrector_client.get(reverse("quizzes_admin:grade_override", args=[open_attempt.pk, 9]))
    assert missing.status_code == 404


def test_a_regrade_after_correcting_a_question_changes_grades_and_is_logged(corrector_client, corrector, answered_quiz):
    quiz, first, attempt = answered_quiz
    # The author finds the key was wrong: "乙" is the right answer, not "甲".
    QuestionChoice.objects.filter(question=first).update(correct=False)
    QuestionChoice.objects.filter(question=first, text="乙").update(correct=True)
    question_version_save(question=first, user=corrector)

    url = reverse("quizzes_admin:regrade", args=[first.pk])
    analysis = reverse("quizzes_admin:item_analysis", args=[quiz.pk])
    confirm_page = corrector_client.get(url, {"next": analysis}).content.decode()
    assert "1 graded attempt asked this question" in confirm_page and "version 2" in confirm_page

    response = corrector_client.post(url, {"next": analysis})
    assert response.status_code == 302 and response["Location"] == analysis
    grade = AttemptGrade.objects.filter(attempt=attempt).order_by("-graded_at", "-id").first()
    assert (grade.reason, grade.score, grade.percent) == (AttemptGrade.Reason.REGRADE, Decimal("2"), Decimal("100.00"))
    entry = ModelLogEntry.objects.get(action="quizzes.regrade")
    assert (entry.object_id, entry.user, entry.data) == (str(first.pk), corrector, {"version": 2, "attempts": 1})


def test_a_regrade_does_not_follow_an_outside_next_url(corrector_client, answered_quiz):
    _quiz, first, _attempt = answered_quiz
    response = corrector_client.post(
        reverse("quizzes_admin:regrade", args=[first.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(Question.snippet_viewset.get_url_name("edit"), args=[first.pk])
