"""The reports' overdue figures come from required learning (assignments.LearnerAssignment)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.scope import user_scope
from assignments.services import assignment_create, assignment_update
from courses.services import step_complete
from reports.models import DepartmentCourseSummary
from reports.selectors import department_overview
from reports.services import summaries_compute, summaries_mismatches, summaries_stored, summary_pairs_with_stale_overdue
from reports.tasks import refresh_overdue_summaries

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def _stored_overdue(department, course) -> int | None:
    return (
        DepartmentCourseSummary.objects.filter(department=department, course=course)
        .values_list("overdue", flat=True)
        .first()
    )


@pytest.fixture
def frozen():
    with time_machine.travel(
        datetime.datetime(2026, 11, 26, 10, 0, tzinfo=timezone.get_current_timezone()), tick=False
    ):
        yield


def test_an_assignment_past_its_due_date_counts_its_open_people_as_overdue(city, events, frozen):
    course = city.courses[0]
    with events():
        assignment_create(
            course=course, department=city.finance, due_date=TODAY - datetime.timedelta(days=1), created_by=city.admin
        )
    # Budget has two learners and its head; nobody started, yet the row exists for the overdue people.
    assert _stored_overdue(city.budget, course) == 3
    assert _stored_overdue(city.police, course) is None  # not assigned there
    with events():
        for step in city.steps[course.pk]:
            step_complete(user=city.learners["budget"][0], step=step)
    assert _stored_overdue(city.budget, course) == 2
    assert summaries_mismatches(summaries_compute(), summaries_stored()) == []


def test_the_overview_of_a_head_sums_overdue_over_their_subtree_only(city, events, frozen):
    course = city.courses[0]
    with events():
        assignment_create(
            course=course, department=city.city, due_date=TODAY - datetime.timedelta(days=3), created_by=city.admin
        )
    scope = user_scope(city.finance_head)
    overview = department_overview(scope=scope, unit=scope.top_unit())
    row = next(row for row in overview.courses if row.course_id == course.pk)
    # Finance: 2 learners + head + plain learner; budget and treasury: 2 learners each + budget head.
    assert row.figures.overdue == 4 + 3 + 2
    police_scope = user_scope(city.police_head)
    police_overview = department_overview(scope=police_scope, unit=police_scope.top_unit())
    police_row = next(row for row in police_overview.courses if row.course_id == course.pk)
    assert police_row.figures.overdue == 3  # two learners and the head


def test_people_become_overdue_when_the_date_passes_and_the_daily_refresh_records_it(city, events):
    course = city.courses[0]
    due = datetime.date(2026, 12, 1)
    with time_machine.travel(
        datetime.datetime(2026, 11, 30, 12, 0, tzinfo=timezone.get_current_timezone()), tick=False
    ):
        with events():
            assignment_create(course=course, department=city.police, due_date=due, created_by=city.admin)
        assert _stored_overdue(city.police, course) is None
        assert summary_pairs_with_stale_overdue() == set()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 23, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        assert summary_pairs_with_stale_overdue() == set()  # due today is not overdue yet
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 30, tzinfo=timezone.get_current_timezone()), tick=False):
        assert summary_pairs_with_stale_overdue() == {(city.police.pk, course.pk)}
        with events():
            refresh_overdue_summaries()
        assert _stored_overdue(city.police, course) == 3
        assert summary_pairs_with_stale_overdue() == set()  # a second run has nothing to do
        assert summaries_mismatches(summaries_compute(), summaries_stored()) == []


def test_deactivating_an_assignment_clears_its_overdue_figures(city, events, frozen):
    course = city.courses[1]
    with events():
        assignment = assignment_create(
            course=course, department=city.police, due_date=TODAY - datetime.timedelta(days=1), created_by=city.admin
        )
    assert _stored_overdue(city.police, course) == 3
    with events():
        assignment.active = False
        assignment.save(update_fields=["active"])
    assert _stored_overdue(city.police, course) is None  # nobody started and nobody is overdue: no row
    assert summaries_mismatches(summaries_compute(), summaries_stored()) == []


def test_overdue_follows_who_owes_the_course_when_positions_change(city, events, frozen):
    """Neither a person's new position nor an assignment's new positions changes a member count,
    yet both change who is overdue: the stored figure follows (required_courses_changed)."""
    course = city.courses[0]
    with events():
        assignment = assignment_create(
            course=course,
            department=city.police,
            positions="科员",
            due_date=TODAY - datetime.timedelta(days=1),
            created_by=city.admin,
        )
    assert _stored_overdue(city.police, course) is None  # nobody in police is 科员 yet
    officer = city.learners["police"][0]
    with events():
        officer.position = "科员"
        officer.save()
    assert _stored_overdue(city.police, course) == 1
    with events():
        assignment_update(assignment=assignment, changed_by=city.admin, positions="")
    assert _stored_overdue(city.police, course) == 3  # two learners and the head
    with events():
        assignment_update(assignment=assignment, changed_by=city.admin, positions="科长")
    assert _stored_overdue(city.police, course) is None
    assert summaries_mismatches(summaries_compute(), summaries_stored()) == []
