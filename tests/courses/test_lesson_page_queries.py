"""Issue 17: what a lesson page reads. The learner's completions and progress row come in one
query, and the view-restriction query is skipped while no page on the site has a privacy setting
(a cached fact, dropped whenever a restriction is saved or deleted; never an access decision)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses import selectors
from courses.models import CourseProgress, LessonPage, StepCompletion
from courses.selectors import any_view_restriction_exists, learner_progress_and_completions
from courses.services import step_complete
from tests.factories import UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db


def complete(client, step):
    return client.post(reverse("courses:step_complete", args=[step.id]))


def lesson_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("step_count", [3, 30])
def test_lesson_page_reads_progress_and_completions_in_one_query(client, catalogue, step_count):
    course = build_course(catalogue, steps=step_count, sequential=True, slug=f"c-{step_count}")
    client.force_login(UserFactory())
    steps = course_steps(course)
    complete(client, steps[0])
    client.get(steps[1].url)  # warms the session, site, outline and body caches
    queries = lesson_queries(client, steps[1].url)
    # The user, and the lesson with its course and the learner's progress with completions:
    # nothing else, whatever the number of steps (no view-restriction query: the site has none).
    assert len(queries) == 2, "\n".join(q[:150] for q in queries)
    assert not any("pageviewrestriction" in sql for sql in queries)
    routing = [sql for sql in queries if "courses_lessonpage" in sql]
    assert len(routing) == 1 and "courses_stepcompletion" in routing[0] and "courses_courseprogress" in routing[0]


def test_the_progress_read_while_routing_is_the_learners_own_and_fresh(client, catalogue, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from courses.selectors import live_lesson_by_url_path

    course = build_course(catalogue, steps=3, sequential=True, slug="routed-progress")
    learner, someone_else = UserFactory(), UserFactory()
    first, second, third = course_steps(course)
    step_complete(user=learner, step=first)
    with django_assert_num_queries(1):
        lesson = live_lesson_by_url_path(url_path=second.url_path, user=learner)
        progress, completed = learner_progress_and_completions(user=learner, course=lesson.get_parent())
    assert (progress, completed) == (CourseProgress.objects.get(user=learner, course=course), {first.id})
    assert (progress.steps_done, progress.steps_total) == (1, 3)
    with django_assert_num_queries(1):  # another person's progress is read for them, not taken from it
        assert learner_progress_and_completions(user=someone_else, course=lesson.get_parent()) == (None, set())
    anonymous = live_lesson_by_url_path(url_path=second.url_path, user=AnonymousUser())
    assert "routed_learner_progress" not in anonymous.get_parent().__dict__
    # Each request reads the completions again: the step opened just now is open on the next page.
    client.force_login(learner)
    assert client.get(third.url).status_code == 403
    step_complete(user=learner, step=second)
    assert client.get(third.url).status_code == 200


def test_progress_and_completions_are_this_learners_in_this_course(catalogue, django_assert_num_queries):
    course = build_course(catalogue, steps=3, slug="mine")
    other_course = build_course(catalogue, steps=2, slug="other")
    learner, someone_else = UserFactory(), UserFactory()
    with django_assert_num_queries(1):
        assert learner_progress_and_completions(user=learner, course=course) == (None, set())
    first, second, _third = course_steps(course)
    step_complete(user=learner, step=first)
    step_complete(user=learner, step=second)
    step_complete(user=someone_else, step=first)
    step_complete(user=learner, step=course_steps(other_course)[0])
    with django_assert_num_queries(1):
        progress, completed = learner_progress_and_completions(user=learner, course=course)
    assert completed == {first.id, second.id}
    assert progress == CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.steps_total) == (2, 3)
    assert progress.started_at == CourseProgress.objects.get(user=learner, course=course).started_at
    assert StepCompletion.objects.filter(course=course).count() == 3


def test_a_new_restriction_is_enforced_at_once_and_its_removal_skips_the_query_again(client, catalogue):
    course = build_course(catalogue, steps=2, slug="private")
    client.force_login(UserFactory())
    step = course_steps(course)[0]
    assert client.get(step.url).status_code == 200  # caches "no restriction anywhere"
    assert any_view_restriction_exists() is False

    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Auditors"))
    response = client.get(step.url)
    assert response.status_code != 200  # the learner is not in the group: refused, not served from a stale flag
    assert any_view_restriction_exists() is True

    restriction.delete()
    assert client.get(step.url).status_code == 200
    assert not any("pageviewrestriction" in sql for sql in lesson_queries(client, step.url))


def test_an_answer_stored_late_by_a_request_racing_a_change_is_never_read(
    catalogue, django_capture_on_commit_callbacks
):
    course = build_course(catalogue, steps=1, slug="race")
    assert any_view_restriction_exists() is False
    old_generation = cache.get(selectors.VIEW_RESTRICTIONS_GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert len(callbacks) >= 1  # a new generation again after the commit
    # A request that read the rows before the change, storing its answer after it.
    cache.set(selectors.VIEW_RESTRICTIONS_ANSWER_KEY, (old_generation, False))
    assert any_view_restriction_exists() is True


def test_without_a_working_cache_the_database_is_asked(catalogue, monkeypatch):
    course = build_course(catalogue, steps=1, slug="nocache")
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    monkeypatch.setattr(selectors.cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(selectors.cache, "get_many", lambda *args, **kwargs: {})
    assert any_view_restriction_exists() is True


@pytest.mark.parametrize("restricted", [False, True])
def test_a_lesson_is_routed_with_its_course_read_in_plain_sql(catalogue, django_assert_num_queries, restricted):
    from courses.selectors import live_lesson_by_url_path
    from departments.models import Department

    course = build_course(catalogue, steps=2, sequential=True, slug=f"routed-{restricted}")
    if restricted:
        course.restricted_to_departments.add(Department.add_root(code="finance", name="Finance"))
        course.save()  # a ParentalManyToManyField is written with the page
    step = course_steps(course)[1]
    with django_assert_num_queries(1):
        lesson = live_lesson_by_url_path(url_path=step.url_path)
        parent = lesson.get_parent()  # attached: no second query
        assert (parent.pk, parent.title, parent.url_path, parent.sequential, parent.live) == (
            course.pk,
            course.title,
            course.url_path,
            True,
            True,
        )
    assert parent.has_department_restriction is restricted
    assert parent.last_published_at == course.last_published_at and parent.translation_key == course.translation_key
    # The lesson as the ORM reads it, every field converted (its body a StreamField value).
    expected = LessonPage.objects.get(pk=step.pk)
    for field in LessonPage._meta.concrete_fields:
        assert getattr(lesson, field.attname) == getattr(expected, field.attname), field.name
    assert [block.block_type for block in lesson.body] == [block.block_type for block in expected.body]
    assert lesson.live is True and lesson.specific_class is LessonPage
    assert live_lesson_by_url_path(url_path=f"{course.url_path}missing/") is None
    LessonPage.objects.filter(pk=step.pk).update(live=False)
    assert live_lesson_by_url_path(url_path=step.url_path) is None  # not live: not routed here


def test_the_course_and_step_addresses_are_wagtails(rf, catalogue):
    from django.contrib.auth.models import AnonymousUser

    from courses.selectors import learner_course_view

    course = build_course(catalogue, steps=2, slug="网络安全")  # a Chinese slug is quoted as Wagtail does
    request = rf.get("/")
    view = learner_course_view(user=AnonymousUser(), course=course, request=request)
    assert view.course_url == course.get_url(request) == course.url
    assert [entry.url for entry in view.outline] == [step.get_url(request) for step in course_steps(course)]
