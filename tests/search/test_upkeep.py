"""The index follows the content on commit: publishing, unpublishing, moving and deleting a page,
and editing a question, queue search.tasks.refresh_index_entry with transaction.on_commit (through
the outbox); the task reads the committed row and indexes or removes it. Until the transaction
commits the index is unchanged, and a rolled-back write never reaches it. update_index rebuilds."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from courses.models import CoursePage, LessonPage
from courses.selectors import catalogue_courses
from quizzes.models import Question
from search.services import index_refresh
from search.signals import _queue_refresh
from tests.search.conftest import add_lesson

pytestmark = pytest.mark.django_db


def found(catalogue, user, query):
    return [course.slug for course in catalogue_courses(catalogue=catalogue, user=user, query=query)]


def entry_count(model, pk):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    return IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk)).count()


@pytest.mark.parametrize("model", [Page, CoursePage, LessonPage, Question])
def test_wagtails_in_transaction_handlers_are_replaced_by_the_on_commit_ones(model):
    # search's ready() runs before wagtail.search's (INSTALLED_APPS order): were it after, Wagtail
    # would connect its own handlers and index inside the transaction again.
    saved = post_save._live_receivers(model)
    saved = saved[0] if isinstance(saved, tuple) else saved  # Django 5: (sync, async)
    deleted = post_delete._live_receivers(model)
    deleted = deleted[0] if isinstance(deleted, tuple) else deleted
    assert _queue_refresh in saved and _queue_refresh in deleted
    assert post_save_signal_handler not in saved and post_delete_signal_handler not in deleted


def test_published_step_is_found_only_once_committed(corpus, catalogue, django_capture_on_commit_callbacks):
    user = corpus["outsider"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson = add_lesson(corpus["courses"]["english"], title="电子签章", text="使用电子签章签发文件。", slug="seal")
        assert found(catalogue, user, "电子签章") == []  # not inside the transaction
    assert any("search.tasks.refresh_index_entry" in callback.__qualname__ for callback in callbacks)
    assert found(catalogue, user, "电子签章") == ["english"]
    with django_capture_on_commit_callbacks(execute=True):
        lesson.unpublish()
    assert found(catalogue, user, "电子签章") == []


def test_rolled_back_publication_never_reaches_the_index(corpus, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            add_lesson(corpus["courses"]["english"], title="电子签章", text="使用电子签章签发文件。", slug="seal")
            raise RuntimeError("rolled back")
    assert found(catalogue, corpus["outsider"], "电子签章") == []


def test_new_draft_text_is_not_found_until_published(corpus, catalogue, django_capture_on_commit_callbacks):
    user = corpus["outsider"]
    lesson = LessonPage.objects.get(slug="retention")
    lesson.body = [{"type": "rich_text", "value": "<p>政务公开目录</p>"}]
    with django_capture_on_commit_callbacks(execute=True):
        revision = lesson.save_revision()
    assert found(catalogue, user, "政务公开") == []
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert found(catalogue, user, "政务公开") == ["english"]


def test_moved_step_is_reindexed_on_commit(corpus, catalogue, django_capture_on_commit_callbacks):
    user = corpus["outsider"]
    lesson = LessonPage.objects.get(slug="draft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lesson.move(corpus["courses"]["english"], pos="last-child")
    # The move saves a plain Page; the task indexes its specific page.
    assert any("search.tasks.refresh_index_entry" in callback.__qualname__ for callback in callbacks)
    for callback in callbacks:
        callback()
    assert found(catalogue, user, "发文") == ["english"]


def test_deleted_course_is_removed_on_commit(corpus, catalogue, django_capture_on_commit_callbacks):
    network = corpus["courses"]["network"]
    step = LessonPage.objects.get(slug="ca")
    assert entry_count(CoursePage, network.pk) == 1 and entry_count(LessonPage, step.pk) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        network.delete()
    # The entries go with the rows (modelsearch's generic relation cascades) and the refreshes
    # queued for the course and its step find no row.
    assert len([c for c in callbacks if "search.tasks.refresh_index_entry" in c.__qualname__]) >= 2
    assert entry_count(CoursePage, network.pk) == 0 and entry_count(LessonPage, step.pk) == 0
    assert found(catalogue, corpus["outsider"], "网络安全") == []
    assert found(catalogue, corpus["outsider"], "数字证书") == []


def test_edited_question_is_found_by_its_new_words(db, django_capture_on_commit_callbacks):
    from tests.factories.quizzes import make_question, single_choice

    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(single_choice("弱口令有哪些危害？"))
    backend = get_search_backend()
    question.stem = "<p>如何申请数字证书？</p>"
    with django_capture_on_commit_callbacks(execute=True):
        question.save()
        assert list(backend.search("数字证书", Question)) == []  # not inside the transaction
    assert list(backend.search("数字证书", Question)) == [question]
    assert list(backend.search("弱口令", Question)) == []


def test_refresh_is_idempotent_and_follows_the_current_row(corpus):
    step = LessonPage.objects.get(slug="ca")
    assert index_refresh(model_label="courses.LessonPage", pk=str(step.pk)) is True
    assert index_refresh(model_label="courses.LessonPage", pk=str(step.pk)) is True
    assert entry_count(LessonPage, step.pk) == 1
    # Through the plain Page (as a move saves it), the specific page's entry is refreshed.
    assert index_refresh(model_label="wagtailcore.Page", pk=str(step.pk)) is True
    assert entry_count(LessonPage, step.pk) == 1 and entry_count(Page, step.pk) == 0
    # The row is gone (a refresh queued before a delete runs after it): the entry goes.
    LessonPage.objects.filter(pk=step.pk).delete()
    assert index_refresh(model_label="courses.LessonPage", pk=str(step.pk)) is False
    assert index_refresh(model_label="courses.LessonPage", pk=str(step.pk)) is False
    assert entry_count(LessonPage, step.pk) == 0


def test_update_index_rebuilds_everything(corpus, catalogue):
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert found(catalogue, corpus["outsider"], "网上审批") == []
    call_command("update_index", verbosity=0)
    assert found(catalogue, corpus["outsider"], "网上审批") == ["oa"]
    assert found(catalogue, corpus["outsider"], "Win+L") == ["security"]
