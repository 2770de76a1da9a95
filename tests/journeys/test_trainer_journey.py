"""A trainer's journey in the Wagtail admin, in Chinese as the city's trainers use it: a new course
with a lesson that uses every kind of block (a screenshot uploaded through the image chooser), the
lesson in the preview panel, a quiz step whose quiz is found with the chooser's search, questions
imported from a GIFT file after a dry run, and the course submitted for review with its new steps.
Every button pressed is checked in the database."""

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage
from wagtail.models import WorkflowState

from courses.blocks import LessonStreamBlock
from courses.models import CourseIndexPage, CoursePage, CourseReviewStep, LessonPage, QuizStepPage
from quizzes.models import Question, Quiz
from quizzes.specs import QuestionType
from tests.browser.admin_forms import type_rich_text

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]

SAVE_DRAFT = "footer button.action-save"

GIFT = """$CATEGORY: 培训师导入/政务外网

::外网隔离::政务外网与互联网之间应当如何连接？{
=通过安全隔离设备逻辑隔离
~直接用网线连接
~通过个人无线热点连接
}

::锁屏::离开座位前应当锁定办公终端。{T}
"""


class StreamEditor:
    """The lesson body's StreamField in Wagtail's editor, driven as a trainer does: the "+" button,
    the block menu (found by the block's icon, the same in every admin language), then its fields."""

    def __init__(self, page, field: str = "body"):
        self.page = page
        self.field = field
        self.count = 0

    def add(self, block_name: str) -> str:
        """Append a block; returns the prefix of its fields' ids (e.g. "body-3-value")."""
        icon = LessonStreamBlock().child_blocks[block_name].meta.icon
        self.page.locator(f"#{self.field}-root .c-sf-add-button").last.click()
        self.page.locator(f".w-combobox__option:has(use[href='#icon-{icon}'])").click()
        prefix = f"{self.field}-{self.count}-value"
        self.count += 1
        return prefix

    def type_rich_text(self, input_id: str, text: str) -> None:
        """Type into the Draftail editor kept in the hidden input `input_id`."""
        type_rich_text(self.page, f"#{input_id}", text)


def choose_in_modal(visitor, search: str, title: str) -> None:
    """In an open chooser: search, then choose the result with this title."""
    modal = visitor.page.locator(".modal-content")
    modal.locator("input[name=q]").fill(search)
    modal.locator("[data-chooser-modal-choice]", has_text=title).first.click()
    modal.wait_for(state="detached")


def type_title(page, title: str) -> None:
    # Typed, then on to the next field, as a person does: Wagtail fills the slug in from the title.
    page.locator("#id_title").press_sequentially(title)
    page.locator("#id_title").press("Tab")
    page.wait_for_function("() => document.querySelector('#id_slug').value !== ''")


def latest(page_model, pk):
    return page_model.objects.get(pk=pk).get_latest_revision_as_object()


