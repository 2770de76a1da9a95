"""The integrity report for heads: whose hours rest on study that looks implausible.

Findings are computed from the stored rows when the report is read (a constant number of queries
whatever the number of learners): a course completed with less verified study time than its
content asks for (the sum of its lesson steps' minimums), and many courses finished in one
sitting. A head's decision on a finding is kept (IntegrityReview) and audited; rejecting the
hours marks the completions' entries rejected, as a review of pending hours does."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page

from accounts.scope import Scope
from courses.models import CoursePage, CourseProgress, LessonPage
from studytime.selectors import verified_seconds_by_course

from .models import IntegrityReview
from .rules import sittings


@dataclass
class Finding:
    kind: str
    key: str
    user_id: int
    name: str
    department: str
    course_ids: list[int]
    course_titles: list[str]
    active_minutes: int
    expected_minutes: int
    when: object
    review: IntegrityReview | None = None
    extra: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return IntegrityReview.Kind(self.kind).label


def _content_minimums(course_paths: dict[int, str]) -> dict[int, int]:
    """{course id: seconds} the course's live lesson steps ask for together. One query."""
    if not course_paths:
        return {}
    by_path = {path: course_id for course_id, path in course_paths.items()}
    condition = Q()
    for path in by_path:
        condition |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    totals = dict.fromkeys(course_paths, 0)
    for lesson in LessonPage.objects.live().filter(condition):
        totals[by_path[lesson.path[: -Page.steplen]]] += lesson.minimum_study_seconds
    return totals


def findings(*, scope: Scope, user_ids=None) -> list[Finding]:
    """The findings about active learners inside the scope (optionally only these people), each
    with the head's decision when there is one; most recent first."""
    if not scope.allowed:
        return []
    rows = CourseProgress.objects.filter(completed_at__isnull=False, user__is_active=True)
    if not scope.everything:
        rows = rows.filter(user__department__path__startswith=scope.root.path)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    completions = list(
        rows.values(
            "user_id",
            "course_id",
            "completed_at",
            "user__display_name",
            "user__username",
            "user__department__name",
            "course__title",
        ).order_by("user_id", "completed_at")
    )
    if not completions:
        return []
    course_ids = {row["course_id"] for row in completions}
    paths = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "path"))
    minimums = _content_minimums(paths)
    people_by_course: dict[int, set[int]] = {}
    for row in completions:
        people_by_course.setdefault(row["course_id"], set()).add(row["user_id"])
    # One grouped query per course (the courses, not the learners, set the number).
    active = {
        (user_id, course_id): seconds
        for course_id, people in people_by_course.items()
        for user_id, seconds in verified_seconds_by_course(course_id=course_id, user_ids=people).items()
    }
    found: list[Finding] = []
    by_person: dict[int, list[dict]] = {}
    for row in completions:
        by_person.setdefault(row["user_id"], []).append(row)
        seconds = active.get((row["user_id"], row["course_id"]), 0)
        minimum = minimums.get(row["course_id"], 0)
        if minimum and seconds < minimum:
            found.append(_finding(IntegrityReview.Kind.TOO_FAST, str(row["course_id"]), [row], seconds, minimum))
    window = int(getattr(settings, "STUDY_TIME_SITTING_MINUTES", 120)) * 60
    at_least = int(getattr(settings, "STUDY_TIME_SITTING_COURSES", 3))
    for person_rows in by_person.values():
        by_moment = {row["completed_at"]: row for row in person_rows}
        for run in sittings(list(by_moment), window_seconds=window, at_least=at_least):
            sitting = [by_moment[moment] for moment in run]
            seconds = sum(active.get((row["user_id"], row["course_id"]), 0) for row in sitting)
            minimum = sum(minimums.get(row["course_id"], 0) for row in sitting)
            found.append(_finding(IntegrityReview.Kind.ONE_SITTING, run[0].isoformat(), sitting, seconds, minimum))
    reviews = {
        (review.user_id, review.kind, review.key): review
        for review in IntegrityReview.objects.filter(user_id__in={f.user_id for f in found}).select_related(
            "decided_by"
        )
    }
    for finding in found:
        finding.review = reviews.get((finding.user_id, finding.kind, finding.key))
    found.sort(key=lambda finding: finding.when, reverse=True)
    return found


def _finding(kind, key, rows, seconds, minimum) -> Finding:
    first = rows[0]
    return Finding(
        kind=kind,
        key=key,
        user_id=first["user_id"],
        name=first["user__display_name"] or first["user__username"],
        department=first["user__department__name"] or "",
        course_ids=[row["course_id"] for row in rows],
        course_titles=[row["course__title"] for row in rows],
        active_minutes=seconds // 60,
        expected_minutes=-(-minimum // 60),
        when=rows[-1]["completed_at"],
    )
