"""Trainers and reviewers in the Wagtail admin, in a real browser: the preview panel shows the
lesson, the admin asks nothing of any other site, a course and its changed steps are submitted and
approved in one click each, and the quiz chooser finds a quiz by part of its title."""

import pytest
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from courses.authoring import course_authoring_setup
from courses.models import CoursePage, LessonPage, QuizStepPage
from tests.factories import UserFactory, build_course, course_steps, lesson_body
from tests.factories.quizzes import make_question, make_quiz_of, single_choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def authoring_users(catalogue, *, trainer_language="zh-hans", reviewer_language="en"):
    trainers, reviewers, _workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(username="trainer-b", is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(username="reviewer-b")
    reviewer.groups.add(reviewers)
    for user, language in ((trainer, trainer_language), (reviewer, reviewer_language)):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return trainer, reviewer


def admin_login(visitor, username: str) -> None:
    visitor.page.context.clear_cookies()
    visitor.goto("/admin/login/")
    visitor.page.fill("#id_username", username)
    visitor.page.fill("#id_password", PASSWORD)
    visitor.click("form button[type=submit]")
    assert visitor.page.url == f"{visitor.base_url}/admin/"


def open_footer_menu(page) -> None:
    page.click("footer .w-dropdown__toggle")


def test_the_preview_panel_shows_the_lesson_and_the_admin_asks_no_other_site(live_server_url, visitor, catalogue):
    course = build_course(catalogue, steps=2, slug="preview")
    step = course_steps(course)[0]
    step.body = lesson_body("预览中应当看到的第一步正文。")
    step.save_revision().publish()
    authoring_users(catalogue)
    page = visitor.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    admin_login(visitor, "trainer-b")
    page.wait_for_load_state("networkidle")  # the dashboard and everything it loads
    visitor.goto(f"/admin/pages/{step.pk}/edit/")
    page.click("button[data-side-panel-toggle='preview']")
    # Wagtail loads the preview in a second iframe, then swaps it in as the panel's iframe.
    page.locator("iframe#w-preview-iframe[src*='/edit/preview/']").wait_for(state="attached")
    preview = page.frame_locator("iframe#w-preview-iframe")
    preview.locator("text=预览中应当看到的第一步正文。").wait_for()
    assert preview.locator("h1").first.inner_text() == "第1步"
    page.wait_for_load_state("networkidle")

    outside = [url for url in requested if not url.startswith((live_server_url, "data:", "blob:", "about:"))]
    assert requested and outside == []
    visitor.check_page()  # the editor with its preview open


def test_a_course_and_its_changed_steps_are_submitted_and_approved_in_one_click_each(
    live_server_url, visitor, catalogue
):
    course = build_course(catalogue, steps=2, slug="review")
    trainer, reviewer = authoring_users(catalogue)
    first, second = course_steps(course)
    first.save_revision().publish()
    edited = LessonPage.objects.get(pk=first.pk)
    edited.title = "第1步（修订）"
    edited.save_revision(user=trainer)
    course = CoursePage.objects.get(pk=course.pk)
    draft = course.add_child(instance=LessonPage(title="新增的一步", slug="new", body=lesson_body(), live=False))
    draft.save_revision(user=trainer)
    page = visitor.page

    admin_login(visitor, "trainer-b")  # Chinese admin
    visitor.goto(f"/admin/pages/{course.pk}/edit/")
    steps_panel = page.locator("[data-course-review-steps]")
    assert "第1步（修订）" in steps_panel.inner_text() and "新增的一步" in steps_panel.inner_text()
    open_footer_menu(page)
    page.click("footer button[name=action-submit]")
    page.wait_for_url(f"{live_server_url}/admin/pages/{catalogue.pk}/")
    visitor.settle()
    course_review = CoursePage.objects.get(pk=course.pk).current_workflow_state
    assert course_review.status == WorkflowState.STATUS_IN_PROGRESS
    assert LessonPage.objects.get(pk=first.pk).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert LessonPage.objects.get(pk=draft.pk).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    admin_login(visitor, "reviewer-b")  # English admin
    visitor.goto(f"/admin/pages/{course.pk}/edit/")
    assert "reviewed together with 2 steps" in page.locator("[data-course-review-steps]").inner_text()
    open_footer_menu(page)
    page.click("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    page.wait_for_url(f"{live_server_url}/admin/pages/{catalogue.pk}/")
    visitor.settle()

    course_review.refresh_from_db()
    assert course_review.status == WorkflowState.STATUS_APPROVED
    assert LessonPage.objects.get(pk=first.pk).title == "第1步（修订）"
    assert LessonPage.objects.get(pk=draft.pk).live
    assert not LessonPage.objects.get(pk=second.pk).has_unpublished_changes


def test_the_quiz_chooser_finds_a_quiz_by_part_of_its_title(live_server_url, visitor, catalogue):
    course = build_course(catalogue, steps=1, slug="quiz")
    question = make_question(single_choice("政务外网和互联网之间应当如何隔离？"))
    old_quiz = make_quiz_of([question], title="信息安全意见 知识检查")
    wanted = make_quiz_of([question], title="办公自动化 结业测验")
    make_quiz_of([question], title="网络基础 随堂测验")
    course = CoursePage.objects.get(pk=course.pk)
    step = course.add_child(instance=QuizStepPage(title="结业测验", slug="exam", quiz=old_quiz))
    step.save_revision().publish()
    authoring_users(catalogue, trainer_language="en")
    page = visitor.page

    admin_login(visitor, "trainer-b")
    visitor.goto(f"/admin/pages/{step.pk}/edit/")
    quiz_field = page.locator("#id_quiz-chooser")
    quiz_field.locator(".w-dropdown__toggle").click()  # a quiz is chosen: "Choose another quiz"
    quiz_field.locator(".chosen button[data-chooser-action-choose]").click()
    modal = page.locator(".modal-content")
    modal.locator("input[name=q]").fill("结业")
    modal.locator("text=办公自动化 结业测验").wait_for()
    modal.locator("text=网络基础 随堂测验").wait_for(state="detached")
    assert modal.locator("text=信息安全意见 知识检查").count() == 0
    modal.locator("a[data-chooser-modal-choice]", has_text="办公自动化 结业测验").click()
    page.click("footer button.action-save")
    page.wait_for_load_state("networkidle")
    assert QuizStepPage.objects.get(pk=step.pk).get_latest_revision_as_object().quiz_id == wanted.pk
