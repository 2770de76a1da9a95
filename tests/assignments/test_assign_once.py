"""The same assignment sent twice (a double click, two heads at once, a retry) is made once: the
second request gets the first one back, with no second row per person and no second audit entry."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from assignments import services
from assignments.models import Assignment, LearnerAssignment
from tests.quizzes.test_concurrency import run_at_once

D = datetime.date


def assign(city, **terms):
    return services.assignment_create(
        **{"course": city.courses[0], "department": city.finance, "due_days": 30, "created_by": city.admin, **terms}
    )


@pytest.mark.django_db
def test_the_same_terms_twice_make_one_assignment(city):
    first = assign(city, positions="科员，科长")
    again = assign(city, positions="科员, 科长", created_by=city.finance_head)  # the same positions, spelled otherwise
    assert again.pk == first.pk and Assignment.objects.count() == 1
    assert first.made_now and not again.made_now  # the page tells the second sender nothing changed
    assert ModelLogEntry.objects.filter(action="assignments.created").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "other_terms",
    [
        {"due_days": 60},
        {"due_days": None, "due_date": D(2031, 6, 30)},
        {"positions": "科员"},
        {"repeat_yearly": True},
        {"course_index": 1},
        {"department_key": "budget"},
    ],
)
def test_an_assignment_that_differs_in_any_term_is_a_new_one(city, other_terms):
    first = assign(city)
    terms = dict(other_terms)
    if terms.pop("course_index", None):
        terms["course"] = city.courses[1]
    if terms.pop("department_key", None):
        terms["department"] = city.budget
    second = assign(city, **terms)
    assert second.pk != first.pk and Assignment.objects.count() == 2


@pytest.mark.django_db
def test_a_withdrawn_assignment_does_not_stand_in_for_a_new_one(city):
    first = assign(city)
    services.assignment_withdraw(assignment=first, withdrawn_by=city.admin)
    second = assign(city)
    assert second.pk != first.pk and second.active


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_identical_requests_at_once_make_one_assignment(require_postgres, city):
    outcomes = run_at_once(lambda: assign(city).pk, times=8)
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assignment = Assignment.objects.get(pk=outcomes[0])
    assert Assignment.objects.filter(course=city.courses[0], department=city.finance).count() == 1
    rows = LearnerAssignment.objects.filter(assignment=assignment)
    assert rows.count() == len(set(rows.values_list("user_id", flat=True)))
    created = ModelLogEntry.objects.filter(action="assignments.created", object_id=str(assignment.pk))
    assert created.count() == 1
