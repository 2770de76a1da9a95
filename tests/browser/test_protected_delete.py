"""Deleting in the admin, in Chromium: a published question (learners' attempts keep its versions)
is refused with the reason and stays; a draft nothing needs is deleted after the confirmation
(config.protected_delete)."""

import pytest
from wagtail.users.models import UserProfile

from quizzes.models import Question, QuestionCategory
from quizzes.services import question_create
from tests.browser.test_admin import admin_login
from tests.factories import UserFactory
from tests.quizzes.test_question_review import one_question_spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_header_actions(page) -> None:
    """The "…" (Actions) menu in the admin's header, where Wagtail puts Copy and Delete."""
    page.click("#w-slim-header-buttons .w-dropdown__toggle")


def test_a_published_question_is_refused_and_a_draft_is_deleted(visitor):
    category = QuestionCategory.objects.create(name="删除题库")
    published = question_create(spec=one_question_spec("已发布的题"), category=category)
    draft = question_create(spec=one_question_spec("没人需要的草稿"), category=category, publish=False)
    editor = UserFactory(username="bank-admin", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    page = visitor.page
    visitor.checks = False  # Wagtail's snippet pages have no <h1> (see test_question_review)
    admin_login(visitor, editor.username)

    visitor.goto(f"/admin/snippets/quizzes/question/edit/{published.pk}/")
    open_header_actions(page)
    with page.expect_navigation():
        page.click(f"#w-slim-header-buttons a[href$='/question/delete/{published.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/admin/snippets/quizzes/question/edit/{published.pk}/")
    error = page.locator(".messages .error, .messages [class*=error]").first.inner_text()
    assert "cannot be deleted" in error and "Unpublish it instead" in error
    assert Question.objects.filter(pk=published.pk).exists()

    visitor.goto(f"/admin/snippets/quizzes/question/edit/{draft.pk}/")
    open_header_actions(page)
    with page.expect_navigation():
        page.click(f"#w-slim-header-buttons a[href$='/question/delete/{draft.pk}/']")
    with page.expect_navigation():
        page.click("form button[type=submit].serious")
    page.wait_for_load_state("networkidle")
    assert not Question.objects.filter(pk=draft.pk).exists()
    assert Question.objects.filter(pk=published.pk).exists()
