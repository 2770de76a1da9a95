"""Checks of required learning (read only): who owes an active assignment against who matches it
now (keyed by assignment, the unit of `assignments_members_repair`); and the stored completions
against the course completions: an open cycle that a completion falls in, or a closed cycle of
someone whose course is not completed (keyed by (user id, course id), the unit of
`assignments_completion_repair`)."""

from collections import defaultdict

from django.utils import timezone

from courses.models import CourseProgress

from . import rules
from .models import LearnerAssignment


def assignment_record_problems() -> dict[tuple[int, int], list[str]]:
    completions = {
        (user_id, course_id): completed_at
        for user_id, course_id, completed_at in CourseProgress.objects.filter(completed_at__isnull=False).values_list(
            "user_id", "course_id", "completed_at"
        )
    }
    cycles: dict[tuple[int, int, int], list[dict]] = defaultdict(list)
    for row in LearnerAssignment.objects.values(
        "pk", "assignment_id", "assignment__course_id", "user_id", "cycle_year", "due_at", "completed_at"
    ).order_by("cycle_year"):
        cycles[(row["user_id"], row["assignment__course_id"], row["assignment_id"])].append(row)
    problems: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (user_id, course_id, _assignment_id), rows in cycles.items():
        completed_at = completions.get((user_id, course_id))
        falls_in = None
        if completed_at is not None:
            falls_in = rules.cycle_for_completion(
                completed_on=timezone.localdate(completed_at), dues=[(row["cycle_year"], row["due_at"]) for row in rows]
            )
        for row in rows:
            label = f"required learning row {row['pk']} (user {user_id}, course {course_id}, cycle {row['cycle_year']})"
            if row["completed_at"] is not None and completed_at is None:
                problems[(user_id, course_id)].append(f"{label}: closed, but the course is not completed")
            elif row["completed_at"] is None and row["cycle_year"] == falls_in:
                problems[(user_id, course_id)].append(
                    f"{label}: open, but the completion of {completed_at} falls in it"
                )
    return dict(problems)


def assignment_member_problems() -> dict[int, list[str]]:
    """Who owes an active assignment against who matches it now (rules.person_matches, as
    assignments_sync_user and assignment_members_sync decide): an active person who matches and
    has no row of it, or an open row of someone who no longer matches. Keyed by assignment id, the
    unit of `assignments_members_repair`."""
    from django.contrib.auth import get_user_model

    from .models import Assignment

    people = list(
        get_user_model()
        .objects.filter(is_active=True, department__isnull=False)
        .values_list("pk", "position", "department__path")
    )
    with_row: dict[int, set[int]] = defaultdict(set)
    open_row: dict[int, set[int]] = defaultdict(set)
    for assignment_id, user_id, completed_at in LearnerAssignment.objects.filter(assignment__active=True).values_list(
        "assignment_id", "user_id", "completed_at"
    ):
        with_row[assignment_id].add(user_id)
        if completed_at is None:
            open_row[assignment_id].add(user_id)
    problems: dict[int, list[str]] = defaultdict(list)
    for assignment in Assignment.objects.filter(active=True).select_related("department").order_by("pk"):
        positions = assignment.position_list
        matching = {
            user_id
            for user_id, position, path in people
            if rules.person_matches(
                person_department_path=path,
                person_position=position,
                department_path=assignment.department.path,
                positions=positions,
            )
        }
        label = f"assignment {assignment.pk} (course {assignment.course_id}, unit {assignment.department_id})"
        for user_id in sorted(matching - with_row[assignment.pk]):
            problems[assignment.pk].append(f"{label}: user {user_id} matches it, but has no row")
        for user_id in sorted(open_row[assignment.pk] - matching):
            problems[assignment.pk].append(f"{label}: user {user_id} has an open row, but no longer matches it")
    return dict(problems)
