"""Writes of required learning: creating assignments, giving them to the people who match
(now and when they join or move), opening yearly cycles and recording completions."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.scope import user_scope
from courses.locks import completions_lock_exclusive
from courses.models import CoursePage, CourseProgress
from departments.models import Department

from . import rules
from .models import Assignment, LearnerAssignment
from .signals import assignment_people_changed, required_courses_changed

BATCH = 500

# pg_advisory_xact_lock's key for "who owes which assignment" (the bytes of "assign").
MEMBERSHIP_LOCK_KEY = 0x61737369676E


def _lock_membership() -> None:
    """Serialises, until the commit, every decision of who owes which assignment. An assignment's
    change reads the people, a person's change reads the assignments: without one lock that both
    take before reading, each would read the other's state from before an uncommitted change and
    the person would owe neither (write skew). Changes of either are rare (an admin, an import, the
    nightly roll-over), so one lock for the city costs nothing users wait for. SQLite runs one
    writer at a time and needs none. Must be called inside the transaction that writes the rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MEMBERSHIP_LOCK_KEY])


# Audit log actions (labels in assignments.wagtail_hooks), written in the transaction of the change.
ASSIGNMENT_CREATED_ACTION = "assignments.created"
ASSIGNMENT_CHANGED_ACTION = "assignments.changed"
ASSIGNMENT_WITHDRAWN_ACTION = "assignments.withdrawn"


def _assignment_title(assignment: Assignment) -> str:
    return f"{assignment.course.title} → {assignment.department.name}"


def _assignment_snapshot(assignment: Assignment) -> dict:
    return {
        "course": assignment.course_id,
        "course_title": assignment.course.title,
        "department": assignment.department_id,
        "department_name": assignment.department.name,
        "positions": assignment.positions,
        "due_date": assignment.due_date.isoformat() if assignment.due_date else None,
        "due_days": assignment.due_days_after_assigned,
        "repeat_yearly": assignment.repeat_yearly,
        "active": assignment.active,
    }


def _matching_users(assignment: Assignment):
    people = get_user_model().objects.filter(
        is_active=True,
        department__path__startswith=assignment.department.path,
    )
    positions = assignment.position_list
    return [
        user
        for user in people.only("pk", "position", "department_id")
        if rules.position_matches(user.position, positions)
    ]


def _completions(*, course_id: int, user_ids) -> dict[int, datetime.datetime]:
    return dict(
        CourseProgress.objects.filter(
            course_id=course_id, user_id__in=list(user_ids), completed_at__isnull=False
        ).values_list("user_id", "completed_at")
    )


def _first_row(assignment: Assignment, user_id: int, now: datetime.datetime, completed_at) -> LearnerAssignment:
    due_on = rules.first_due_date(
        assigned_on=timezone.localdate(now),
        due_date=assignment.due_date,
        due_days=assignment.due_days_after_assigned,
        repeat_yearly=assignment.repeat_yearly,
    )
    return LearnerAssignment(
        assignment=assignment,
        user_id=user_id,
        assigned_at=now,
        due_at=due_on,
        cycle_year=due_on.year,
        # A course finished before it was assigned counts for the first cycle.
        completed_at=completed_at,
    )


