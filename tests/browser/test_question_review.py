"""Issue 14 item 4 in Chromium, for questions: a trainer changes a question a live quiz asks and
submits it for review; learners keep the published version; the reviewer approves in the admin and
the new version is live. A trainer's import into a category a live quiz draws from makes drafts,
as its dry run says. A quiz's fixed slot refuses a question that was never published."""

import pytest
from wagtail.models import WorkflowState

from quizzes.models import Question, QuestionCategory, Quiz, QuizSlot
from quizzes.services import attempt_start, question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.browser.test_admin import admin_login, authoring_users, open_footer_menu
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def spec(stem: str, name: str = "") -> QuestionSpec:
    return QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem=stem,
        name=name,
        choices=(ChoiceSpec("a", "政府对公民", True), ChoiceSpec("b", "政府对企业", False)),
    )


def asked_name(quiz) -> str:
    attempt = attempt_start(quiz=quiz, user=UserFactory())
    return attempt.questions.select_related("version").get().version.spec["name"]


def test_a_trainer_change_to_a_live_question_is_live_only_once_the_reviewer_approves(visitor, catalogue):
    quiz = make_quiz(title="审核题目测验", specs=[spec("电子政务中 G2C 指的是？", name="原来的名称")])
    question = quiz.slots.get().question
    trainer, reviewer = authoring_users(catalogue, trainer_language="en")
    page = visitor.page

    admin_login(visitor, trainer.username)
    # Wagtail's snippet edit page has no <h1> (an axe rule this change did not bring; see test_choice_grades).
    visitor.checks = False
    visitor.goto(f"/admin/snippets/quizzes/question/edit/{question.pk}/")
    page.fill("#id_name", "审核后的名称")
    open_footer_menu(page)
    with page.expect_navigation():
        page.click("footer button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    stored = Question.objects.get(pk=question.pk)
    assert stored.name == "原来的名称" and stored.has_unpublished_changes and stored.versions.count() == 1
    assert stored.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert stored.latest_revision.as_object().name == "审核后的名称"
    assert asked_name(quiz) == "原来的名称"  # learners keep the published version

    admin_login(visitor, reviewer.username)
    visitor.goto(f"/admin/snippets/quizzes/question/edit/{question.pk}/")
    open_footer_menu(page)
    with page.expect_navigation():
        page.click("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    page.wait_for_load_state("networkidle")
    stored = Question.objects.get(pk=question.pk)
    assert stored.name == "审核后的名称" and not stored.has_unpublished_changes
    assert WorkflowState.objects.for_instance(stored).get().status == WorkflowState.STATUS_APPROVED
    assert list(stored.versions.order_by("number").values_list("number", "spec__name")) == [
        (1, "原来的名称"),
        (2, "审核后的名称"),
    ]
    assert stored.current_version.number == 2 and asked_name(quiz) == "审核后的名称"


GIFT = "::口令::下列哪个口令最安全？ {=Xq7-v9Lp2!mZ ~123456 ~password}\n\n::公文::电子公文需要签章。 {T}\n"


def test_a_trainer_import_into_a_category_a_live_quiz_draws_from_makes_drafts(visitor, catalogue):
    category = QuestionCategory.objects.create(name="抽题题库")
    question_create(spec=spec("已发布的题", name="已发布"), category=category)
    quiz = Quiz.objects.create(title="随机抽题测验")
    QuizSlot.objects.create(quiz=quiz, random_category=category, random_count=1, sort_order=0)
    trainer, _reviewer = authoring_users(catalogue, trainer_language="en")
    page = visitor.page

    admin_login(visitor, trainer.username)
    visitor.goto("/admin/question-bank/import/")
    page.set_input_files("#id_file", files=[{"name": "bank.txt", "mimeType": "text/plain", "buffer": GIFT.encode()}])
    page.select_option("#id_category", label="抽题题库")
    page.uncheck("#id_use_file_categories")
    visitor.click("main form button[type=submit]")  # "Check the file"
    notice = page.locator("#import-drafts").inner_text()
    assert "2 questions go into categories that live quizzes draw from (随机抽题测验)" in notice
    assert page.locator("table.listing", has_text="draft, awaiting review").count() == 1
    assert Question.objects.count() == 1

    visitor.click("form[action$='/import/confirm/'] button[type=submit]")
    assert "2 questions were saved as drafts awaiting review" in page.inner_text("body")
    imported = Question.objects.exclude(name="已发布")
    assert sorted(imported.values_list("name", "live")) == [("公文", False), ("口令", False)]
    assert not imported.filter(current_version__isnull=False).exists()
    assert {asked_name(quiz) for _ in range(6)} == {"已发布"}


def test_a_fixed_slot_with_a_question_never_published_is_refused_in_the_quiz_editor(visitor, catalogue):
    quiz = make_quiz(title="固定题测验", specs=[spec("已发布的题", name="已发布")])
    draft = question_create(
        spec=spec("还在草稿中的题", name="草稿题"), category=QuestionCategory.objects.get(), publish=False
    )
    trainer, _reviewer = authoring_users(catalogue, trainer_language="en")
    page = visitor.page

    admin_login(visitor, trainer.username)
    visitor.checks = False  # Wagtail's snippet edit page (see above)
    visitor.goto(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    page.click("#id_slots-ADD")  # a new slot
    page.locator("#id_slots-1-question-chooser .unchosen button[data-chooser-action-choose]").click()
    modal = page.locator(".modal-content")
    modal.locator("a[data-chooser-modal-choice]", has_text="草稿题").click()
    page.locator(".modal").first.wait_for(state="hidden")
    with page.expect_navigation():
        page.locator("footer button.action-save").click()
    page.wait_for_load_state("networkidle")
    assert "“草稿题” is not published yet: a quiz can ask only a published question." in page.inner_text("main")
    stored = Quiz.objects.get(pk=quiz.pk)
    assert stored.latest_revision is None and list(stored.slots.values_list("question__name", flat=True)) == ["已发布"]
    assert not QuizSlot.objects.filter(question=draft).exists()
