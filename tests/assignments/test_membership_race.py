"""Who owes an assignment is decided under one lock (assignments.services._lock_membership), and
a course's completions against that decision under another (courses.locks).

An assignment's change reads the people and a person's change reads the assignments. Without the
lock, each read the other's state from before the other's uncommitted change: a person who moved
into a position while a course was assigned to that position owed it in neither transaction, and
only records_verify's nightly repair gave it to them. In the same way a completion and an
assignment of its course each read the other's state from before: the new cycle stayed open
although the course was done, and the hours kept the kind (required or elective) of before. Each
test holds one side's transaction open in a thread, after its decision, while the other side
decides; the lock makes the second wait for the first's commit and read what it wrote. (Without
the locks every test but the last fails: the second side reads the old state at once. The last
also waits today on a row the withdrawal writes, and stays as the lock's guard.)"""

import threading
import time

import pytest
from django.db import connection, transaction

from assignments import services
from assignments.models import LearnerAssignment
from courses.services import step_complete
from hours.models import HourEntry
from tests.factories import course_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOLD_SECONDS = 0.5


def hold_open(change, *, decided: threading.Event, other_started: threading.Event, errors: list):
    """Runs `change` in a transaction and keeps it open until the other side has started and
    HOLD_SECONDS have passed, so that the other side's reads overlap it."""
    try:
        with transaction.atomic():
            change()
            decided.set()
            assert other_started.wait(timeout=10)
            time.sleep(HOLD_SECONDS)
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
        decided.set()
    finally:
        connection.close()


def run_beside(change, other):
    decided, other_started, errors = threading.Event(), threading.Event(), []
    thread = threading.Thread(
        target=hold_open, args=(change,), kwargs={"decided": decided, "other_started": other_started, "errors": errors}
    )
    thread.start()
    assert decided.wait(timeout=10)
    other_started.set()
    result = other()
    thread.join(timeout=30)
    assert not errors, errors
    return result


def owes(person, assignment) -> bool:
    return LearnerAssignment.objects.filter(user=person, assignment=assignment).exists()


def person_in_position(city, position: str):
    person = city.learners["budget"][0]
    person.position = position
    person.save()
    return person


def change_position(person, position: str):
    """The change, as the admin's form or an import makes it: the save runs assignments_sync_user
    in its transaction."""

    def change():
        person.position = position
        person.save()

    return change


def assign_to_chiefs(city):
    return services.assignment_create(
        course=city.courses[0], department=city.finance, positions="科长", due_days=30, created_by=city.admin
    )


def test_a_person_who_takes_a_position_while_it_is_assigned_owes_the_assignment(require_postgres, city):
    person = person_in_position(city, "科员")
    assignment = run_beside(change_position(person, "科长"), lambda: assign_to_chiefs(city))
    assert owes(person, assignment)


def test_a_person_who_takes_a_position_while_an_assignment_adds_it_owes_the_assignment(require_postgres, city):
    person = person_in_position(city, "科员")
    assignment = services.assignment_create(
        course=city.courses[0], department=city.finance, positions="处长", due_days=30, created_by=city.admin
    )
    assert not owes(person, assignment)
    run_beside(
        lambda: services.assignment_update(assignment=assignment, changed_by=city.admin, positions="处长, 科长"),
        change_position(person, "科长"),
    )
    assert owes(person, assignment)


def test_a_person_who_leaves_a_position_while_it_is_assigned_does_not_owe_it(require_postgres, city):
    person = person_in_position(city, "科长")
    assignment = run_beside(change_position(person, "科员"), lambda: assign_to_chiefs(city))
    assert not owes(person, assignment)


def complete_the_course(person, course):
    for step in course_steps(course):
        step_complete(user=person, step=step)


def hours_kind(person, course) -> str:
    return HourEntry.objects.get(user=person, course=course, source=HourEntry.Source.COURSE_COMPLETION).kind


def test_a_course_completed_while_it_is_assigned_closes_the_new_cycle(require_postgres, city):
    person, course = city.learners["budget"][0], city.courses[0]
    assignment = run_beside(
        lambda: complete_the_course(person, course),
        lambda: services.assignment_create(course=course, department=city.finance, due_days=30, created_by=city.admin),
    )
    assert LearnerAssignment.objects.get(user=person, assignment=assignment).completed_at is not None
    assert hours_kind(person, course) == HourEntry.Kind.REQUIRED


def test_a_course_completed_while_it_is_being_assigned_closes_the_new_cycle(require_postgres, city):
    person, course = city.learners["budget"][0], city.courses[0]
    created = []
    run_beside(
        lambda: created.append(
            services.assignment_create(course=course, department=city.finance, due_days=30, created_by=city.admin)
        ),
        lambda: complete_the_course(person, course),
    )
    assert LearnerAssignment.objects.get(user=person, assignment=created[0]).completed_at is not None
    assert hours_kind(person, course) == HourEntry.Kind.REQUIRED


def test_hours_earned_while_the_assignment_is_withdrawn_are_elective(require_postgres, city):
    person, course = city.learners["budget"][0], city.courses[0]
    assignment = services.assignment_create(course=course, department=city.finance, due_days=30, created_by=city.admin)
    assert owes(person, assignment)
    run_beside(
        lambda: services.assignment_withdraw(assignment=assignment, withdrawn_by=city.admin),
        lambda: complete_the_course(person, course),
    )
    assert hours_kind(person, course) == HourEntry.Kind.ELECTIVE
