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


def test_a_snippets_parts_are_escaped_each_and_the_matched_ones_marked():
    from courses.templatetags.learning_tags import marked

    parts = [("…前 <b>", False), ("A&B", True), ("后", False), ("<i>", True)]
    assert marked(parts) == "…前 &lt;b&gt;<mark>A&amp;B</mark>后<mark>&lt;i&gt;</mark>"
    assert marked([]) == ""


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


def test_the_page_of_cards_reads_what_the_browsing_catalogue_reads(catalogue, django_capture_on_commit_callbacks):
    """courses.selectors.course_cards (one plain SQL query for a page of search results) gives the
    same courses, fields and annotations as the catalogue's ORM queryset: cover image attached,
    final exam, the learner's percent and completion."""
    from datetime import UTC, datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from courses.models import CourseProgress, QuizStepPage
    from courses.selectors import catalogue_courses, course_cards
    from tests.factories import UserFactory, build_course
    from tests.quizzes.conftest import make_quiz

    learner = UserFactory()
    image = get_image_model().objects.create(title="cover", file=get_test_image_file(filename="cover.png"))
    covered = build_course(catalogue, steps=1, slug="covered", cover_image=image)
    with_exam = build_course(catalogue, steps=1, slug="with-exam")
    with_exam.add_child(instance=QuizStepPage(title="结业", slug="final", quiz=make_quiz(), kind="final_exam"))
    draft_exam = build_course(catalogue, steps=1, slug="draft-exam")
    draft_exam.add_child(
        instance=QuizStepPage(title="结业", slug="final", quiz=make_quiz(), kind="final_exam", live=False)
    )
    done = build_course(catalogue, steps=1, slug="done")
    started = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

    def progress(user, course, percent, completed_at=None):
        CourseProgress.objects.create(
            user=user,
            course=course,
            percent=percent,
            started_at=started,
            last_activity_at=started,
            completed_at=completed_at,
        )

    progress(learner, covered, 40)
    progress(learner, done, 100, completed_at=datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC))
    progress(UserFactory(), with_exam, 70)  # someone else's

    expected = {course.pk: course for course in catalogue_courses(catalogue=catalogue, user=learner)}
    ids = [done.pk, covered.pk, draft_exam.pk, with_exam.pk]
    with CaptureQueriesContext(connection) as captured:
        cards = course_cards(course_ids=ids, user=learner)
        covers = [card.cover_image for card in cards]
    assert len(captured) == 1
    assert [card.pk for card in cards] == ids
    fields = [field.attname for field in type(covered)._meta.concrete_fields]
    for card in cards:
        model = expected[card.pk]
        assert {name: getattr(card, name) for name in fields} == {name: getattr(model, name) for name in fields}
        assert (card.has_final_exam, card.my_percent, card.my_completed_at) == (
            model.has_final_exam,
            model.my_percent,
            model.my_completed_at,
        )
    assert covers == [None, image, None, None]
    assert [card.has_final_exam for card in cards] == [False, False, False, True]
    assert [card.my_percent for card in cards] == [100, 40, None, None]