def test_a_trainer_writes_a_course_previews_it_imports_questions_and_submits_it(visit, tmp_path):
    trainer = get_user_model().objects.get(username="trainer1")
    catalogue = CourseIndexPage.objects.get()
    document = Document.objects.order_by("pk").first()
    quiz = Quiz.objects.filter(title__contains="结业测试").order_by("pk").last()
    screenshot = tmp_path / "锁屏界面.png"
    Image.new("RGB", (120, 80), "#1f6feb").save(screenshot, format="PNG")
    visitor = visit("trainer1")
    page = visitor.page

    # A new course under the catalogue, saved as a draft.
    visitor.goto(f"/admin/pages/{catalogue.pk}/")
    visitor.click(f"a[href='/admin/pages/{catalogue.pk}/add_subpage/']")  # only courses go here
    assert page.url.endswith(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")
    type_title(page, "政务终端日常防护")
    page.fill("#id_summary", "离开座位、接入网络和处理文件时如何保护办公终端。")
    page.fill("#id_objectives", "会锁定屏幕\n知道政务外网与互联网如何隔离")
    visitor.click(SAVE_DRAFT)
    course = CoursePage.objects.get(title="政务终端日常防护")
    assert course.get_parent().pk == catalogue.pk and not course.live
    assert course.get_latest_revision().user == trainer

    # A lesson step with every kind of block the lesson body offers.
    visitor.goto(f"/admin/pages/{course.pk}/add_subpage/")
    visitor.click(f"a[href$='/add/courses/lessonpage/{course.pk}/']")
    type_title(page, "锁定办公终端")  # first: the editor autosaves a draft once it has a title
    body = StreamEditor(page)
    text = body.add("rich_text")
    body.type_rich_text(text, "离开座位时务必锁定屏幕。")
    heading = body.add("heading")
    page.fill(f"#{heading}-text", "为什么要锁屏")
    page.select_option(f"#{heading}-level", "h2")

    instructions = body.add("instructions")
    page.fill(f"#{instructions}-title", "锁屏的步骤")
    body.type_rich_text(f"{instructions}-steps-0-value-text", "同时按下 Win 键和 L 键。")
    # The screenshot is uploaded through the image chooser's upload tab.
    page.click(f"#{instructions}-steps-0-value-screenshot-chooser [data-chooser-action-choose]")
    modal = page.locator(".modal-content")
    modal.locator("#tab-label-upload").click()
    page.fill("#id_image-chooser-upload-title", "锁屏界面截图")
    page.set_input_files("#id_image-chooser-upload-file", str(screenshot))
    modal.locator("#tab-upload form [type=submit]").click()
    modal.wait_for(state="detached")
    uploaded = WagtailImage.objects.get(title="锁屏界面截图")
    assert uploaded.uploaded_by_user == trainer and uploaded.width == 120
    assert page.input_value(f"#{instructions}-steps-0-value-screenshot") == str(uploaded.pk)
    page.fill(f"#{instructions}-steps-0-value-screenshot_alt", "锁屏后的登录界面")

    # The same screenshot as a picture of its own, found with the chooser's search.
    image = body.add("image")
    page.click(f"#{image}-image-chooser [data-chooser-action-choose]")
    choose_in_modal(visitor, "锁屏界面", "锁屏界面截图")
    page.fill(f"#{image}-alt_text", "Windows 锁屏界面")
    page.fill(f"#{image}-caption", "锁屏后的界面")

    callout = body.add("callout")
    page.select_option(f"#{callout}-kind", "warning")
    page.fill(f"#{callout}-title", "注意")
    body.type_rich_text(f"{callout}-body", "临时离开也要锁屏。")
    video = body.add("video")
    page.fill(f"#{video}-title", "锁屏演示")
    # Any file the test server serves: the preview asks no other host and gets no 404 (CSP
    # allows media only from the site and CSP_MEDIA_HOSTS).
    page.fill(f"#{video}-url", f"{visitor.base_url}/static/img/favicon.svg")
    page.fill(f"#{video}-transcript", "演示如何用快捷键锁定屏幕。")
    download = body.add("document")
    page.click(f"#{download}-document-chooser [data-chooser-action-choose]")
    choose_in_modal(visitor, document.title[:4], document.title)
    page.fill(f"#{download}-title", "下载自查清单")
    terms = body.add("key_terms")
    page.fill(f"#{terms}-terms-0-value-term", "锁屏")
    page.fill(f"#{terms}-terms-0-value-definition", "让终端回到需要口令才能使用的状态。")
    command = body.add("command")
    page.select_option(f"#{command}-kind", "shortcut")
    page.fill(f"#{command}-text", "Win+L")
    page.fill(f"#{command}-description", "立即锁定屏幕")
    visitor.check_page()  # the editor with every block open
    visitor.click(SAVE_DRAFT)

    lesson = LessonPage.objects.child_of(course).get(title="锁定办公终端")
    saved = latest(LessonPage, lesson.pk).body
    assert {block.block_type for block in saved} == set(LessonStreamBlock().child_blocks)
    blocks = {block.block_type: block.value for block in saved}
    assert blocks["instructions"]["steps"][0]["screenshot"].pk == uploaded.pk
    assert blocks["image"]["image"].pk == uploaded.pk
    assert blocks["document"]["document"].pk == document.pk
    assert blocks["command"]["text"] == "Win+L" and blocks["callout"]["kind"] == "warning"
    assert not lesson.live

    # The preview panel renders the lesson as learners will see it.
    page.click("button[data-side-panel-toggle='preview']")
    page.locator("iframe#w-preview-iframe[src*='/edit/preview/']").wait_for(state="attached")
    preview = page.frame_locator("iframe#w-preview-iframe")
    preview.locator("text=离开座位时务必锁定屏幕。").wait_for()
    assert preview.locator("h1").first.inner_text() == "锁定办公终端"
    shown = preview.locator("main").inner_text()
    for text in ("为什么要锁屏", "锁屏的步骤", "临时离开也要锁屏。", "锁屏演示", "下载自查清单", "立即锁定屏幕"):
        assert text in shown, text
    assert preview.locator(".block-command kbd").all_inner_texts() == ["Win", "L"]
    assert preview.locator("img[alt='锁屏后的登录界面']").count() == 1
    assert preview.locator("img[alt='Windows 锁屏界面']").count() == 1
    visitor.check_page()  # the editor with its preview open

    # A quiz step; its quiz found with the chooser's search.
    visitor.goto(f"/admin/pages/{course.pk}/add_subpage/")
    visitor.click(f"a[href$='/add/courses/quizsteppage/{course.pk}/']")
    type_title(page, "结业测试")
    page.select_option("#id_kind", QuizStepPage.Kind.FINAL_EXAM)
    page.click("#id_quiz-chooser [data-chooser-action-choose]")
    page.locator(".modal-content input[name=q]").wait_for()
    visitor.check_page()  # the quiz chooser
    choose_in_modal(visitor, quiz.title[-6:], quiz.title)
    visitor.click(SAVE_DRAFT)
    exam = QuizStepPage.objects.child_of(course).get(title="结业测试")
    assert latest(QuizStepPage, exam.pk).quiz_id == quiz.pk and not exam.live

    # Questions imported from a GIFT file: a dry run that writes nothing, then the import.
    gift = tmp_path / "终端安全题库.txt"
    gift.write_text(GIFT, encoding="utf-8")
    questions_before = Question.objects.count()
    imported = Question.objects.filter(category__name__startswith="培训师导入")
    visitor.goto("/admin/question-bank/")
    visitor.click("main a[href='/admin/question-bank/import/']")
    page.set_input_files("#id_file", str(gift))
    visitor.click("main form[action$='/import/'] button[type=submit]")
    assert "政务外网与互联网之间应当如何连接？" in visitor.text()
    assert Question.objects.count() == questions_before and not imported.exists()
    visitor.click("main form[action$='/import/confirm/'] button[type=submit]")
    assert sorted(imported.values_list("name", flat=True)) == ["外网隔离", "锁屏"]
    assert imported.get(name="锁屏").qtype == QuestionType.TRUE_FALSE

    # The course goes for review, with the two new steps.
    visitor.goto(f"/admin/pages/{course.pk}/edit/")
    steps_panel = page.locator("[data-course-review-steps]").inner_text()
    assert "锁定办公终端" in steps_panel and "结业测试" in steps_panel
    page.click("footer .w-dropdown__toggle")
    page.click("footer button[name=action-submit]")
    page.wait_for_url(f"**/admin/pages/{catalogue.pk}/")
    visitor.settle()

    course_review = CoursePage.objects.get(pk=course.pk).current_workflow_state
    assert course_review.status == WorkflowState.STATUS_IN_PROGRESS
    assert course_review.requested_by == trainer
    carried = CourseReviewStep.objects.filter(course_review=course_review)
    assert sorted(carried.values_list("step_id", flat=True)) == sorted([lesson.pk, exam.pk])
    for link in carried.select_related("step_review"):
        assert link.step_review.status == WorkflowState.STATUS_IN_PROGRESS
        assert link.step_review.workflow_id == course_review.workflow_id
    assert not CoursePage.objects.get(pk=course.pk).live
