"""The table of queries and the courses they must find, in Chinese and English: the catalogue
search through the segmenting backend (search.backend). .ci/run runs this file on PostgreSQL and
again on SQLite."""

import pytest
from django.test import RequestFactory
from wagtail.search.backends import get_search_backend

from courses.models import CoursePage, LessonPage
from courses.selectors import catalogue_courses, catalogue_search_hits
from search.segment import segment_for_index, segment_query

pytestmark = pytest.mark.django_db

# query, courses (slugs) the outsider must find (order matters where the title outranks the body)
TABLE = [
    ("网上审批", ["oa"]),  # issue 15: found nothing with substring search
    ("网络安全", ["network"]),  # issue 15: a word inside a title
    ("Win+L", ["security"]),  # issue 15: lesson text (a shortcut block)
    ("win+l", ["security"]),
    ("公文", ["oa"]),  # a word inside a title
    ("自动化", ["oa"]),
    ("OA", ["oa"]),  # an English term inside Chinese text
    ("USB", ["security"]),  # English inside a lesson's Chinese sentence
    ("CA 证书", ["network"]),
    ("数字证书", ["network"]),  # a step's title
    ("钓鱼邮件", ["network"]),
    ("锁定屏幕", ["security"]),
    ("records", ["english"]),  # English titles
    ("retention period", ["english"]),
    ("wlaq", ["network"]),  # pinyin initials of 网络安全
    ("预算", []),  # only for the finance bureau: never found by others
    ("指标", []),  # … nor through its steps
    ("量子计算", []),
]


@pytest.mark.parametrize(("query", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_catalogue_query_finds_expected_courses(corpus, catalogue, query, expected):
    found = catalogue_courses(catalogue=catalogue, user=corpus["outsider"], query=query)
    assert [course.slug for course in found] == expected


def test_restricted_course_is_found_by_its_department(corpus, catalogue):
    found = catalogue_courses(catalogue=catalogue, user=corpus["insider"], query="预算")
    assert [course.slug for course in found] == ["budget"]


def test_title_hit_ranks_above_body_hit(corpus, catalogue, django_capture_on_commit_callbacks):
    # 公文 is in the OA course's title; the security course mentions it only in a step added here.
    from tests.search.conftest import add_lesson

    with django_capture_on_commit_callbacks(execute=True):
        add_lesson(corpus["courses"]["security"], title="公文保密", text="公文不得存放在U盘。", slug="docs")
    found = catalogue_courses(catalogue=catalogue, user=corpus["outsider"], query="公文")
    assert [course.slug for course in found] == ["oa", "security"]


def test_filters_are_kept_with_a_query(corpus, catalogue):
    found = catalogue_courses(catalogue=catalogue, user=corpus["outsider"], query="OA", topic="no-such-topic")
    assert found == []


def test_matching_step_is_shown_with_highlighted_snippet(corpus, catalogue):
    request = RequestFactory().get("/")
    request.user = corpus["outsider"]
    courses = catalogue_courses(catalogue=catalogue, user=request.user, query="CA 证书", request=request)
    hits = catalogue_search_hits(
        catalogue=catalogue, courses=courses, user=request.user, request=request, query="CA 证书"
    )
    [hit] = hits[corpus["courses"]["network"].pk]
    assert hit.title == "数字证书" and not hit.locked
    assert ("CA", True) in hit.parts and ("证书", True) in hit.parts


def test_locked_step_is_named_not_shown(corpus, catalogue):
    request = RequestFactory().get("/")
    request.user = corpus["outsider"]
    courses = catalogue_courses(catalogue=catalogue, user=request.user, query="USB", request=request)
    hits = catalogue_search_hits(catalogue=catalogue, courses=courses, user=request.user, request=request, query="USB")
    [hit] = hits[corpus["courses"]["security"].pk]
    assert hit.title == "移动存储" and hit.locked and hit.url is None and hit.parts == []


def test_admin_search_finds_a_word_inside_a_page_title(corpus):
    assert [page.title for page in CoursePage.objects.search("审批")] == ["办公自动化与网上公文审批"]
    assert {page.title for page in LessonPage.objects.search("Win+L")} == {"离开座位"}


def test_question_stems_are_searched_by_the_backend(db, django_capture_on_commit_callbacks):
    from tests.factories.quizzes import make_question, single_choice

    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(single_choice("使用数字证书登录电子公文系统前应检查什么？"))
        make_question(single_choice("下列哪项属于等级保护的要求？"))
    from quizzes.models import Question

    for query in ("数字证书", "电子公文", "公文"):
        assert [found.pk for found in get_search_backend().search(query, Question)] == [question.pk], query


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("办公自动化与网上公文审批", "网上审批"),
        ("网络安全意识", "网络安全"),
        ("按 Win+L 锁屏", "Win+L"),
        ("电子政务概论", "电子政务"),
    ],
)
def test_every_query_token_is_in_the_indexed_tokens(text, query):
    assert set(segment_query(query).split()) <= set(segment_for_index(text).split())


def test_course_behind_wagtail_privacy_is_not_found_by_others(corpus, catalogue):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    group = Group.objects.create(name="审计组")
    restriction = PageViewRestriction.objects.create(
        page=corpus["courses"]["network"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    request = RequestFactory().get("/")
    request.user = corpus["outsider"]
    assert catalogue_courses(catalogue=catalogue, user=request.user, query="数字证书", request=request) == []
    request.user.groups.add(group)
    request.user = type(request.user).objects.get(pk=request.user.pk)
    found = catalogue_courses(catalogue=catalogue, user=request.user, query="数字证书", request=request)
    assert [course.slug for course in found] == ["network"]


def test_a_cached_cut_is_not_served_once_the_segmenter_learns_a_word():
    from search.segment import add_terms

    before = segment_query("甲乙丙丁戊己")
    assert before != "甲乙丙丁戊己" and segment_query("甲乙丙丁戊己") == before  # cut, then from the cache
    add_terms(["甲乙丙丁戊己"])
    assert segment_query("甲乙丙丁戊己") == "甲乙丙丁戊己"