def assignment_create(
    *,
    course: CoursePage,
    department: Department,
    positions: str = "",
    due_date: datetime.date | None = None,
    due_days: int | None = None,
    repeat_yearly: bool = False,
    created_by,
    now: datetime.datetime | None = None,
) -> Assignment:
    """City admins assign to any unit, heads only within their own scope. Every active person
    who matches gets their row at once. An active assignment that is the same in every term
    (course, unit, positions, due rule, yearly repeat) is returned instead of made twice: the
    same form sent twice (a double click, two heads at once, a retry) makes one. The returned
    assignment's `made_now` says which (False: it existed, and nothing was written)."""
    if (due_date is None) == (due_days is None):
        raise ValidationError(_("Give either a due date or a number of days, not both."))
    now = now or timezone.now()
    with transaction.atomic():
        # Who matches is decided by the unit's path as it is now, locked: the caller's copy may
        # predate a move, and a move (which rewrites the path) waits for the rows written here.
        # The lock also makes a second identical request wait, and then find this one's row.
        department = Department.objects.select_for_update().get(pk=department.pk)
        if not user_scope(created_by).contains(department):
            raise PermissionDenied(_("You may only assign courses within your own department."))
        terms = {
            "course": course,
            "department": department,
            "positions": ", ".join(rules.parse_positions(positions)),
            "due_date": due_date,
            "due_days_after_assigned": due_days,
            "repeat_yearly": bool(repeat_yearly),
        }
        existing = Assignment.objects.filter(active=True, **terms).order_by("pk").first()
        if existing is not None:
            existing.made_now = False
            return existing
        assignment = Assignment.objects.create(**terms, created_by=created_by)
        assignment.made_now = True
        _lock_membership()
        completions_lock_exclusive([course.pk])
        user_ids = [user.pk for user in _matching_users(assignment)]
        done = _completions(course_id=course.pk, user_ids=user_ids)
        LearnerAssignment.objects.bulk_create(
            [_first_row(assignment, user_id, now, done.get(user_id)) for user_id in user_ids],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        if user_ids:
            # Inside the transaction: the ledger's required/elective split commits with the rows.
            assignment_people_changed.send(sender=LearnerAssignment, course_id=course.pk, user_ids=user_ids)
        log(
            instance=assignment,
            action=ASSIGNMENT_CREATED_ACTION,
            user=created_by,
            title=_assignment_title(assignment),
            data={**_assignment_snapshot(assignment), "people": len(user_ids)},
        )
    return assignment


def _check_scope(*, user, assignment: Assignment) -> None:
    if not user_scope(user).contains(assignment.department):
        raise PermissionDenied(_("You may only assign courses within your own department."))


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    changed_by,
    due_date: datetime.date | None = None,
    due_days: int | None = None,
    positions: str | None = None,
    repeat_yearly: bool | None = None,
) -> bool:
    """Changes an assignment's due rule, positions or yearly repeat (None: kept). People's rows
    already given keep their dates; new joiners get the new rule. Writes an
    `assignments.changed` entry with before and after when anything changed."""
    locked = Assignment.objects.select_for_update().select_related("course", "department").get(pk=assignment.pk)
    _check_scope(user=changed_by, assignment=locked)
    before = _assignment_snapshot(locked)
    if due_date is not None or due_days is not None:
        if (due_date is None) == (due_days is None):
            raise ValidationError(_("Give either a due date or a number of days, not both."))
        locked.due_date, locked.due_days_after_assigned = due_date, due_days
    if positions is not None:
        locked.positions = ", ".join(rules.parse_positions(positions))
    if repeat_yearly is not None:
        locked.repeat_yearly = bool(repeat_yearly)
    changed = _assignment_change_save(locked, before=before, changed_by=changed_by)
    if changed and locked.positions != before["positions"]:
        # Other positions, other people: those who now match owe it, the open rows of those who
        # no longer match go (as when a person changes position).
        assignment_members_sync(assignment=locked)
    return changed


def _assignment_change_save(locked: Assignment, *, before: dict, changed_by) -> bool:
    """Saves a changed assignment and writes its one `assignments.changed` entry with before and
    after; False (and nothing written) when nothing changed."""
    after = _assignment_snapshot(locked)
    if before == after:
        return False
    locked.full_clean()
    locked.save()
    log(
        instance=locked,
        action=ASSIGNMENT_CHANGED_ACTION,
        user=changed_by,
        title=_assignment_title(locked),
        data={"before": before, "after": after},
    )
    return True


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment, withdrawn_by) -> bool:
    """Withdraws an assignment: nobody owes it any more (its rows stay, as the record of who
    completed it), which is announced (assignment_people_changed). Writes an
    `assignments.withdrawn` entry. Returns False when it was already withdrawn."""
    locked = Assignment.objects.select_for_update().select_related("course", "department").get(pk=assignment.pk)
    _check_scope(user=withdrawn_by, assignment=locked)
    if not locked.active:
        return False
    _lock_membership()
    completions_lock_exclusive([locked.course_id])
    locked.active = False
    locked.save()
    holders = sorted(set(LearnerAssignment.objects.filter(assignment=locked).values_list("user_id", flat=True)))
    if holders:
        # Those who owed it may now have done the course as an elective (unless another of the
        # course's assignments still holds them): in the transaction, as when it was given.
        assignment_people_changed.send(sender=LearnerAssignment, course_id=locked.course_id, user_ids=holders)
    log(
        instance=locked,
        action=ASSIGNMENT_WITHDRAWN_ACTION,
        user=withdrawn_by,
        title=_assignment_title(locked),
        data=_assignment_snapshot(locked),
    )
    assignment.active = False
    return True


