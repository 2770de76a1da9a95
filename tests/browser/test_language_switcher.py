"""The language switcher in the header, in a real browser with scripts on: choosing a language
submits the menu at once (static/js/site.js), the same page comes back in that language, and a
signed-in person's choice is kept as their Wagtail profile's language (accounts.views.language_switch)
while an anonymous visitor's stays in their cookie only."""

import pytest
from wagtail.users.models import UserProfile

from tests.factories import UserFactory, build_course, course_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's
SWITCHER = "form.language-switcher select"


def switch_language(visitor, label: str) -> None:
    """Choose `label` in the header's menu, as a person does: the change submits the form, and the
    answer is the page the switch redirects to."""
    page = visitor.page
    with page.expect_navigation():
        page.select_option(SWITCHER, label=label)
    visitor.settle(expect_status=200)


def language_cookie(visitor) -> str | None:
    cookies = {cookie["name"]: cookie["value"] for cookie in visitor.page.context.cookies()}
    return cookies.get("django_language")


def preferred_language(user) -> str:
    return UserProfile.objects.get(user=user).preferred_language


@pytest.fixture
def chinese_visitor(live_server_url, visitor_factory, site_tree):
    """A browser that asks for Chinese first (Accept-Language), as most of the city's staff do, so
    that English can only come from the switch."""
    return visitor_factory(live_server_url, locale="zh-CN")


def test_a_learner_switches_a_lesson_to_english_and_back_and_the_choice_is_kept(chinese_visitor, catalogue):
    course = build_course(catalogue, steps=2, slug="switching")
    step = course_steps(course)[0]
    learner = UserFactory(username="switcher")
    visitor, page = chinese_visitor, chinese_visitor.page
    visitor.log_in("switcher", PASSWORD)
    visitor.goto(step.url)
    lesson_url = page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "我的学习" in visitor.text("header") and "My learning" not in visitor.text("header")
    assert not UserProfile.objects.filter(user=learner).exists()

    switch_language(visitor, "English")
    assert page.url == lesson_url  # the same lesson, not the home page
    assert page.locator("html").get_attribute("lang") == "en"
    assert "My learning" in visitor.text("header") and "我的学习" not in visitor.text("header")
    assert page.locator("h1").inner_text() == "第1步"  # the content itself is the lesson's
    assert page.locator(f"{SWITCHER} option:checked").inner_text() == "English"
    assert preferred_language(learner) == "en"
    assert language_cookie(visitor) == "en"

    switch_language(visitor, "简体中文")
    assert page.url == lesson_url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "我的学习" in visitor.text("header") and "My learning" not in visitor.text("header")
    assert page.locator(f"{SWITCHER} option:checked").inner_text() == "简体中文"
    assert preferred_language(learner) == "zh-hans"
    assert language_cookie(visitor) == "zh-hans"
    assert UserProfile.objects.count() == 1  # one row per person, changed in place


def test_an_anonymous_visitor_switches_language_by_cookie_and_nothing_is_stored_for_anyone(chinese_visitor):
    learner = UserFactory(username="bystander")
    visitor, page = chinese_visitor, chinese_visitor.page
    visitor.goto("/about/")
    about_url = page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in visitor.text("header")

    switch_language(visitor, "English")
    assert page.url == about_url
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Log in" in visitor.text("header") and "登录" not in visitor.text("header")
    assert language_cookie(visitor) == "en"
    assert not UserProfile.objects.exists()  # neither the bystander's nor anyone's

    visitor.goto("/courses/")  # the cookie, not the browser's Chinese, decides the next page too
    assert page.locator("html").get_attribute("lang") == "en"
    assert not UserProfile.objects.filter(user=learner).exists()
