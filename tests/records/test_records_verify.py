"""records_verify finds every kind of derived record that disagrees with the raw facts, names it,
exits non-zero, and --repair brings each back with an audit entry (issue 11, item 4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from assignments.models import LearnerAssignment
from assignments.services import assignment_create
from certificates.models import Certificate
from courses.models import CourseOutline, CourseProgress
from courses.services import course_outline_refresh, course_start, step_complete
from hours.models import HourEntry
from records.models import RecordRepair
from records.services import REPAIRED_ACTION, records_verify
from reports.models import DepartmentCourseSummary
from tests.factories import DepartmentFactory, UserFactory, course_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def finished(course):
    """A learner who completed a required course, with every consumer's record in place."""
    unit = DepartmentFactory()
    learner = UserFactory(department=unit)
    assignment_create(
        course=course,
        department=unit,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        created_by=UserFactory(department=unit, is_city_admin=True),
    )
    course_outline_refresh(course=course)
    for step in course_steps(course):
        step_complete(user=learner, step=step)
    return learner


def run_verify(*args) -> tuple[bool, str]:
    try:
        call_command("records_verify", *args)
    except CommandError as error:
        return False, str(error)
    return True, ""


def test_the_records_of_a_completion_verify_clean(finished):
    result = records_verify()
    assert result.problems == [] and result.clean
    assert run_verify() == (True, "")


def test_each_kind_of_wrong_record_is_found_and_repaired_with_an_audit_entry(course, finished):
    progress = CourseProgress.objects.get(user=finished, course=course)
    CourseProgress.objects.filter(pk=progress.pk).update(steps_done=1, percent=10, best_score_percent=Decimal("55"))
    CourseOutline.objects.filter(course=course).update(step_ids=[])
    LearnerAssignment.objects.filter(user=finished).update(completed_at=None)
    HourEntry.objects.filter(user=finished, course=course, source="course_completion").delete()
    Certificate.objects.filter(user=finished, course=course).update(revoked_at=timezone.now())
    DepartmentCourseSummary.objects.filter(course_id=course.pk).update(completed=7)

    result = records_verify()
    found = "\n".join(result.problems)
    for expected in (
        "[progress] outline of course",
        "[progress] progress of user",
        "stored best score",
        "[required_learning] required learning row",
        "[hours] hours of user",
        "[certificates] certificate of user",
        "[department_summaries] summary department=",
    ):
        assert expected in found
    ok, message = run_verify()
    assert not ok and "mismatches" in message

    repaired = records_verify(repair=True)
    assert repaired.remaining == [] and repaired.clean
    progress.refresh_from_db()
    assert (progress.steps_done, progress.percent, progress.best_score_percent) == (3, 100, None)
    assert LearnerAssignment.objects.get(user=finished).completed_at is not None
    assert HourEntry.objects.filter(user=finished, course=course, revoked_at=None).count() == 1
    assert Certificate.objects.filter(user=finished, course=course, revoked_at=None).count() == 1
    assert DepartmentCourseSummary.objects.get(course_id=course.pk, department=finished.department).completed == 1
    # One audit entry per repaired unit, in our table and in Wagtail's log. (The progress repair
    # stores the outline, on which the reports refresh the course's summaries themselves.)
    checks = set(RecordRepair.objects.values_list("check_name", flat=True))
    assert checks == {"progress", "required_learning", "hours", "certificates"}
    assert ModelLogEntry.objects.filter(action=REPAIRED_ACTION).count() == RecordRepair.objects.count()
    assert run_verify() == (True, "")


def test_a_withdrawn_completion_leaves_no_record_in_force(course, finished):
    CourseProgress.objects.filter(user=finished, course=course).update(completed_at=None)

    found = "\n".join(records_verify().problems)
    assert "valid, but the course is not completed" in found
    assert "a completion entry in force, but not completed" in found
    assert "closed, but the course is not completed" in found
    assert "every step is done but the course is not completed" in found

    assert records_verify(repair=True).clean
    # Every step is done, so the facts say the course is completed: the repair restores it.
    assert CourseProgress.objects.get(user=finished, course=course).completed_at is not None
    assert Certificate.objects.filter(user=finished, course=course, revoked_at=None).count() == 1


def test_a_certificate_revoked_by_a_person_stays_revoked(course, finished):
    certificate = Certificate.objects.get(user=finished, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revoked_by=UserFactory(is_city_admin=True), revoked_reason="冒名顶替"
    )
    assert records_verify().problems == []


def test_a_wrong_department_summary_alone_is_repaired_from_the_progress_rows(course, finished):
    DepartmentCourseSummary.objects.filter(course_id=course.pk).update(completed=7, overdue=3)
    assert [p for p in records_verify().problems if p.startswith("[department_summaries]")]

    assert records_verify(repair=True).clean
    summary = DepartmentCourseSummary.objects.get(course_id=course.pk, department=finished.department)
    assert (summary.completed, summary.overdue) == (1, 0)
    assert list(RecordRepair.objects.values_list("check_name", flat=True)) == ["department_summaries"]


def test_who_owes_an_assignment_is_checked_against_who_matches_it_and_repaired(course, finished):
    assignment = LearnerAssignment.objects.get(user=finished).assignment
    newcomer = UserFactory(department=finished.department)
    LearnerAssignment.objects.filter(user=newcomer).delete()  # as if joining had not given the row
    leaver = UserFactory(department=DepartmentFactory())
    LearnerAssignment.objects.create(
        assignment=assignment,
        user=leaver,
        assigned_at=timezone.now(),
        due_at=timezone.localdate(),
        cycle_year=timezone.localdate().year,
    )  # an open row of someone outside the unit

    found = "\n".join(records_verify().problems)
    assert f"[required_learning_members] assignment {assignment.pk}" in found
    assert f"user {newcomer.pk} matches it, but has no row" in found
    assert f"user {leaver.pk} has an open row, but no longer matches it" in found

    repaired = records_verify(repair=True)
    assert repaired.clean and repaired.remaining == []
    owing = set(LearnerAssignment.objects.filter(assignment=assignment).values_list("user_id", flat=True))
    assert newcomer.pk in owing and leaver.pk not in owing
    assert RecordRepair.objects.get(check_name="required_learning_members").rows_changed == 2
    assert run_verify() == (True, "")


def test_a_person_saved_from_a_copy_read_before_another_change_keeps_every_record_true(course):
    """Two tabs: an admin's copy of a person is read, the person is moved elsewhere meanwhile,
    then the copy is saved with yet another unit. The change is judged against what was stored
    before the save (the unit the person left really), not against the copy's old values."""
    first, second, third = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    admin = UserFactory(department=first, is_city_admin=True)
    for unit in (first, second, third):
        assignment_create(course=course, department=unit, due_days=30, created_by=admin)
    person = UserFactory(department=first)
    course_start(user=person, course=course)  # the units' summaries count them
    stale_copy = type(person).objects.get(pk=person.pk)
    person.department = second
    person.save()  # the first move, from another tab
    stale_copy.department = third
    stale_copy.save()  # the copy still says the person is in the first unit
    owed = set(LearnerAssignment.objects.filter(user=person).values_list("assignment__department_id", flat=True))
    assert owed == {third.pk}
    assert records_verify().problems == []
