import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import CourseProgress, QuizStepPage
from courses.services import step_complete
from quizzes.services import attempt_start, attempt_submit
from reports.models import DepartmentCourseSummary, DepartmentMonthlyCompletions
from reports.receivers import on_commit_once
from reports.services import summaries_compute, summaries_mismatches, summaries_stored, summary_refresh
from tests.factories.quizzes import make_question, make_quiz_of, single_choice

pytestmark = pytest.mark.django_db


def test_completing_a_step_refreshes_the_department_summary_after_commit(city, events):
    learner = city.learners["budget"][0]
    course = city.courses[0]
    with events():
        step_complete(user=learner, step=city.steps[course.pk][0])
    summary = DepartmentCourseSummary.objects.get(department=city.budget, course=course)
    assert (summary.members, summary.started, summary.completed) == (3, 1, 0)  # two learners and the head
    with events():
        step_complete(user=learner, step=city.steps[course.pk][1])
    summary.refresh_from_db()
    assert summary.completed == 1
    assert DepartmentMonthlyCompletions.objects.get(department=city.budget, course=course).completed == 1


def test_nothing_is_refreshed_before_the_transaction_commits(city, django_capture_on_commit_callbacks):
    learner = city.learners["budget"][0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step_complete(user=learner, step=city.steps[city.courses[0].pk][0])
    assert callbacks
    assert not DepartmentCourseSummary.objects.exists()


def test_a_refresh_is_enqueued_once_per_transaction_however_many_events(city, django_capture_on_commit_callbacks):
    calls = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        from django.db import transaction

        with transaction.atomic():
            for _ in range(5):
                on_commit_once(("test", 1), lambda: calls.append(1))
            on_commit_once(("test", 2), lambda: calls.append(2))
    assert sorted(calls) == [1, 2]
    assert len(callbacks) == 2


def test_summary_rows_equal_the_recompute_after_a_random_sequence_of_events(city, events):
    rng = random.Random(20260401)  # noqa: S311
    people = [person for group in city.learners.values() for person in group]
    all_steps = [step for steps in city.steps.values() for step in steps]
    with events():
        for _ in range(60):
            step_complete(user=rng.choice(people), step=rng.choice(all_steps))
    # People move, leave and join: member counts and started counts follow.
    mover, leaver = people[0], people[-1]
    with events():
        mover.department = city.police
        mover.save()
        leaver.is_active = False
        leaver.save()
    with events():
        for _ in range(30):
            step_complete(user=rng.choice(people[1:-1]), step=rng.choice(all_steps))
    expected, stored = summaries_compute(), summaries_stored()
    assert summaries_mismatches(expected, stored) == []
    assert expected.summaries  # the comparison compared something
    assert sum(row["completed"] for row in expected.summaries.values()) > 0


def test_recompute_check_fails_and_lists_a_tampered_row_then_the_recompute_repairs_it(city, events):
    with events():
        step_complete(user=city.learners["police"][0], step=city.steps[city.courses[0].pk][0])
    call_command("reports_recompute", "--check")
    DepartmentCourseSummary.objects.update(started=99)
    with pytest.raises(CommandError, match="1 stored rows differ"):
        call_command("reports_recompute", "--check")
    call_command("reports_recompute")
    call_command("reports_recompute", "--check")
    assert DepartmentCourseSummary.objects.get().started == 1


def test_refresh_removes_the_row_when_nobody_in_the_department_has_started(city, events):
    learner = city.learners["police"][0]
    course = city.courses[0]
    with events():
        step_complete(user=learner, step=city.steps[course.pk][0])
    CourseProgress.objects.filter(user=learner).delete()
    summary_refresh(department_id=city.police.pk, course_id=course.pk)
    assert not DepartmentCourseSummary.objects.filter(department=city.police).exists()


def test_graded_attempts_store_the_best_current_score_and_the_attempt_count(city, events):
    course = city.courses[0]
    quiz = make_quiz_of([make_question(single_choice("G2C 指的是？")), make_question(single_choice("G2B 指的是？"))])
    course.add_child(instance=QuizStepPage(title="测验", slug="check", quiz=quiz))
    learner = city.learners["treasury"][0]
    with events():
        step_complete(user=learner, step=city.steps[course.pk][0])

    def submit(right: int):
        attempt = attempt_start(quiz=quiz, user=learner)
        keys = {aq.position: aq.choice_order for aq in attempt.questions.all()}
        answers = {
            str(position): {"choice": order[0] if position <= right else order[1]} for position, order in keys.items()
        }
        with events():
            return attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    submit(right=1)
    submit(right=0)
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.quiz_attempts == 2
    assert progress.best_score_percent == Decimal("50.00")
    summary = DepartmentCourseSummary.objects.get(department=city.treasury, course=course)
    assert (summary.score_sum, summary.score_count) == (Decimal("50.00"), 1)
    assert summaries_mismatches(summaries_compute(), summaries_stored()) == []
