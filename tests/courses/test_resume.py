""" "Continue where you left off" offers the most recently active course that is not completed.
Activity is CourseProgress.last_activity_at: starting the course, completing a step, opening an
attempt at one of its quizzes, submitting one (passed or not). None when every started course is
done; an unpublished course is not offered; the home page costs the same queries at any size."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseProgress, QuizStepPage
from courses.selectors import learner_resume_row
from courses.services import course_quiz_scores_refresh, course_start, step_complete
from quizzes.models import Attempt
from quizzes.services import attempt_grade_override, attempt_start, attempt_submit
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.fixture
def with_quiz(catalogue):
    """A lesson, then a knowledge check, then another lesson."""
    course = build_course(catalogue, steps=1, sequential=True, title="带测验的课程", slug="with-quiz")
    course.add_child(instance=QuizStepPage(title="随堂测验", slug="check", quiz=make_quiz(pass_mark_percent=60)))
    course.refresh_from_db()
    return course


@pytest.fixture
def plain(catalogue):
    return build_course(catalogue, steps=3, sequential=True, title="普通课程", slug="plain")


def quiz_of(course):
    return QuizStepPage.objects.child_of(course).get().quiz


def test_the_course_touched_last_is_offered(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(0))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(10))
    assert learner_resume_row(user=learner).course == plain
    course_start(user=learner, course=with_quiz, now=at(20))  # reopening a course is activity too
    assert learner_resume_row(user=learner).course == with_quiz


def test_a_failed_quiz_attempt_counts_as_activity_in_its_course(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(0))
    attempt = attempt_start(quiz=quiz_of(with_quiz), user=learner, now=at(1))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(10))
    grade = attempt_submit(attempt_id=attempt.pk, user=learner, answers={}, now=at(20))
    assert not grade.passed
    row = learner_resume_row(user=learner)
    assert (row.course, row.last_activity_at) == (with_quiz, at(20))


def test_a_regrade_or_override_is_not_the_learners_activity(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(0))
    attempt = attempt_start(quiz=quiz_of(with_quiz), user=learner, now=at(1))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={}, now=at(2))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(10))
    attempt_grade_override(
        attempt=Attempt.objects.get(pk=attempt.pk),
        position=1,
        score=Decimal("1"),
        reason="复核",
        user=UserFactory(),
        now=at(30),
    )
    assert learner_resume_row(user=learner).course == plain
    assert CourseProgress.objects.get(course=with_quiz).last_activity_at == at(2)


def test_a_completed_course_is_never_offered_and_none_when_all_are_done(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(plain)[0], now=at(0))
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(5))
    attempt = attempt_start(quiz=quiz_of(with_quiz), user=learner, now=at(6))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt), now=at(7))
    assert CourseProgress.objects.get(course=with_quiz).is_completed  # the latest activity, but done
    assert learner_resume_row(user=learner).course == plain
    for step in course_steps(plain)[1:]:
        step_complete(user=learner, step=step, now=at(20))
    assert learner_resume_row(user=learner) is None


def test_an_unpublished_course_is_not_offered(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(plain)[0], now=at(0))
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(10))
    with_quiz.unpublish()
    assert learner_resume_row(user=learner).course == plain


def test_attempts_written_in_bulk_count_once_the_scores_are_refreshed(learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(0))
    attempt = attempt_start(quiz=quiz_of(with_quiz), user=learner, now=at(1))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={}, now=at(2))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(10))
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=at(30))  # as the demo writes them
    assert course_quiz_scores_refresh(course_id=with_quiz.pk) == 1
    assert learner_resume_row(user=learner).course == with_quiz
    assert course_quiz_scores_refresh(course_id=with_quiz.pk) == 0


def test_the_home_page_offers_the_resume_step_of_that_course(client, site_tree, learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(plain)[0], now=at(0))
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(10))
    client.force_login(learner)
    html = client.get("/").content.decode()
    card = html[html.index('id="resume-heading"') : html.index("</section>", html.index('id="resume-heading"'))]
    assert "带测验的课程" in card and QuizStepPage.objects.get().url in card
    for step in course_steps(plain)[1:]:
        step_complete(user=learner, step=step, now=at(20))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(30))
    assert learner_resume_row(user=learner).course == with_quiz


def test_no_card_when_every_started_course_is_done(client, site_tree, learner, plain):
    for step in course_steps(plain):
        step_complete(user=learner, step=step)
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert 'id="resume-heading"' not in html
    assert 'id="recent-heading"' in html


@pytest.mark.parametrize("courses", [2, 20])
def test_the_home_page_costs_the_same_queries_for_2_and_20_started_courses(
    client, site_tree, catalogue, courses, django_assert_max_num_queries
):
    learner = UserFactory()
    for number in range(courses):
        course = build_course(catalogue, steps=2, slug=f"c{number}", title=f"课程{number}")
        steps = course_steps(course)
        step_complete(user=learner, step=steps[0], now=at(number))
        if number % 2:
            step_complete(user=learner, step=steps[1], now=at(number))
    client.force_login(learner)
    client.get("/")  # the session and the site root, as a running server has them
    with django_assert_max_num_queries(9) as captured:
        response = client.get("/")
    assert response.status_code == 200 and 'id="resume-heading"' in response.content.decode()
    counts = test_the_home_page_costs_the_same_queries_for_2_and_20_started_courses.__dict__.setdefault("counts", {})
    counts[courses] = len(captured.captured_queries)
    if len(counts) == 2:
        assert counts[2] == counts[20]


def test_my_learning_lists_courses_in_progress_by_the_same_activity(client, learner, with_quiz, plain):
    step_complete(user=learner, step=course_steps(with_quiz)[0], now=at(0))
    step_complete(user=learner, step=course_steps(plain)[0], now=at(10))
    attempt = attempt_start(quiz=quiz_of(with_quiz), user=learner, now=at(11))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={}, now=at(20))
    client.force_login(learner)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert html.index("带测验的课程") < html.index("普通课程")
    assert timezone.is_aware(CourseProgress.objects.get(course=with_quiz).last_activity_at)
