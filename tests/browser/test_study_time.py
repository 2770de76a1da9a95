"""Issue 13 parts 1 and 2 in Chromium: a step page that is read earns time through its heartbeat,
a hidden page earns none, two tabs earn no more than one, and "Mark as done" waits for the
step's minimum. The heartbeat interval is one second here (STUDY_TIME_BEAT_SECONDS)."""

import time

import pytest

from courses.models import StepCompletion
from studytime.models import StudyTime
from studytime.selectors import step_verified_seconds
from studytime.services import study_time_flush
from tests.factories import UserFactory, build_course, course_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"

# Lets a test hide the page: document.visibilityState reads window.__hidden, as a browser's
# does when the tab goes to the background.
CONTROLLABLE_VISIBILITY = """
window.__hidden = window.__startHidden === true;
Object.defineProperty(document, "visibilityState", {configurable: true, get: () => (window.__hidden ? "hidden" : "visible")});
Object.defineProperty(document, "hidden", {configurable: true, get: () => window.__hidden});
"""


@pytest.fixture
def quick_beats(settings):
    settings.STUDY_TIME_BEAT_SECONDS = 1


@pytest.fixture
def step_page(catalogue):
    course = build_course(catalogue, steps=2)
    learner = UserFactory(username="reader")
    return course, course_steps(course)[0], learner


def credited_ms(learner) -> int:
    study_time_flush()
    return sum(StudyTime.objects.filter(user=learner).values_list("active_ms", flat=True))


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_learner_reading_a_step_accrues_time(visitor, quick_beats, step_page):
    course, step, learner = step_page
    visitor.log_in("reader", PASSWORD)
    visitor.goto(step.url)
    visitor.page.mouse.move(200, 300)
    assert wait_for(lambda: credited_ms(learner) >= 3000)
    row = StudyTime.objects.get(user=learner)
    assert (row.step_id, row.course_id) == (step.pk, course.pk)


def test_a_hidden_tab_accrues_none(visitor, quick_beats, step_page):
    _course, step, learner = step_page
    visitor.log_in("reader", PASSWORD)
    visitor.page.add_init_script("window.__startHidden = true;" + CONTROLLABLE_VISIBILITY)
    visitor.goto(step.url)
    time.sleep(4)
    assert credited_ms(learner) == 0
    # Shown again: it earns from then on (so the silence above was the hiding, not a broken page).
    visitor.page.evaluate("window.__hidden = false; document.dispatchEvent(new Event('visibilitychange'))")
    assert wait_for(lambda: credited_ms(learner) >= 2000)
    visitor.page.evaluate("window.__hidden = true; document.dispatchEvent(new Event('visibilitychange'))")
    time.sleep(0.5)  # a beat already on its way
    before = credited_ms(learner)
    time.sleep(3)
    assert credited_ms(learner) == before


def test_two_tabs_accrue_no_more_than_one(visitor, quick_beats, step_page):
    _course, step, learner = step_page
    visitor.log_in("reader", PASSWORD)
    second = visitor.page.context.new_page()
    started = time.monotonic()
    visitor.goto(step.url)
    second.goto(visitor.url(step.url))
    time.sleep(6)
    visitor.page.goto(visitor.url("/privacy/"))
    second.close()
    elapsed_ms = (time.monotonic() - started) * 1000
    total = credited_ms(learner)
    # Each tab alone would earn about the whole time: together they earn it once.
    assert 3000 <= total <= elapsed_ms


def test_mark_done_before_the_minimum_is_refused_and_after_it_succeeds(visitor, quick_beats, step_page, settings):
    settings.STUDY_TIME_MODE = "enforce"
    settings.STUDY_TIME_ZH_CHARS_PER_MINUTE = 600
    course, step, learner = step_page
    minimum = step.minimum_study_seconds
    assert 2 <= minimum <= 10
    visitor.log_in("reader", PASSWORD)
    visitor.goto(step.url)
    visitor.click("button:has-text('Mark as done and continue')")
    assert "more second" in visitor.text()
    assert not StepCompletion.objects.filter(user=learner).exists()
    visitor.page.mouse.move(100, 200)
    assert wait_for(lambda: step_verified_seconds(user_id=learner.pk, step_id=step.pk, course_id=course.pk) >= minimum)
    visitor.click("button:has-text('Mark as done and continue')")
    assert StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()


def test_a_quiz_attempt_page_accrues_time_for_its_quiz_step(visitor, quick_beats, catalogue):
    from courses.models import QuizStepPage
    from quizzes.services import attempt_start
    from tests.studytime.test_quiz_beats import one_question_quiz

    course = build_course(catalogue, steps=1, slug="quiz-time")
    course.refresh_from_db()
    step = course.add_child(instance=QuizStepPage(title="随堂测验", slug="check", quiz=one_question_quiz()))
    learner = UserFactory(username="quiz-reader")
    attempt = attempt_start(quiz=step.quiz, user=learner)
    visitor.log_in("quiz-reader", PASSWORD)
    from django.urls import reverse

    visitor.goto(f"{reverse('quizzes:attempt', args=[attempt.pk])}?next={step.url}")
    visitor.page.wait_for_selector("[data-quiz-form]")
    visitor.page.mouse.move(200, 300)
    assert wait_for(lambda: credited_ms(learner) >= 3000)
    row = StudyTime.objects.get(user=learner)
    assert (row.step_id, row.course_id) == (step.pk, course.pk)