@transaction.atomic
def assignment_department_change(*, assignment: Assignment, department: Department, changed_by) -> bool:
    """Gives the assignment to another unit (when its unit is retired): the rows already given
    stay with the people who had them; the caller syncs the people of the new unit. Writes an
    `assignments.changed` entry with before and after."""
    locked = Assignment.objects.select_for_update().select_related("course", "department").get(pk=assignment.pk)
    _check_scope(user=changed_by, assignment=locked)
    if locked.department_id == department.pk:
        return False
    before = _assignment_snapshot(locked)
    locked.department = department
    _assignment_change_save(locked, before=before, changed_by=changed_by)
    assignment.department = department
    return True


def assignment_members_sync(*, assignment: Assignment, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Bring an active assignment's rows in line with who matches it now: every active person who
    matches and has no row of it gets their first row; the open rows of people who no longer match
    go (completed rows stay as history). assignments_sync_user's rule seen from the assignment, for
    a change of the assignment itself (its positions) and for records_verify's repair. The
    change is announced once (assignment_people_changed). Returns (added, removed)."""
    if not assignment.active:
        return 0, 0
    now = now or timezone.now()
    with transaction.atomic():
        _lock_membership()
        completions_lock_exclusive([assignment.course_id])
        matching = {user.pk for user in _matching_users(assignment)}
        rows = LearnerAssignment.objects.filter(assignment=assignment)
        leaving = {
            row_id: user_id
            for row_id, user_id in rows.filter(completed_at__isnull=True).values_list("pk", "user_id")
            if user_id not in matching
        }
        removed = 0
        row_ids = sorted(leaving)
        for start in range(0, len(row_ids), BATCH):
            removed += LearnerAssignment.objects.filter(pk__in=row_ids[start : start + BATCH]).delete()[0]
        missing = sorted(matching - set(rows.values_list("user_id", flat=True)))
        done = _completions(course_id=assignment.course_id, user_ids=missing)
        LearnerAssignment.objects.bulk_create(
            [_first_row(assignment, user_id, now, done.get(user_id)) for user_id in missing],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        changed_people = sorted(set(leaving.values()) | set(missing))
        if changed_people:
            # Inside the transaction: the ledger's required/elective split commits with the rows.
            assignment_people_changed.send(
                sender=LearnerAssignment, course_id=assignment.course_id, user_ids=changed_people
            )
    return len(missing), removed


def assignments_members_repair(*, assignment_id: int) -> int:
    """records_verify's repair of an assignment's people (assignments.verify): returns the rows changed."""
    assignment = Assignment.objects.select_related("department").filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    return sum(assignment_members_sync(assignment=assignment))


def assignments_sync_user(*, user, now: datetime.datetime | None = None) -> tuple[int, int]:
    """A new joiner, or someone who moved or changed position: give them every active assignment
    they now match and have not had, and drop the open rows of those they no longer match
    (completed rows stay as history). Returns (added, removed)."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_membership()
        department = Department.objects.filter(pk=user.department_id).first() if user.department_id else None
        matching: list[Assignment] = []
        if user.is_active and department is not None:
            candidates = Assignment.objects.filter(active=True).select_related("department")
            matching = [
                assignment
                for assignment in candidates
                if rules.person_matches(
                    person_department_path=department.path,
                    person_position=user.position,
                    department_path=assignment.department.path,
                    positions=assignment.position_list,
                )
            ]
        matching_ids = {assignment.pk for assignment in matching}
        dropped = LearnerAssignment.objects.filter(
            user_id=user.pk, completed_at__isnull=True, assignment__active=True
        ).exclude(assignment_id__in=matching_ids)
        changed_course_ids = set(dropped.values_list("assignment__course_id", flat=True))
        had = set(
            LearnerAssignment.objects.filter(user_id=user.pk, assignment_id__in=matching_ids).values_list(
                "assignment_id", flat=True
            )
        )
        changed_course_ids |= {assignment.course_id for assignment in matching if assignment.pk not in had}
        completions_lock_exclusive(changed_course_ids)
        removed, _detail = dropped.delete()
        new_rows = []
        for assignment in matching:
            if assignment.pk in had:
                continue
            done = _completions(course_id=assignment.course_id, user_ids=[user.pk])
            new_rows.append(_first_row(assignment, user.pk, now, done.get(user.pk)))
        LearnerAssignment.objects.bulk_create(new_rows, ignore_conflicts=True)
        if changed_course_ids:
            # Inside the transaction: the ledger's required/elective split commits with the rows.
            required_courses_changed.send(sender=LearnerAssignment, user_id=user.pk, course_ids=changed_course_ids)
    return len(new_rows), removed


@transaction.atomic
def _roll_over_assignment(assignment: Assignment, *, today: datetime.date, now: datetime.datetime) -> int:
    """One yearly assignment's next cycles, decided and written under the membership lock (a
    person changing position meanwhile would otherwise keep a new open cycle they no longer owe)."""
    _lock_membership()
    completions_lock_exclusive([assignment.course_id])
    matching = {user.pk for user in _matching_users(assignment)}
    latest: dict[int, LearnerAssignment] = {}
    for row in LearnerAssignment.objects.filter(assignment=assignment, user_id__in=matching).order_by("cycle_year"):
        latest[row.user_id] = row
    new_rows = []
    for user_id, row in latest.items():
        if not rules.needs_roll_over(repeat_yearly=True, latest_due_on=row.due_at, today=today):
            continue
        due_on, cycle_year = rules.next_cycle(due_on=row.due_at, cycle_year=row.cycle_year)
        new_rows.append(
            LearnerAssignment(
                assignment=assignment, user_id=user_id, assigned_at=now, due_at=due_on, cycle_year=cycle_year
            )
        )
    if not new_rows:
        return 0
    done = _completions(course_id=assignment.course_id, user_ids=[r.user_id for r in new_rows])
    previous = {user_id: row.due_at for user_id, row in latest.items()}
    for new_row in new_rows:
        completed_at = done.get(new_row.user_id)
        if (
            completed_at is not None
            and latest[new_row.user_id].completed_at != completed_at
            and rules.completion_counts(
                completed_on=timezone.localdate(completed_at), previous_due_on=previous[new_row.user_id]
            )
        ):
            new_row.completed_at = completed_at
    return len(LearnerAssignment.objects.bulk_create(new_rows, batch_size=BATCH, ignore_conflicts=True))


def assignments_roll_over(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Open the next cycle of yearly assignments whose latest cycle's due date has passed, for
    the people who still match. Idempotent: a second run the same day opens nothing."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    created = 0
    for assignment in Assignment.objects.filter(active=True, repeat_yearly=True).select_related("department"):
        created += _roll_over_assignment(assignment, today=today, now=now)
    return created


def assignments_course_completed(*, user_id: int, course_id: int, completed_at: datetime.datetime) -> int:
    """Mark the learner's open cycles of the course that this completion falls in."""
    completed_on = timezone.localdate(completed_at)
    cycles: dict[int, list[LearnerAssignment]] = {}
    for row in LearnerAssignment.objects.filter(user_id=user_id, assignment__course_id=course_id).order_by(
        "cycle_year"
    ):
        cycles.setdefault(row.assignment_id, []).append(row)
    marked = 0
    for rows in cycles.values():
        year = rules.cycle_for_completion(
            completed_on=completed_on, dues=[(row.cycle_year, row.due_at) for row in rows]
        )
        for row in rows:
            if row.cycle_year == year and row.completed_at is None:
                row.completed_at = completed_at
                row.save(update_fields=["completed_at"])
                marked += 1
    return marked


def assignments_course_completion_revoked(*, user_id: int, course_id: int, completed_at=None) -> int:
    """A revoked completion reopens the cycles it had closed."""
    rows = LearnerAssignment.objects.filter(
        user_id=user_id, assignment__course_id=course_id, completed_at__isnull=False
    )
    if completed_at is not None:
        rows = rows.filter(completed_at=completed_at)
    return rows.update(completed_at=None)


def assignments_completion_repair(*, user_id: int, course_id: int) -> int:
    """Bring one person's cycles of a course back in line with their course completion (see
    assignments.verify): reopen the cycles of a completion that no longer stands, or close the
    cycle a standing completion falls in. Idempotent; returns the rows changed."""
    completed_at = (
        CourseProgress.objects.filter(user_id=user_id, course_id=course_id, completed_at__isnull=False)
        .values_list("completed_at", flat=True)
        .first()
    )
    with transaction.atomic():
        if completed_at is None:
            return assignments_course_completion_revoked(user_id=user_id, course_id=course_id)
        return assignments_course_completed(user_id=user_id, course_id=course_id, completed_at=completed_at)
