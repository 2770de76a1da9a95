"""Checks of the records courses derives from raw facts (read only): each stored outline against
the live steps, each progress row against the learner's step completions, and each stored best
score (and make-up pass) against the graded attempts. `records_verify` runs them; the repair is
`courses.services.course_records_repair`. Problems are keyed by course (the unit of a repair)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from .models import CourseOutline, CoursePage, CourseProgress, StepCompletion
from .progress import progress_figures
from .selectors import NO_QUIZ_STANDING, course_path_of_step, live_step_ids, quiz_standing_by_learner


def course_record_problems() -> dict[int, list[str]]:
    """{course id: problems}; empty when every stored row agrees with a recompute. Four queries
    per course with learners."""
    problems: dict[int, list[str]] = defaultdict(list)
    for course_id, message in _misplaced_completions():
        problems[course_id].append(message)
    outlines = dict(CourseOutline.objects.values_list("course_id", "step_ids"))
    course_ids = set(CourseProgress.objects.values_list("course_id", flat=True).distinct()) | set(outlines)
    for course in CoursePage.objects.filter(pk__in=course_ids).order_by("pk"):
        step_ids = live_step_ids(course=course)
        if course.pk in outlines and outlines[course.pk] != step_ids:
            problems[course.pk].append(f"outline of course {course.pk}: stored {outlines[course.pk]}, live {step_ids}")
        completed: dict[int, set[int]] = defaultdict(set)
        for user_id, step_id in StepCompletion.objects.filter(course=course).values_list("user_id", "step_id"):
            completed[user_id].add(step_id)
        standings = quiz_standing_by_learner(course=course)
        for row in CourseProgress.objects.filter(course=course).values(
            "user_id",
            "steps_done",
            "steps_total",
            "percent",
            "resume_step_id",
            "completed_at",
            "best_score_percent",
            "quiz_attempts",
            "makeup_passed",
        ):
            user_id = row["user_id"]
            figures = progress_figures(step_ids, completed[user_id])
            stored = (row["steps_done"], row["steps_total"], row["percent"], row["resume_step_id"])
            expected = (figures.steps_done, figures.steps_total, figures.percent, figures.resume_step_id)
            label = f"progress of user {user_id} in course {course.pk}"
            if stored != expected:
                problems[course.pk].append(f"{label}: stored (done, total, %, resume) {stored}, recomputed {expected}")
            # A completion stays a record when steps are added later, so only a row with every
            # step done and no completion is wrong.
            if figures.all_done and row["completed_at"] is None:
                problems[course.pk].append(f"{label}: every step is done but the course is not completed")
            standing = standings.get(user_id, NO_QUIZ_STANDING)
            best, attempts = standing.best_percent, standing.attempts
            if (_percent(row["best_score_percent"]), row["quiz_attempts"]) != (_percent(best), attempts):
                problems[course.pk].append(
                    f"{label}: stored best score and graded attempts "
                    f"{(row['best_score_percent'], row['quiz_attempts'])}, recomputed {(best, attempts)}"
                )
            if row["makeup_passed"] != standing.makeup_passed:
                problems[course.pk].append(
                    f"{label}: stored passed in a make-up sitting {row['makeup_passed']}, "
                    f"recomputed {standing.makeup_passed}"
                )
    return dict(problems)


def _misplaced_completions() -> list[tuple[int, str]]:
    """(the step's course, problem) for each completion kept under a course its step is not in
    (courses.services.step_completions_follow): one query."""
    misplaced = (
        StepCompletion.objects.annotate(step_course_path=course_path_of_step("step__path"))
        .exclude(step_course_path=F("course__path"))
        .values_list("user_id", "step_id", "course_id", "step_course_path")
        .order_by("pk")
    )
    rows = list(misplaced)
    course_at = dict(CoursePage.objects.filter(path__in={row[3] for row in rows}).values_list("path", "pk"))
    return [
        (
            course_at[path],
            f"completion of step {step_id} by user {user_id} is kept under course {course_id}, "
            f"the step is in course {course_at[path]}",
        )
        for user_id, step_id, course_id, path in rows
        if path in course_at  # a step's parent is always a course (parent_page_types)
    ]


def _percent(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))
