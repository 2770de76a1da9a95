"""Hours of a course required of the person count as required; others as elective."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assignments.services import assignment_create, assignment_withdraw
from courses.services import step_complete
from hours.models import HourEntry
from hours.selectors import learner_year
from tests.factories import course_steps

pytestmark = pytest.mark.django_db


def complete(user, course):
    for step in course_steps(course):
        step_complete(user=user, step=step)


def assign(city, course, department):
    return assignment_create(
        course=course,
        department=department,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        created_by=city.admin,
    )


def test_completing_a_course_required_of_the_learner_earns_required_hours(city, django_capture_on_commit_callbacks):
    course, other = city.courses
    with django_capture_on_commit_callbacks(execute=True):
        assign(city, course, city.finance)
    budget_learner, police_learner = city.learners["budget"][0], city.learners["police"][0]
    complete(budget_learner, course)
    complete(budget_learner, other)
    complete(police_learner, course)
    kinds = dict(HourEntry.objects.filter(user=budget_learner).values_list("course_id", "kind"))
    assert kinds == {course.pk: "required", other.pk: "elective"}
    assert HourEntry.objects.get(user=police_learner).kind == "elective"  # not assigned to police
    summary = learner_year(user=budget_learner, year=timezone.localdate().year, target=Decimal("50"))
    assert summary.required > Decimal("0") and summary.elective > Decimal("0")


def test_assigning_a_course_after_completion_and_withdrawing_it_reclassifies_the_entries(
    city, django_capture_on_commit_callbacks
):
    course = city.courses[0]
    learner = city.learners["police"][1]
    complete(learner, course)
    assert HourEntry.objects.get(user=learner).kind == "elective"
    # In the transactions that give and withdraw it, not after them: nothing waits for a commit.
    with django_capture_on_commit_callbacks(execute=False):
        assignment = assign(city, course, city.police)
        assert HourEntry.objects.get(user=learner).kind == "required"
        assignment_withdraw(assignment=assignment, withdrawn_by=city.admin)
        assert HourEntry.objects.get(user=learner).kind == "elective"


def test_a_final_exam_that_completes_the_course_earns_its_bonus_of_the_same_kind_as_the_course(
    city, django_capture_on_commit_callbacks
):
    from courses.models import QuizStepPage
    from quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import make_quiz, right_answers

    course, _other = city.courses
    quiz = make_quiz(pass_mark_percent=60)
    course.add_child(
        instance=QuizStepPage(title="结业考试", slug="final", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assign(city, course, city.finance)
    for learner, kind in ((city.learners["budget"][0], "required"), (city.learners["police"][0], "elective")):
        complete(learner, course)  # the lessons; the final exam's step is completed by passing it
        attempt = attempt_start(quiz=quiz, user=learner)
        assert attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt)).passed
        entries = dict(HourEntry.objects.filter(user=learner, course=course).values_list("source", "kind"))
        assert entries == {HourEntry.Source.COURSE_COMPLETION: kind, HourEntry.Source.QUIZ_BONUS: kind}
