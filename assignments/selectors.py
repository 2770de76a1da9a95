"""Reads of required learning: a learner's list, the overdue people of a scope, and the
overdue counts the reports read per department and course."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scope import Scope
from departments.models import Department

from .models import Assignment, LearnerAssignment


def learner_required(*, user, today: datetime.date | None = None) -> list[dict]:
    """The learner's current cycle of each active assignment, by due date; overdue marked."""
    today = today or timezone.localdate()
    rows = (
        LearnerAssignment.objects.filter(user=user, assignment__active=True)
        .select_related("assignment__course")
        .order_by("assignment_id", "-cycle_year")
    )
    current: dict[int, LearnerAssignment] = {}
    for row in rows:
        current.setdefault(row.assignment_id, row)  # the latest cycle
    items = [
        {
            "row": row,
            "course": row.assignment.course,
            "due_at": row.due_at,
            "completed": row.completed_at is not None,
            "overdue": row.completed_at is None and row.due_at < today,
        }
        for row in current.values()
    ]
    # Open items first (soonest due first), completed ones after.
    items.sort(key=lambda item: (item["completed"], item["due_at"], item["course"].title))
    return items


def overdue_rows(
    *, scope: Scope, department: Department | None = None, today: datetime.date | None = None
) -> QuerySet[LearnerAssignment]:
    """Open cycles past their due date of active people in the scope (or in `department`, a unit
    of it), most overdue first."""
    today = today or timezone.localdate()
    rows = LearnerAssignment.objects.filter(
        completed_at__isnull=True,
        due_at__lt=today,
        assignment__active=True,
        user__is_active=True,
    )
    unit = department or (None if scope.everything else scope.root)
    if unit is not None:
        rows = rows.filter(user__department__path__startswith=unit.path)
    elif not scope.everything:
        return rows.none()
    return rows.select_related("user__department", "assignment__course").order_by("due_at", "user__username", "pk")


def scope_assignments(*, scope: Scope) -> QuerySet[Assignment]:
    """The assignments given to units in the scope, latest first."""
    assignments = Assignment.objects.select_related("course", "department", "created_by")
    if scope.everything:
        return assignments.order_by("-created_at", "-pk")
    if scope.root is None:
        return assignments.none()
    return assignments.filter(department__path__startswith=scope.root.path).order_by("-created_at", "-pk")


def overdue_counts(
    *, today: datetime.date | None = None, department_id: int | None = None, course_id: int | None = None
) -> dict[tuple[int, int], int]:
    """(department id, course id) → active people of that department (direct members) with an
    overdue cycle of a required course: what the reports' overdue figures read. Optionally only
    one department and/or course."""
    today = today or timezone.localdate()
    rows = LearnerAssignment.objects.filter(
        completed_at__isnull=True, due_at__lt=today, assignment__active=True, user__is_active=True
    )
    if department_id is not None:
        rows = rows.filter(user__department_id=department_id)
    if course_id is not None:
        rows = rows.filter(assignment__course_id=course_id)
    counts = (
        rows.values("user__department_id", "assignment__course_id")
        .annotate(people=Count("user_id", distinct=True))
    )
    return {(row["user__department_id"], row["assignment__course_id"]): row["people"] for row in counts}


def assigned_counts(*, department_id: int | None = None, course_id: int | None = None) -> dict[tuple[int, int], int]:
    """(department id, course id) → active direct members with the course assigned. Optionally
    only one department and/or course."""
    rows = LearnerAssignment.objects.filter(assignment__active=True, user__is_active=True)
    if department_id is not None:
        rows = rows.filter(user__department_id=department_id)
    if course_id is not None:
        rows = rows.filter(assignment__course_id=course_id)
    counts = (
        rows.values("user__department_id", "assignment__course_id")
        .annotate(people=Count("user_id", distinct=True))
    )
    return {(row["user__department_id"], row["assignment__course_id"]): row["people"] for row in counts}


def open_rows_due_on(*, dates) -> QuerySet[LearnerAssignment]:
    """Open cycles of active assignments and active people due on one of `dates`, with the person
    and course: what the daily reminders read."""
    return (
        LearnerAssignment.objects.filter(
            completed_at__isnull=True, due_at__in=list(dates), assignment__active=True, user__is_active=True
        )
        .select_related("user", "assignment__course")
        .order_by("due_at", "pk")
    )


def scope_assignment_or_404(*, scope: Scope, pk) -> Assignment:
    """An assignment of a unit in the scope; anything else is a 404."""
    return get_object_or_404(scope_assignments(scope=scope), pk=pk)


def assignment_withdraw_effect(*, assignment: Assignment, today: datetime.date | None = None) -> dict[str, int]:
    """What withdrawing would change, for the confirmation page: people with an open cycle (who
    would owe the course no more), of them those overdue, and people who completed it (their
    records stay). One query."""
    today = today or timezone.localdate()
    rows = LearnerAssignment.objects.filter(assignment=assignment, user__is_active=True)
    counts = rows.aggregate(
        open=Count("user", filter=Q(completed_at__isnull=True), distinct=True),
        overdue=Count("user", filter=Q(completed_at__isnull=True, due_at__lt=today), distinct=True),
        completed=Count("user", filter=Q(completed_at__isnull=False), distinct=True),
    )
    return counts
