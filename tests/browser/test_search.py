"""A learner searches the catalogue in a real browser: types a Chinese and English query, sees the
course grouped with its matching step and the words marked in the snippet, and opens the step."""

import pytest

from tests.search.conftest import corpus  # noqa: F401 (the search tests' catalogue, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def test_a_learner_searches_the_catalogue_and_opens_the_matching_step(visitor, corpus, catalogue):  # noqa: F811
    page = visitor.page
    visitor.log_in(corpus["outsider"].username, PASSWORD)
    visitor.goto(catalogue.url)
    page.fill("#id_q", "CA 证书")
    visitor.press("#id_q", "Enter")

    groups = page.locator(".search-group")
    assert groups.count() == 1
    group = groups.first
    assert "网络安全意识" in group.locator(".card-title").inner_text()
    assert group.locator(".search-step-title").inner_text() == "数字证书"
    marked = group.locator(".search-snippet mark").all_inner_texts()
    assert marked == ["CA", "证书"]
    assert page.locator("#id_q").input_value() == "CA 证书"  # the query stays in the form

    visitor.click(group.locator("a.search-step-title"))
    assert page.locator("h1").inner_text() == "数字证书"

    visitor.goto(catalogue.url + "?q=预算")  # the finance bureau's course is not found by others
    assert "预算一体化系统操作" not in visitor.text()
    assert "Nothing found" in visitor.text()


def test_an_admin_adds_a_search_term_and_it_is_segmented_whole(visitor, catalogue):
    from django.core.cache import cache

    from search.models import SearchTerm
    from search.segment import segment_query
    from search.terms import VERSION_KEY, load_office_terms
    from tests.browser.test_admin import admin_login
    from tests.factories import UserFactory

    UserFactory(username="office-admin", is_superuser=True, is_staff=True)
    version = cache.get(VERSION_KEY, 0)
    admin_login(visitor, "office-admin")
    # Wagtail 8's generic snippet "add" page heads itself with an <h2>, which axe reports as a page
    # without an <h1>; that template is Wagtail's, not ours. Server and script errors are still checked.
    visitor.checks = False
    visitor.goto("/admin/snippets/search/searchterm/add/")
    visitor.page.fill("#id_term", "政务云迁移")
    visitor.click("button.action-save")
    assert SearchTerm.objects.filter(term="政务云迁移").exists()
    assert cache.get(VERSION_KEY, 0) != version
    load_office_terms()
    assert segment_query("政务云迁移") == "政务云迁移"


def test_a_learner_pages_through_many_results_and_the_filters_stay(visitor, catalogue):
    from courses.models import CoursePage
    from tests.factories import UserFactory, build_course

    for number in range(23):
        build_course(catalogue, steps=0, slug=f"docs-{number}", title=f"公文处理第{number}讲", topic="office")
    build_course(catalogue, steps=0, slug="docs-other", title="公文与网络安全", topic="security")
    UserFactory(username="paging-learner")
    visitor.log_in("paging-learner", PASSWORD)
    visitor.goto(catalogue.url + "?q=公文&topic=office")
    page = visitor.page
    first = page.locator(".course-card .card-title").all_inner_texts()
    assert len(first) == 20 and "23 courses" in visitor.text()

    visitor.click(page.locator("nav.pagination a[rel=next]"))
    second = page.locator(".course-card .card-title").all_inner_texts()
    assert len(second) == 3
    assert page.locator("#id_q").input_value() == "公文" and page.locator("#id_topic").input_value() == "office"
    # Both pages together are exactly the office courses with 公文 in the database.
    expected = set(CoursePage.objects.live().filter(topic="office", title__contains="公文").values_list("title", flat=True))
    assert {title.strip() for title in first + second} == expected and len(expected) == 23
