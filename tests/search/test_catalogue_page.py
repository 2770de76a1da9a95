"""The catalogue page with a query: grouped results with highlighted, escaped snippets; a clear
page when nothing is found."""

import pytest

from courses.models import CoursePage
from tests.search.conftest import add_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, corpus):
    client.force_login(corpus["outsider"])
    return client


def test_result_lists_matching_step_with_marked_words(page, catalogue, corpus):
    html = page.get(catalogue.url, {"q": "CA 证书"}).content.decode()
    assert "网络安全意识" in html and "数字证书" in html
    assert "<mark>CA</mark>" in html and "<mark>证书</mark>" in html


def test_snippet_text_is_escaped(page, catalogue, corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_lesson(corpus["courses"]["network"], title="脚本", text="防火墙 &lt;b&gt;规则&lt;/b&gt; A&amp;B", slug="x")
    html = page.get(catalogue.url, {"q": "防火墙"}).content.decode()
    snippet = html.split("search-snippet")[1].split("</p>")[0]
    assert "<mark>防火墙</mark>" in snippet and "<b>" not in snippet and "规则" in snippet


def test_restricted_course_is_not_on_the_page(page, catalogue):
    html = page.get(catalogue.url, {"q": "预算"}).content.decode()
    assert "预算一体化系统操作" not in html and "Nothing found" in html


def test_no_results_page_suggests_topics(page, catalogue):
    html = page.get(catalogue.url, {"q": "量子计算"}).content.decode()
    assert "量子计算" in html and "Try fewer or shorter words" in html
    assert 'href="?topic=' in html


def test_query_and_filters_stay_in_the_form(page, catalogue):
    topic = CoursePage.objects.get(slug="oa").topic
    html = page.get(catalogue.url, {"q": "OA", "topic": topic}).content.decode()
    assert 'value="OA"' in html and f'value="{topic}" selected' in html and "办公自动化与网上公文审批" in html


@pytest.fixture
def many_found(catalogue, django_capture_on_commit_callbacks):
    """25 courses with 公文 in their title (more than a page of results) and one on another topic."""
    from tests.factories import build_course

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(25):
            build_course(catalogue, steps=0, slug=f"docs-{number}", title=f"公文处理第{number}讲", topic="office")
        build_course(catalogue, steps=0, slug="docs-other", title="公文与网络安全", topic="security")
    return catalogue


def test_a_common_word_builds_one_page_of_cards_with_a_next_link_that_keeps_the_filters(client, many_found):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(many_found.url, {"q": "公文", "topic": "office"})
    html = response.content.decode()
    assert html.count('class="card course-card"') == 20 and len(response.context["courses"]) == 20
    assert "25 courses" in html and "公文与网络安全" not in html
    assert 'href="?q=%E5%85%AC%E6%96%87&amp;topic=office&amp;page=2" rel="next"' in html

    html = client.get(many_found.url, {"q": "公文", "topic": "office", "page": 2}).content.decode()
    assert html.count('class="card course-card"') == 5 and 'rel="prev"' in html and 'rel="next"' not in html
    shown = {f"公文处理第{number}讲" for number in range(25) if f"公文处理第{number}讲<" in html}
    assert len(shown) == 5


def test_browsing_without_a_query_is_not_paginated(client, many_found):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get(many_found.url).content.decode()
    assert html.count('class="card course-card"') == 26 and 'rel="next"' not in html


def test_search_page_queries_do_not_grow_with_the_courses_found(client, catalogue, django_capture_on_commit_callbacks):
    """The backend is asked once per page (courses and steps), access is checked on light rows, and
    only one page of courses is loaded: 5 matches and 45 matches cost the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory, build_course

    client.force_login(UserFactory())

    def queries_for_search() -> int:
        client.get(catalogue.url, {"q": "公文"})  # warm the caches (site, outlines) first
        with CaptureQueriesContext(connection) as captured:
            response = client.get(catalogue.url, {"q": "公文"})
        assert response.status_code == 200
        return len(captured)

    def add_courses(first: int, count: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(first, first + count):
                course = build_course(catalogue, steps=0, slug=f"paper-{number}", title=f"公文第{number}讲")
                add_lesson(course, title=f"公文格式{number}", text="公文的版头与版记。", slug="format")

    add_courses(0, 5)
    few = queries_for_search()
    add_courses(5, 40)
    many = queries_for_search()
    assert many == few


def test_found_courses_load_only_the_slice_asked_for(catalogue, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.selectors import catalogue_courses
    from tests.factories import UserFactory, build_course

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(30):
            build_course(catalogue, steps=0, slug=f"paper-{number}", title=f"公文第{number}讲")
    found = catalogue_courses(catalogue=catalogue, user=UserFactory(), query="公文")
    with CaptureQueriesContext(connection) as captured:
        assert len(found) == 30
        first_page = found[:20]
    assert len(captured) == 1  # the page's rows; the length was known from the access check
    assert [course.title for course in first_page] == [course.title for course in found][:20]
    assert len(first_page) == 20


def test_the_shared_filter_lists_follow_the_selection_and_the_language(page, catalogue):
    """The topic and level lists are rendered once and shared ({% same_for %}): each selection,
    a refused value and each language still get their own."""
    html = page.get(catalogue.url, {"q": "OA", "topic": "office"}).content.decode()
    assert 'value="office" selected' in html and "All topics" in html
    html = page.get(catalogue.url, {"q": "OA", "topic": "security"}).content.decode()
    assert 'value="security" selected' in html and 'value="office" selected' not in html
    html = page.get(catalogue.url, {"q": "OA", "topic": "no-such-topic"}).content.decode()
    assert 'aria-invalid="true"' in html and 'value="office" selected' not in html
    html = page.get(catalogue.url, {"q": "OA", "topic": "office"}).content.decode()
    assert 'aria-invalid="true"' not in html and 'value="office" selected' in html
    html = page.get(catalogue.url, {"q": "OA", "topic": "office"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "全部主题" in html and "All topics" not in html and 'value="office" selected' in html


def test_the_shared_topic_suggestions_follow_the_language(page, catalogue):
    english = page.get(catalogue.url, {"q": "量子计算"}).content.decode()
    chinese = page.get(catalogue.url, {"q": "量子计算"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">E-government basics</a>" in english and ">E-government basics</a>" not in chinese
    assert chinese.count('href="?topic=') == english.count('href="?topic=') == 6


def test_a_snippet_follows_an_edited_step(page, catalogue, corpus, django_capture_on_commit_callbacks):
    """Step texts are cached by their stored text: a published edit is shown on the next search."""
    html = page.get(catalogue.url, {"q": "CA 证书"}).content.decode()
    assert "政务外网" in html
    lesson = corpus["courses"]["network"].get_children().get(slug="ca").specific
    lesson.body = [{"type": "rich_text", "value": "<p>使用 CA 证书登录内网门户。</p>"}]
    with django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()
    html = page.get(catalogue.url, {"q": "CA 证书"}).content.decode()
    assert "内网门户" in html and "政务外网" not in html


def test_the_card_badges_follow_the_course_and_the_language(page, catalogue, corpus):
    network = corpus["courses"]["network"]
    html = page.get(catalogue.url, {"q": "网络安全"}).content.decode()
    assert f'<span class="badge">{network.get_topic_display()}</span>' in html
    network.topic = "office"
    network.save_revision().publish()
    html = page.get(catalogue.url, {"q": "网络安全"}).content.decode()
    assert '<span class="badge">Office automation</span>' in html
    html = page.get(catalogue.url, {"q": "网络安全"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="badge">Office automation</span>' not in html


def test_courses_limited_to_departments_cost_no_query_each(client, catalogue, django_capture_on_commit_callbacks):
    """Found courses limited to departments are admitted or refused on their light rows, with one
    query for their departments' paths: 2 and 22 of them cost the same, and only the learner's
    department's are listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DepartmentFactory, UserFactory, build_course

    city = DepartmentFactory(code="city-limits")
    mine, other = city.add_child(code="mine", name="审计局"), city.add_child(code="other", name="统计局")
    client.force_login(UserFactory(department=mine))

    def add_courses(first: int, count: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(first, first + count):
                course = build_course(catalogue, steps=0, slug=f"limited-{number}", title=f"档案第{number}讲")
                course.restricted_to_departments.set([mine if number % 2 else other])
                course.save_revision().publish()

    def search() -> tuple[int, str]:
        client.get(catalogue.url, {"q": "档案"})  # warm the caches (site, outlines) first
        with CaptureQueriesContext(connection) as captured:
            html = client.get(catalogue.url, {"q": "档案"}).content.decode()
        return len(captured), html

    add_courses(0, 2)
    few, html = search()
    assert "档案第1讲" in html and "档案第0讲" not in html
    add_courses(2, 20)
    many, html = search()
    assert many == few
    assert "11 courses" in html and "档案第21讲" in html and "档案第20讲" not in html