@pytest.fixture
def paged(catalogue, django_capture_on_commit_callbacks):
    """30 open courses found by 档案 in their own fields (more than a page), and after them (found only
    through a step, which ranks a course below every course found in its own fields) two limited to
    another department, one behind a Wagtail privacy setting and one limited to the learner's
    department whose matching step is still locked."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from tests.factories import DepartmentFactory, UserFactory, build_course

    city = DepartmentFactory(code="city-paged")
    mine, other = city.add_child(code="mine-paged", name="审计局"), city.add_child(code="other-paged", name="统计局")
    with django_capture_on_commit_callbacks(execute=True):
        hidden = []
        for number in range(2):
            course = build_course(catalogue, steps=0, slug=f"other-{number}", title=f"保密第{number}讲")
            course.restricted_to_departments.set([other])
            course.save_revision().publish()
            add_lesson(course, title="保密要求", text="档案的保密要求。", slug="rules")
            hidden.append(course)
        private = build_course(catalogue, steps=0, slug="private", title="审计组专讲")
        add_lesson(private, title="审计", text="档案审计。", slug="audit")
        restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.set([Group.objects.create(name="审计组")])
        hidden.append(private)
        locked = build_course(catalogue, steps=0, slug="mine-locked", title="整理规范第1讲", sequential=True)
        locked.restricted_to_departments.set([mine])
        locked.save_revision().publish()
        add_lesson(locked, title="入门", text="先读这一步。", slug="intro")
        add_lesson(locked, title="档案编号", text="档案编号的规则。", slug="numbers")
        for number in range(30):
            build_course(catalogue, steps=0, slug=f"open-{number}", title=f"档案管理第{number}讲")
    return {"learner": UserFactory(department=mine), "hidden": hidden, "locked": locked}


def test_courses_the_learner_may_not_open_beyond_the_first_page_are_neither_counted_nor_shown(client, catalogue, paged):
    from courses.selectors import catalogue_courses
    from tests.factories import UserFactory

    # For someone who may open them, the hidden courses rank beyond the first page.
    everything = catalogue_courses(catalogue=catalogue, user=UserFactory(is_city_admin=True), query="档案")
    ranked = [course.title for course in everything]
    assert len(ranked) == 34 and min(ranked.index(course.title) for course in paged["hidden"]) >= 30
    client.force_login(paged["learner"])
    first = client.get(catalogue.url, {"q": "档案"})
    second = client.get(catalogue.url, {"q": "档案", "page": 2})
    assert first.context["result_total"] == second.context["result_total"] == 31
    assert "31 courses" in first.content.decode()
    titles = [course.title for course in first.context["courses"]] + [
        course.title for course in second.context["courses"]
    ]
    assert len(titles) == len(set(titles)) == 31
    assert all(course.title not in titles for course in paged["hidden"])
    html = second.content.decode()
    assert all(course.title not in html for course in paged["hidden"])
    # The learner's own department's course is there, on the second page, its locked step named only.
    assert titles[-1] == "整理规范第1讲"
    [group] = [group for group in html.split('class="search-group"') if "整理规范第1讲" in group]
    assert "档案编号" in group and "Locked: finish the earlier steps first" in group and "search-snippet" not in group
    assert f'href="{paged["locked"].url}numbers/"' not in html


def test_the_second_page_continues_the_first_in_rank_order(client, catalogue, paged):
    from django.test import RequestFactory

    from courses.selectors import catalogue_courses

    learner = paged["learner"]
    request = RequestFactory().get("/")
    request.user = learner
    found = catalogue_courses(catalogue=catalogue, user=learner, query="档案", request=request)
    ranked = [course.title for course in found]
    client.force_login(learner)
    first = [course.title for course in client.get(catalogue.url, {"q": "档案"}).context["courses"]]
    second = [course.title for course in client.get(catalogue.url, {"q": "档案", "page": 2}).context["courses"]]
    assert first == ranked[:20] and second == ranked[20:] and len(second) == 11


def test_a_page_costs_the_same_queries_whatever_the_number_of_matching_steps(
    client, catalogue, django_capture_on_commit_callbacks
):
    """Steps found beyond the first three of a course, or in courses beyond the page, cost nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory, build_course

    client.force_login(UserFactory())

    def queries() -> int:
        client.get(catalogue.url, {"q": "公文"})  # warm the caches (site, outlines) first
        with CaptureQueriesContext(connection) as captured:
            assert client.get(catalogue.url, {"q": "公文"}).status_code == 200
        return len(captured)

    def add_courses(first: int, count: int, steps: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(first, first + count):
                course = build_course(catalogue, steps=0, slug=f"paper-{number}", title=f"公文第{number}讲")
                for step in range(steps):
                    add_lesson(course, title=f"公文格式{step}", text="公文的版头与版记。", slug=f"format-{step}")

    add_courses(0, 2, steps=1)
    few = queries()
    add_courses(2, 25, steps=5)
    assert queries() == few
