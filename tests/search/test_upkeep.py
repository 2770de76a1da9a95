"""The index follows the content: publishing, unpublishing, moving and deleting a page, and
editing a question, change what is found as soon as the change is committed; update_index rebuilds."""

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from courses.models import LessonPage
from courses.selectors import catalogue_courses
from quizzes.models import Question
from tests.search.conftest import add_lesson

pytestmark = pytest.mark.django_db


def found(catalogue, user, query):
    return [course.slug for course in catalogue_courses(catalogue=catalogue, user=user, query=query)]


def test_published_change_is_found_and_unpublished_step_is_not(corpus, catalogue):
    user = corpus["outsider"]
    lesson = add_lesson(corpus["courses"]["english"], title="电子签章", text="使用电子签章签发文件。", slug="seal")
    assert found(catalogue, user, "电子签章") == ["english"]
    lesson.unpublish()
    assert found(catalogue, user, "电子签章") == []


def test_new_draft_text_is_not_found_until_published(corpus, catalogue):
    user = corpus["outsider"]
    lesson = LessonPage.objects.get(slug="retention")
    lesson.body = [{"type": "rich_text", "value": "<p>政务公开目录</p>"}]
    revision = lesson.save_revision()
    assert found(catalogue, user, "政务公开") == []
    revision.publish()
    assert found(catalogue, user, "政务公开") == ["english"]


def test_moved_step_is_found_under_its_new_course(corpus, catalogue):
    user = corpus["outsider"]
    lesson = LessonPage.objects.get(slug="draft")
    lesson.move(corpus["courses"]["english"], pos="last-child")
    assert found(catalogue, user, "发文") == ["english"]


def test_deleted_course_is_not_found(corpus, catalogue):
    corpus["courses"]["network"].delete()
    assert found(catalogue, corpus["outsider"], "网络安全") == []
    assert found(catalogue, corpus["outsider"], "数字证书") == []


def test_edited_question_is_found_by_its_new_words(db):
    from tests.factories.quizzes import make_question, single_choice

    question = make_question(single_choice("弱口令有哪些危害？"))
    question.stem = "<p>如何申请数字证书？</p>"
    question.save()
    backend = get_search_backend()
    assert list(backend.search("数字证书", Question)) == [question]
    assert list(backend.search("弱口令", Question)) == []


def test_update_index_rebuilds_everything(corpus, catalogue):
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert found(catalogue, corpus["outsider"], "网上审批") == []
    call_command("update_index", verbosity=0)
    assert found(catalogue, corpus["outsider"], "网上审批") == ["oa"]
    assert found(catalogue, corpus["outsider"], "Win+L") == ["security"]
