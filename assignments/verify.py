"""Checks of required learning's stored completions against the course completions (read only):
an open cycle that a completion falls in, or a closed cycle of someone whose course is not
completed. Keyed by (user id, course id), the unit of `assignments_completion_repair`."""

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
                problems[(user_id, course_id)].append(f"{label}: open, but the completion of {completed_at} falls in it")
    return dict(problems)
