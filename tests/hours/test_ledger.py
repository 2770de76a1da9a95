"""Entries are written as events happen: one per course completion, one bonus per passed final
exam, revoked with an audit entry when a completion is taken back."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import CourseProgress, QuizStepPage
from courses.services import step_complete
from hours.models import HourEntry
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db


def complete_course(user, course):
    for step in course_steps(course):
        step_complete(user=user, step=step)


def test_completing_a_course_writes_one_entry_from_its_credit_hours(catalogue, learner):
    course = build_course(catalogue, steps=2, credit_hours=Decimal("2.5"))
    complete_course(learner, course)
    entry = HourEntry.objects.get(user=learner)
    assert (entry.source, entry.course_id, entry.hours, entry.kind) == (
        "course_completion",
        course.pk,
        Decimal("2.5"),
        "elective",
    )
    assert entry.year == timezone.localdate().year
    assert entry.earned_on == timezone.localdate(CourseProgress.objects.get(user=learner).completed_at)


def test_a_course_without_a_value_earns_hours_by_its_length(catalogue, learner):
    course = build_course(catalogue, steps=1, credit_hours=Decimal("0"), estimated_minutes=20)
    complete_course(learner, course)
    assert HourEntry.objects.get(user=learner).hours == Decimal("0.5")


def test_the_bands_come_from_settings(catalogue, learner, settings):
    settings.HOURS_USE_COURSE_VALUE = False
    settings.HOURS_LENGTH_BANDS = [(10, "3"), (0, "1")]
    course = build_course(catalogue, steps=1, credit_hours=Decimal("2"), estimated_minutes=20)
    complete_course(learner, course)
    assert HourEntry.objects.get(user=learner).hours == Decimal("3")


def test_completing_twice_and_saving_again_gives_one_entry(catalogue, learner):
    course = build_course(catalogue, steps=2)
    complete_course(learner, course)
    complete_course(learner, course)
    progress = CourseProgress.objects.get(user=learner, course=course)
    progress.save()
    assert HourEntry.objects.filter(user=learner).count() == 1


def test_an_unfinished_course_earns_nothing(catalogue, learner):
    course = build_course(catalogue, steps=2)
    step_complete(user=learner, step=course_steps(course)[0])
    assert not HourEntry.objects.exists()


def test_a_revoked_completion_revokes_its_hours_with_an_audit_entry(catalogue, learner):
    course = build_course(catalogue, steps=1, credit_hours=Decimal("1"))
    complete_course(learner, course)
    progress = CourseProgress.objects.get(user=learner, course=course)
    progress.completed_at = None
    progress.save()
    entry = HourEntry.objects.get(user=learner)
    assert entry.revoked_at is not None and entry.revoke_reason
    log = ModelLogEntry.objects.get(action="hours.revoked")
    assert log.object_id == str(entry.pk)
    assert log.data["course"] == course.pk


def test_a_revoked_entry_counts_for_nothing_on_my_hours(client, catalogue, learner):
    course = build_course(catalogue, steps=1, credit_hours=Decimal("3"))
    complete_course(learner, course)
    progress = CourseProgress.objects.get(user=learner)
    progress.completed_at = None
    progress.save()
    client.force_login(learner)
    page = client.get(reverse("hours:mine"))
    assert page.context["ledger"].total == Decimal("0")
    assert len(page.context["ledger"].revoked) == 1


def test_completing_again_after_revocation_restores_the_same_entry(catalogue, learner):
    course = build_course(catalogue, steps=1)
    complete_course(learner, course)
    progress = CourseProgress.objects.get(user=learner, course=course)
    progress.completed_at = None
    progress.save()
    progress.completed_at = timezone.now()
    progress.save()
    entry = HourEntry.objects.get(user=learner)
    assert entry.revoked_at is None
    assert ModelLogEntry.objects.filter(action="hours.restored").count() == 1


@pytest.fixture
def final_exam(catalogue):
    course = build_course(catalogue, steps=1, sequential=False, credit_hours=Decimal("1"), slug="with-final")
    step = QuizStepPage(title="结业测验", slug="final", quiz=make_quiz(pass_mark_percent=60), kind="final_exam")
    course.add_child(instance=step)
    return step


def pass_quiz(user, step):
    attempt = attempt_start(quiz=step.quiz, user=user)
    return attempt_submit(attempt_id=attempt.pk, user=user, answers=right_answers(attempt))


def test_a_passed_final_exam_adds_the_bonus_once(final_exam, learner):
    pass_quiz(learner, final_exam)
    pass_quiz(learner, final_exam)
    bonus = HourEntry.objects.filter(user=learner, source="quiz_bonus")
    assert [(entry.hours, entry.course_id) for entry in bonus] == [(Decimal("0.5"), final_exam.get_parent().pk)]


def test_regrading_a_passed_attempt_writes_no_second_entry(final_exam, learner):
    from quizzes.services import attempt_grade_override

    pass_quiz(learner, final_exam)
    attempt = Attempt.objects.get(user=learner)
    attempt_grade_override(attempt=attempt, position=1, score=Decimal("1"), reason="复核", user=UserFactory())
    assert HourEntry.objects.filter(user=learner, source="quiz_bonus").count() == 1


def test_a_failed_final_exam_and_a_knowledge_check_earn_no_bonus(final_exam, learner):
    attempt = attempt_start(quiz=final_exam.quiz, user=learner)
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={})
    assert not HourEntry.objects.filter(source="quiz_bonus").exists()
    QuizStepPage.objects.filter(pk=final_exam.pk).update(kind="knowledge_check")
    pass_quiz(UserFactory(), final_exam)
    assert not HourEntry.objects.filter(source="quiz_bonus").exists()


def test_passing_the_final_exam_through_the_pages_gives_completion_and_bonus(client, final_exam, learner):
    client.force_login(learner)
    client.post(reverse("courses:step_complete", args=[course_steps(final_exam.get_parent())[0].pk]))
    client.post(reverse("courses:quiz_start", args=[final_exam.pk]))
    attempt = Attempt.objects.get(user=learner)
    client.post(
        reverse("quizzes:autosave", args=[attempt.pk]),
        json.dumps({"answers": right_answers(attempt)}),
        content_type="application/json",
    )
    client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    sources = sorted(HourEntry.objects.filter(user=learner).values_list("source", "hours"))
    assert sources == [("course_completion", Decimal("1.00")), ("quiz_bonus", Decimal("0.50"))]


def test_my_hours_dates_an_entry_by_the_day_it_was_earned_not_the_day_it_was_written(client, catalogue, learner):
    course = build_course(catalogue, steps=1, credit_hours=Decimal("1"))
    complete_course(learner, course)
    HourEntry.objects.filter(user=learner).update(earned_on=timezone.datetime(2026, 3, 9).date())
    client.force_login(learner)
    body = client.get(reverse("hours:mine"), {"year": timezone.localdate().year}).content.decode()
    assert 'datetime="2026-03-09"' in body
