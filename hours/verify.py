"""Checks of the credit-hour ledger against the facts it follows (read only): a course completion
has its entry and a withdrawn one has none in force; a passed final exam has its bonus; an entry
is required exactly when the course is required of the person; an approved offline declaration
has its entry and no other declaration has one. Keys name the unit of `hours_records_repair`."""

from collections import defaultdict

from wagtail.models import Page

from assignments.models import LearnerAssignment
from courses.models import CoursePage, CourseProgress, QuizStepPage
from quizzes.models import AttemptGrade

from .models import HourEntry, OfflineTraining
from .rules import final_exam_bonus

COURSE_SOURCES = [HourEntry.Source.COURSE_COMPLETION, HourEntry.Source.QUIZ_BONUS]


def _final_exam_passes() -> set[tuple[int, int]]:
    """(user id, course id) of learners who completed the course and passed one of its live final
    exams (any grading that passed). A learner who passed before completing has the bonus too (it
    is given on the pass), but the record a head defends is the completed one."""
    from .services import hour_rules

    if final_exam_bonus(passed=True, rules=hour_rules()) <= 0:
        return set()
    steps = list(QuizStepPage.objects.live().filter(kind=QuizStepPage.Kind.FINAL_EXAM).values_list("path", "quiz_id"))
    course_by_path = dict(
        CoursePage.objects.filter(path__in={path[: -Page.steplen] for path, _quiz in steps}).values_list("path", "pk")
    )
    course_of_quiz: dict[int, set[int]] = defaultdict(set)
    for path, quiz_id in steps:
        if path[: -Page.steplen] in course_by_path:
            course_of_quiz[quiz_id].add(course_by_path[path[: -Page.steplen]])
    if not course_of_quiz:
        return set()
    passers = set(
        AttemptGrade.objects.filter(passed=True, attempt__quiz_id__in=list(course_of_quiz))
        .values_list("attempt__user_id", "attempt__quiz_id")
        .distinct()
    )
    completed = set(CourseProgress.objects.filter(completed_at__isnull=False).values_list("user_id", "course_id"))
    return {
        (user_id, course_id)
        for user_id, quiz_id in passers
        for course_id in course_of_quiz[quiz_id]
        if (user_id, course_id) in completed
    }


def hours_record_problems() -> dict[tuple, list[str]]:
    problems: dict[tuple, list[str]] = defaultdict(list)
    completed = set(CourseProgress.objects.filter(completed_at__isnull=False).values_list("user_id", "course_id"))
    in_force = set(
        HourEntry.objects.filter(source=HourEntry.Source.COURSE_COMPLETION, revoked_at__isnull=True).values_list(
            "user_id", "course_id"
        )
    )
    for user_id, course_id in sorted(completed - in_force):
        problems[("course", user_id, course_id)].append(
            f"hours of user {user_id} for course {course_id}: completed, but no completion entry in force"
        )
    for user_id, course_id in sorted(in_force - completed):
        problems[("course", user_id, course_id)].append(
            f"hours of user {user_id} for course {course_id}: a completion entry in force, but not completed"
        )

    bonuses = set(HourEntry.objects.filter(source=HourEntry.Source.QUIZ_BONUS).values_list("user_id", "course_id"))
    for user_id, course_id in sorted(_final_exam_passes() - bonuses):
        problems[("bonus", user_id, course_id)].append(
            f"hours of user {user_id} for course {course_id}: final exam passed, but no bonus entry"
        )

    required = set(
        LearnerAssignment.objects.filter(assignment__active=True).values_list("user_id", "assignment__course_id")
    )
    for entry_id, user_id, course_id, kind in HourEntry.objects.filter(source__in=COURSE_SOURCES).values_list(
        "pk", "user_id", "course_id", "kind"
    ):
        expected = HourEntry.Kind.REQUIRED if (user_id, course_id) in required else HourEntry.Kind.ELECTIVE
        if course_id is not None and kind != expected:
            problems[("kind", course_id)].append(
                f"hour entry {entry_id} (user {user_id}, course {course_id}): {kind}, expected {expected}"
            )

    approved = set(OfflineTraining.objects.filter(status=OfflineTraining.Status.APPROVED).values_list("pk", flat=True))
    with_entry = set(
        HourEntry.objects.filter(
            source=HourEntry.Source.OFFLINE, offline__isnull=False, revoked_at__isnull=True
        ).values_list("offline_id", flat=True)
    )
    for declaration_id in sorted(approved - with_entry):
        problems[("offline", declaration_id)].append(f"offline training {declaration_id}: approved, but no hour entry")
    for declaration_id in sorted(with_entry - approved):
        problems[("offline", declaration_id)].append(
            f"offline training {declaration_id}: an hour entry, but not approved"
        )
    return dict(problems)
