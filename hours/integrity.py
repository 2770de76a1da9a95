"""The integrity report for heads: whose hours rest on study that looks implausible.

Findings are computed from the stored rows when the report is read (a constant number of queries
whatever the number of learners): a course completed with less verified study time than its
content asks for (the sum of its lesson steps' minimums), and many courses finished in one
sitting. A head's decision on a finding is kept (IntegrityReview) and audited; rejecting the
hours marks the completions' entries rejected, as a review of pending hours does."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.models import Page

from accounts.scope import Scope
from courses.models import CoursePage, CourseProgress, LessonPage
from studytime.rules import gap_spread_ms, is_machine_regular
from studytime.selectors import suspect_page_views, verified_seconds_by_course, verified_seconds_by_user_course

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
    expected_minutes: int | None
    when: object
    review: IntegrityReview | None = None
    extra: dict = field(default_factory=dict)
    # The page views behind an overlap or regular-beats finding (studytime.selectors dicts).
    views: list = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return IntegrityReview.Kind(self.kind).label

    @property
    def detail(self) -> str:
        """What the figures of an overlap or regular-beats finding are, in words."""
        if self.kind == IntegrityReview.Kind.OVERLAP:
            minutes = self.extra["overlap_minutes"]
            return ngettext(
                "Active on two pages at once for %(minutes)s minute",
                "Active on two pages at once for %(minutes)s minutes",
                minutes,
            ) % {"minutes": minutes}
        if self.kind == IntegrityReview.Kind.REGULAR:
            beats = self.extra["beats"]
            return ngettext(
                "%(beats)s heartbeat gap spread by %(spread)s ms",
                "%(beats)s heartbeat gaps spread by %(spread)s ms",
                beats,
            ) % {"beats": beats, "spread": self.extra["spread_ms"]}
        return ""


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
    found = _completion_findings(scope=scope, user_ids=user_ids) + _page_view_findings(scope=scope, user_ids=user_ids)
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


def _completion_findings(*, scope: Scope, user_ids) -> list[Finding]:
    """Completed too fast, and many courses in one sitting: from the completed progress rows."""
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
    return found


def _page_view_findings(*, scope: Scope, user_ids) -> list[Finding]:
    """Overlapping sessions (per person and local day: at least STUDY_TIME_OVERLAP_MINUTES during
    which two of their page views were active at once, as the ledger measured it beat by beat) and
    machine-regular heartbeats (per person and course: at least STUDY_TIME_REGULAR_MIN_GAPS steady
    beats whose gaps spread less than STUDY_TIME_REGULAR_MAX_SPREAD_MS). One query."""
    min_gaps = settings.STUDY_TIME_REGULAR_MIN_GAPS
    views = suspect_page_views(
        department_path=None if scope.everything else scope.root.path, user_ids=user_ids, min_gaps=min_gaps
    )
    overlaps: dict[tuple, list[dict]] = {}
    steady: dict[tuple, list[dict]] = {}
    for view in views:
        if view["overlap_ms"] > 0:
            day = timezone.localtime(view["started_at"]).date().isoformat()
            overlaps.setdefault((view["user_id"], day), []).append(view)
        if view["gaps"] > 0:
            steady.setdefault((view["user_id"], view["course_id"]), []).append(view)
    found = []
    for (_user_id, day), group in overlaps.items():
        overlap_ms = sum(view["overlap_ms"] for view in group)
        if overlap_ms >= settings.STUDY_TIME_OVERLAP_MINUTES * 60_000:
            found.append(
                _view_finding(IntegrityReview.Kind.OVERLAP, day, group, extra={"overlap_minutes": overlap_ms // 60_000})
            )
    for (_user_id, course_id), group in steady.items():
        pooled = {name: sum(view[name] for view in group) for name in ("gaps", "gap_sum_ms", "gap_sq_ms")}
        if is_machine_regular(**pooled, min_gaps=min_gaps, max_spread_ms=settings.STUDY_TIME_REGULAR_MAX_SPREAD_MS):
            spread = gap_spread_ms(**pooled)
            found.append(
                _view_finding(
                    IntegrityReview.Kind.REGULAR,
                    str(course_id),
                    group,
                    extra={"beats": pooled["gaps"], "spread_ms": round(spread)},
                )
            )
    return found


def _view_finding(kind, key, views, *, extra) -> Finding:
    first = views[0]
    courses = {view["course_id"]: view["course__title"] for view in views}
    return Finding(
        kind=kind,
        key=key,
        user_id=first["user_id"],
        name=first["user__display_name"] or first["user__username"],
        department=first["user__department__name"] or "",
        course_ids=sorted(courses),
        course_titles=[courses[course_id] for course_id in sorted(courses)],
        active_minutes=sum(view["credited_ms"] for view in views) // 60_000,
        expected_minutes=None,
        when=max(view["last_beat_at"] for view in views),
        extra=extra,
        views=views,
    )


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


def learner_in_scope(*, scope: Scope, user_id: int):
    """The active person the scope covers, or None (anyone else is a 404 to the caller). One query."""
    from django.contrib.auth import get_user_model

    if not scope.allowed:
        return None
    person = get_user_model().objects.select_related("department").filter(pk=user_id, is_active=True).first()
    if person is None or not scope.contains(person.department):
        return None
    return person


def learner_course_minutes(*, user_id: int) -> list[dict]:
    """The person's courses (begun, completed or studied) with their verified active minutes:
    [{"course_id", "title", "completed_at", "active_minutes"}], by title. Three queries."""
    progress = {
        row["course_id"]: row
        for row in CourseProgress.objects.filter(user_id=user_id).values("course_id", "course__title", "completed_at")
    }
    seconds = {course_id: s for (_user, course_id), s in verified_seconds_by_user_course(user_ids=[user_id]).items()}
    titles = {course_id: row["course__title"] for course_id, row in progress.items()}
    missing = set(seconds) - set(titles)
    if missing:
        titles.update(Page.objects.filter(pk__in=missing).values_list("pk", "title"))
    return sorted(
        (
            {
                "course_id": course_id,
                "title": title,
                "completed_at": (progress.get(course_id) or {}).get("completed_at"),
                "active_minutes": seconds.get(course_id, 0) // 60,
            }
            for course_id, title in titles.items()
        ),
        key=lambda row: row["title"],
    )
