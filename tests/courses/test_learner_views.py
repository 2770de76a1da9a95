import pytest
from django.urls import reverse

from courses.models import CourseProgress, StepCompletion
from tests.factories import UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, learner):
    client.force_login(learner)
    return client


def complete_url(step):
    return reverse("courses:step_complete", args=[step.id])


def test_anonymous_visitor_is_sent_to_log_in(client, course):
    response = client.get(course_steps(course)[0].url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_mark_as_done_goes_to_the_next_step(logged_in, course, learner):
    first, second, _third = course_steps(course)
    response = logged_in.post(complete_url(first))
    assert response.status_code == 302 and response["Location"] == second.url
    assert CourseProgress.objects.get(user=learner).steps_done == 1


def test_mark_as_done_needs_post(logged_in, course):
    response = logged_in.get(complete_url(course_steps(course)[0]))
    assert response.status_code == 405
    assert not StepCompletion.objects.exists()


def test_mark_as_done_is_refused_without_csrf_token(client, course, learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    response = strict.post(complete_url(course_steps(course)[0]))
    assert response.status_code == 403
    assert not StepCompletion.objects.exists()


def test_locked_step_is_refused_when_opened_by_url(logged_in, course):
    third = course_steps(course)[2]
    response = logged_in.get(third.url)
    assert response.status_code == 403
    assert b"Finish the earlier steps" in response.content
    assert "Mark as done" not in response.content.decode()


def test_locked_step_is_refused_when_marked_done_by_url(logged_in, course):
    response = logged_in.post(complete_url(course_steps(course)[2]))
    assert response.status_code == 403
    assert not StepCompletion.objects.exists()


def test_learner_cannot_mark_done_in_course_they_cannot_access(logged_in, catalogue):
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(code="other-dept")
    private = build_course(catalogue, steps=2, slug="private")
    private.restricted_to_departments.set([other])
    private.save()
    response = logged_in.post(complete_url(course_steps(private)[0]))
    assert response.status_code == 403
    assert not StepCompletion.objects.exists()
    assert logged_in.get(course_steps(private)[0].url).status_code == 403


def test_unpublished_course_step_cannot_be_marked_done(logged_in, course):
    course.unpublish()
    assert logged_in.post(complete_url(course_steps(course)[0])).status_code == 403
    assert not StepCompletion.objects.exists()


def test_completing_last_step_completes_course_and_returns_to_it(logged_in, course, learner):
    for step in course_steps(course)[:-1]:
        logged_in.post(complete_url(step))
    response = logged_in.post(complete_url(course_steps(course)[-1]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "You have completed" in response.content.decode()
    assert CourseProgress.objects.get(user=learner).completed_at is not None


def test_lesson_page_shows_outline_status_and_progress(logged_in, course):
    first, second, third = course_steps(course)
    logged_in.post(complete_url(first))
    html = logged_in.get(second.url).content.decode()
    assert 'value="33"' in html  # the progress bar
    assert "Step 2 of 3" in html
    assert "Mark as done and continue" in html
    assert f'href="{first.url}"' in html and "Locked" in html


def test_start_course_enrols_and_opens_first_step(logged_in, course, learner):
    response = logged_in.post(reverse("courses:course_start", args=[course.id]))
    assert response["Location"] == course_steps(course)[0].url
    assert CourseProgress.objects.filter(user=learner, course=course).exists()


def test_course_page_lists_each_steps_status(logged_in, course):
    logged_in.post(complete_url(course_steps(course)[0]))
    html = logged_in.get(course.url).content.decode()
    assert html.count("status-done") >= 1 and html.count("status-locked") == 1
    assert "Continue" in html


def test_my_learning_lists_in_progress_and_completed(logged_in, catalogue, course, learner):
    other = build_course(catalogue, steps=1, slug="short", title="短课程")
    logged_in.post(complete_url(course_steps(course)[0]))
    logged_in.post(complete_url(course_steps(other)[0]))
    html = logged_in.get(reverse("courses:my_learning")).content.decode()
    in_progress, completed = html.split('id="completed-heading"')
    assert course.title in in_progress and "33%" in in_progress
    assert other.title in completed


def test_home_page_offers_to_continue_where_the_learner_left_off(logged_in, site_tree, course):
    logged_in.post(complete_url(course_steps(course)[0]))
    html = logged_in.get("/").content.decode()
    assert "Continue where you left off" in html
    assert course_steps(course)[1].url in html


@pytest.mark.parametrize("step_count", [5, 50])
def test_lesson_page_query_count_is_constant(client, catalogue, django_assert_max_num_queries, step_count):
    course = build_course(catalogue, steps=step_count, sequential=True, slug=f"big-{step_count}")
    user = UserFactory()
    client.force_login(user)
    steps = course_steps(course)
    client.post(complete_url(steps[0]))
    # Warm the session and site-root caches as a running server has them, with another step,
    # so the measured request is the worst case: this step's body not yet in the cache.
    client.get(steps[0].url)
    with django_assert_max_num_queries(10) as captured:
        response = client.get(steps[1].url)
    assert response.status_code == 200
    # Same number for 5 and 50 steps: remembered on the function between the two runs.
    counts = test_lesson_page_query_count_is_constant.__dict__.setdefault("counts", {})
    counts[step_count] = len(captured.captured_queries)
    if len(counts) == 2:
        assert counts[5] == counts[50]


def test_catalogue_search_finds_chinese_text_inside_a_sentence(logged_in, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index is updated on commit
        build_course(catalogue, steps=1, slug="security", title="信息安全保障", summary="落实等级保护和应急处置要求。")
        build_course(catalogue, steps=1, slug="oa", title="办公自动化", summary="网上公文审批流程。", topic="office")
    html = logged_in.get(catalogue.url, {"q": "应急处置"}).content.decode()
    assert "信息安全保障" in html and "办公自动化" not in html
    html = logged_in.get(catalogue.url, {"q": "公文"}).content.decode()
    assert "办公自动化" in html and "信息安全保障" not in html


def test_catalogue_filters_by_topic_and_level(logged_in, catalogue):
    build_course(catalogue, steps=1, slug="security", title="信息安全保障", topic="security", level="advanced")
    build_course(catalogue, steps=1, slug="oa", title="办公自动化", topic="office", level="beginner")
    html = logged_in.get(catalogue.url, {"topic": "office"}).content.decode()
    assert "办公自动化" in html and "信息安全保障" not in html
    html = logged_in.get(catalogue.url, {"level": "advanced"}).content.decode()
    assert "信息安全保障" in html and "办公自动化" not in html


def test_catalogue_ignores_an_invalid_filter_with_a_message(logged_in, catalogue):
    build_course(catalogue, steps=1, slug="oa", title="办公自动化")
    response = logged_in.get(catalogue.url, {"topic": "<script>", "q": "x" * 500})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not valid" in html and "办公自动化" in html and "<script>" not in html
