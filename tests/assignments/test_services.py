"""Assigning, new joiners and moves, yearly roll-over, completion."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, LearnerAssignment
from assignments.organisation import department_move_with_people
from courses.services import step_complete
from departments.models import Department
from hours.models import HourEntry
from records.services import records_verify
from tests.factories import UserFactory, course_steps

pytestmark = pytest.mark.django_db

D = datetime.date


def people(assignment):
    return set(LearnerAssignment.objects.filter(assignment=assignment).values_list("user_id", flat=True))


def finance_subtree(city):
    users = [u for key in ("finance", "budget", "treasury") for u in city.learners[key]]
    return {u.pk for u in users} | {city.finance_head.pk, city.budget_head.pk, city.plain_learner.pk}


def test_assigning_to_a_department_covers_its_subtree_only(city):
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, due_date=D(2030, 6, 30), created_by=city.admin
    )
    assert people(assignment) == finance_subtree(city)
    assert set(LearnerAssignment.objects.values_list("due_at", flat=True)) == {D(2030, 6, 30)}


def test_positions_narrow_the_people(city):
    clerk = city.learners["budget"][0]
    clerk.position = "科员"
    clerk.save()
    city.learners["police"][0].position = "科员"
    city.learners["police"][0].save()
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科员，科长", due_days=30, created_by=city.admin
    )
    assert people(assignment) == {clerk.pk}
    assert assignment.positions == "科员, 科长"


def test_inactive_people_are_not_assigned(city):
    gone = city.learners["police"][0]
    gone.is_active = False
    gone.save()
    assignment = services.assignment_create(
        course=city.courses[0], department=city.police, due_days=30, created_by=city.admin
    )
    assert gone.pk not in people(assignment)


def test_n_days_after_assigned(city):
    now = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))
    assignment = services.assignment_create(
        course=city.courses[0], department=city.police, due_days=30, created_by=city.admin, now=now
    )
    row = LearnerAssignment.objects.filter(assignment=assignment).first()
    assert (row.due_at, row.cycle_year) == (D(2026, 3, 31), 2026)


def test_a_new_joiner_gets_matching_assignments_with_their_own_due_date(city):
    by_days = services.assignment_create(
        course=city.courses[0], department=city.finance, due_days=14, created_by=city.admin
    )
    fixed = services.assignment_create(
        course=city.courses[1], department=city.finance, due_date=D(2030, 1, 31), created_by=city.admin
    )
    elsewhere = services.assignment_create(
        course=city.courses[1], department=city.police, due_days=14, created_by=city.admin
    )
    joiner = UserFactory(department=city.treasury)
    rows = {row.assignment_id: row for row in LearnerAssignment.objects.filter(user=joiner)}
    assert set(rows) == {by_days.pk, fixed.pk}
    assert elsewhere.pk not in rows
    assert rows[by_days.pk].due_at == timezone.localdate() + datetime.timedelta(days=14)
    assert rows[fixed.pk].due_at == D(2030, 1, 31)


def test_a_person_who_moves_gets_the_new_units_assignments_and_loses_open_old_ones(city):
    finance = services.assignment_create(
        course=city.courses[0], department=city.finance, due_days=14, created_by=city.admin
    )
    police = services.assignment_create(
        course=city.courses[1], department=city.police, due_days=14, created_by=city.admin
    )
    mover = city.learners["budget"][0]
    mover.department = city.police
    mover.save(update_fields=["department"])
    assert set(LearnerAssignment.objects.filter(user=mover).values_list("assignment_id", flat=True)) == {police.pk}
    assert mover.pk not in people(finance)


def test_a_position_change_brings_a_positions_assignment(city):
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科长", due_days=7, created_by=city.admin
    )
    person = city.learners["treasury"][1]
    assert person.pk not in people(assignment)
    person.position = "科长"
    person.save()
    assert person.pk in people(assignment)


def test_a_head_cannot_assign_outside_their_scope(city):
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            course=city.courses[0], department=city.police, due_days=7, created_by=city.finance_head
        )
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            course=city.courses[0], department=city.finance, due_days=7, created_by=city.budget_head
        )
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            course=city.courses[0], department=city.budget, due_days=7, created_by=city.plain_learner
        )
    assert not Assignment.objects.exists()
    assignment = services.assignment_create(
        course=city.courses[0], department=city.budget, due_days=7, created_by=city.finance_head
    )
    assert people(assignment) == {u.pk for u in city.learners["budget"]} | {city.budget_head.pk}


def test_one_due_rule_is_enforced_by_the_database(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(course=city.courses[0], department=city.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            course=city.courses[0], department=city.finance, due_date=D(2030, 1, 1), due_days_after_assigned=3
        )


def complete(user, course):
    for step in course_steps(course):
        step_complete(user=user, step=step)


def test_completing_the_course_marks_the_assignment_done(city):
    assignment = services.assignment_create(
        course=city.courses[0], department=city.police, due_days=7, created_by=city.admin
    )
    learner = city.learners["police"][0]
    complete(learner, city.courses[0])
    row = LearnerAssignment.objects.get(assignment=assignment, user=learner)
    assert row.completed_at is not None
    other = LearnerAssignment.objects.get(assignment=assignment, user=city.learners["police"][1])
    assert other.completed_at is None


def test_a_course_finished_before_it_was_assigned_counts(city):
    learner = city.learners["police"][0]
    complete(learner, city.courses[0])
    assignment = services.assignment_create(
        course=city.courses[0], department=city.police, due_days=7, created_by=city.admin
    )
    assert LearnerAssignment.objects.get(assignment=assignment, user=learner).completed_at is not None


def test_yearly_repeat_rolls_over_once(city):
    now = timezone.make_aware(datetime.datetime(2026, 1, 10, 9, 0))
    assignment = services.assignment_create(
        course=city.courses[0],
        department=city.police,
        due_date=D(2026, 6, 30),
        repeat_yearly=True,
        created_by=city.admin,
        now=now,
    )
    members = people(assignment)
    assert services.assignments_roll_over(today=D(2026, 6, 30)) == 0  # due today: not yet
    assert services.assignments_roll_over(today=D(2026, 7, 1)) == len(members)
    assert services.assignments_roll_over(today=D(2026, 7, 1)) == 0  # idempotent
    assert services.assignments_roll_over(today=D(2026, 12, 31)) == 0
    cycles = LearnerAssignment.objects.filter(assignment=assignment, cycle_year=2027)
    assert {row.due_at for row in cycles} == {D(2027, 6, 30)}
    assert LearnerAssignment.objects.filter(assignment=assignment).count() == 2 * len(members)


def test_a_one_off_assignment_does_not_roll_over(city):
    services.assignment_create(
        course=city.courses[0], department=city.police, due_date=D(2026, 6, 30), created_by=city.admin
    )
    before = LearnerAssignment.objects.count()
    assert services.assignments_roll_over(today=D(2027, 7, 1)) == 0
    assert LearnerAssignment.objects.count() == before


def test_a_completion_counts_for_the_cycle_it_falls_in(city):
    learner = city.learners["police"][0]
    assignment = services.assignment_create(
        course=city.courses[0],
        department=city.police,
        due_date=D(2020, 6, 30),
        repeat_yearly=True,
        created_by=city.admin,
        now=timezone.make_aware(datetime.datetime(2020, 1, 10, 9, 0)),
    )
    services.assignments_roll_over(today=D(2020, 7, 1))
    completed_at = timezone.make_aware(datetime.datetime(2020, 8, 1, 9, 0))
    services.assignments_course_completed(user_id=learner.pk, course_id=city.courses[0].pk, completed_at=completed_at)
    rows = {row.cycle_year: row for row in LearnerAssignment.objects.filter(assignment=assignment, user=learner)}
    assert rows[2020].completed_at is None  # still overdue
    assert rows[2021].completed_at == completed_at


def test_the_roll_over_command(city, capsys):
    from django.core.management import call_command

    services.assignment_create(
        course=city.courses[0],
        department=city.police,
        due_date=D(2026, 6, 30),
        repeat_yearly=True,
        created_by=city.admin,
        now=timezone.make_aware(datetime.datetime(2026, 1, 10, 9, 0)),
    )
    call_command("assignments_roll_over", "--today", "2026-07-01")
    call_command("assignments_roll_over", "--today", "2026-07-01")
    assert capsys.readouterr().out.split() == [str(len(city.learners["police"]) + 1), "0"]


def test_changing_the_positions_changes_who_owes_it(city):
    """A head widens the positions: the people who now match owe it at once; narrows them again:
    the open rows of those who no longer match go, a completed row stays as history."""
    chief, clerk, finisher = city.learners["treasury"][0], city.learners["treasury"][1], city.learners["budget"][0]
    for person, position in ((chief, "科长"), (clerk, "科员"), (finisher, "科员")):
        person.position = position
        person.save()
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科长", due_days=14, created_by=city.admin
    )
    assert people(assignment) == {chief.pk}
    with transaction.atomic():
        assert services.assignment_update(assignment=assignment, changed_by=city.admin, positions="科长, 科员")
    assert {clerk.pk, finisher.pk, chief.pk} <= people(assignment)
    for step in course_steps(city.courses[0]):
        step_complete(user=finisher, step=step)
    assert LearnerAssignment.objects.get(assignment=assignment, user=finisher).completed_at is not None

    with transaction.atomic():
        assert services.assignment_update(assignment=assignment, changed_by=city.admin, positions="科长")
    assert clerk.pk not in people(assignment)
    assert {chief.pk, finisher.pk} <= people(assignment)  # the finisher's completed row is history
    assert services.assignment_members_sync(assignment=assignment) == (0, 0)  # nothing left to do


def test_who_did_the_course_before_it_was_required_of_them_counts_it_as_required_at_once(city):
    """A course done as an elective becomes required when the positions widen to the person: their
    row is written closed and their hours count as required, in the same transaction."""
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科长", due_days=14, created_by=city.admin
    )
    finisher = city.learners["budget"][0]
    for step in course_steps(city.courses[0]):
        step_complete(user=finisher, step=step)
    entry = HourEntry.objects.get(user=finisher, course=city.courses[0], source=HourEntry.Source.COURSE_COMPLETION)
    assert entry.kind == HourEntry.Kind.ELECTIVE
    with transaction.atomic():
        services.assignment_update(assignment=assignment, changed_by=city.admin, positions="")
        entry.refresh_from_db()
        assert entry.kind == HourEntry.Kind.REQUIRED
    assert LearnerAssignment.objects.get(assignment=assignment, user=finisher).completed_at is not None


def test_a_change_of_due_rule_alone_leaves_the_people_as_they_are(city):
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科长", due_days=14, created_by=city.admin
    )
    before = set(LearnerAssignment.objects.filter(assignment=assignment).values_list("pk", "due_at"))
    assert services.assignment_update(assignment=assignment, changed_by=city.admin, due_days=30)
    assert set(LearnerAssignment.objects.filter(assignment=assignment).values_list("pk", "due_at")) == before


def test_assigning_reads_the_units_place_now_not_the_callers_copy(city):
    """A copy of the unit read before it moved (a form open while the admin moved it) still gives
    the course to the people under its new place, not to those under the old one."""
    stale_copy = Department.objects.get(pk=city.budget.pk)
    department_move_with_people(department=city.budget, parent=city.police, moved_by=city.admin)
    assignment = services.assignment_create(
        course=city.courses[0], department=stale_copy, due_days=14, created_by=city.admin
    )
    budget_people = set(get_user_model().objects.filter(department=city.budget).values_list("pk", flat=True))
    assert people(assignment) == budget_people
    assert not records_verify().problems


def test_changing_the_positions_of_a_city_wide_assignment_asks_no_query_per_person(city, django_assert_max_num_queries):
    assignment = services.assignment_create(
        course=city.courses[0], department=city.city, positions="科长", due_days=14, created_by=city.admin
    )
    everyone = get_user_model().objects.filter(is_active=True, department__isnull=False).count()
    assert everyone > 10 and len(people(assignment)) == 0
    with django_assert_max_num_queries(24):  # the same for 13 people as for 13,000: none per person
        services.assignment_update(assignment=assignment, changed_by=city.admin, positions="")
    assert len(people(assignment)) == everyone
