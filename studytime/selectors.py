"""Reads of verified study time. Everything is in whole seconds of active time credited by the
server (studytime.services.beat_accept), once per person across tabs and devices.

For reports and hours (issue 13 parts 3 and 4): verified_seconds_by_step and
verified_seconds_by_course read the flushed rows only (one grouped query each, whatever the
number of people); step_verified_seconds adds what the ledger holds but has not flushed yet, for
the one person at "Mark as done"."""

from collections.abc import Iterable

from django.db.models import Q, Sum

from .ledger import entry_field, get_ledger, video_field
from .models import PageView, StudyTime, StudyTimeFlush, VideoWatch
from .rules import ranges_decode, ranges_seconds


def step_verified_seconds(*, user_id: int, step_id: int, course_id: int) -> int:
    """A person's verified seconds on one step of one course, including credit not flushed yet.
    A claimed batch already written (its flush died before releasing it) is not counted twice."""
    stored = (
        StudyTime.objects.filter(user_id=user_id, step_id=step_id, course_id=course_id)
        .values_list("active_ms", flat=True)
        .first()
        or 0
    )
    waiting = get_ledger().pending_ms(entry_field(user_id=user_id, step_id=step_id, course_id=course_id))
    inflight = waiting["inflight"]
    if inflight and StudyTimeFlush.objects.filter(batch_id=waiting["batch"]).exists():
        inflight = 0
    return (stored + waiting["pending"] + inflight) // 1000


def course_verified_seconds(*, user_id: int, course_id: int, step_ids: Iterable[int]) -> int:
    """A person's verified seconds on a course, including credit not flushed yet on these steps
    (at the course's completion, whose last step's time is usually still in the ledger). Two
    queries at most and one ledger round trip."""
    stored = StudyTime.objects.filter(user_id=user_id, course_id=course_id).aggregate(ms=Sum("active_ms"))["ms"] or 0
    fields = [entry_field(user_id=user_id, step_id=step_id, course_id=course_id) for step_id in step_ids]
    if not fields:
        return stored // 1000
    waiting = get_ledger().pending_ms_many(fields)
    inflight = sum(waiting["inflight"].values())
    if inflight and StudyTimeFlush.objects.filter(batch_id=waiting["batch"]).exists():
        inflight = 0
    return (stored + sum(waiting["pending"].values()) + inflight) // 1000


def verified_seconds_by_step(*, step_ids: Iterable[int], user_ids: Iterable[int] | None = None) -> dict:
    """{(user_id, step_id): seconds} of flushed time on these steps (in any course), one query."""
    rows = StudyTime.objects.filter(step_id__in=list(step_ids))
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    totals = rows.values("user_id", "step_id").annotate(ms=Sum("active_ms")).order_by()
    return {(row["user_id"], row["step_id"]): row["ms"] // 1000 for row in totals}


def verified_seconds_by_course(*, course_id: int, user_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{user_id: seconds} of flushed time on the steps of one course, one query."""
    rows = StudyTime.objects.filter(course_id=course_id)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    totals = rows.values("user_id").annotate(ms=Sum("active_ms")).order_by()
    return {row["user_id"]: row["ms"] // 1000 for row in totals}


def step_watched_seconds(*, user_id: int, step_id: int, course_id: int, lengths: list[int]) -> list[int]:
    """Seconds of each of a step's videos the person has watched (merged ranges, within each
    video's length), including ranges not flushed yet. Seeking ahead leaves a gap that does not
    count. Two queries at most and one ledger round trip."""
    if not lengths:
        return []
    stored = {
        row.video_index: row.ranges
        for row in VideoWatch.objects.filter(user_id=user_id, step_id=step_id, course_id=course_id)
    }
    fields = [
        video_field(user_id=user_id, step_id=step_id, course_id=course_id, index=index) for index in range(len(lengths))
    ]
    waiting = get_ledger().pending_text_many(fields)
    count_inflight = not (
        any(waiting["inflight"].values()) and StudyTimeFlush.objects.filter(batch_id=waiting["batch"]).exists()
    )
    watched = []
    for index, (length, field) in enumerate(zip(lengths, fields, strict=True)):
        ranges = [*map(tuple, stored.get(index, [])), *ranges_decode(waiting["pending"][field])]
        if count_inflight:
            ranges += ranges_decode(waiting["inflight"][field])
        watched.append(ranges_seconds(ranges, length=length or None))
    return watched


PAGE_VIEW_FIELDS = (
    "view_id",
    "user_id",
    "step_id",
    "course_id",
    "step__title",
    "course__title",
    "started_at",
    "last_beat_at",
    "beats",
    "gaps",
    "gap_sum_ms",
    "gap_sq_ms",
    "overlap_ms",
    "credited_ms",
    "user__display_name",
    "user__username",
    "user__department__name",
)


def suspect_page_views(*, department_path: str | None, user_ids: Iterable[int] | None = None, min_gaps: int) -> list:
    """The page views of active people (under a department path, None: everyone; optionally only
    these people) that overlapped another of their views or beat steadily at least min_gaps times:
    what the integrity report judges. One query; dicts of PAGE_VIEW_FIELDS, by person and time."""
    rows = PageView.objects.filter(user__is_active=True).filter(Q(overlap_ms__gt=0) | Q(gaps__gte=min_gaps))
    if department_path is not None:
        rows = rows.filter(user__department__path__startswith=department_path)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return list(rows.values(*PAGE_VIEW_FIELDS).order_by("user_id", "started_at"))


def verified_minutes_by_course(*, user_id: int) -> dict[int, int]:
    """{course_id: whole minutes} of one person's flushed verified time per course, one query: what
    My learning and the learner report show (credit not flushed yet, under a minute old, is not)."""
    return {course_id: s // 60 for (_user, course_id), s in verified_seconds_by_user_course(user_ids=[user_id]).items()}


def verified_minutes_of_people(*, course_id: int, user_ids: Iterable[int]) -> dict[int, int]:
    """{user_id: whole minutes} of these people's flushed verified time on one course, one query."""
    return {user_id: s // 60 for user_id, s in verified_seconds_by_course(course_id=course_id, user_ids=user_ids).items()}


def verified_seconds_by_user_course(*, user_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(user_id, course_id): seconds} of flushed time of these people on every course, one query."""
    totals = (
        StudyTime.objects.filter(user_id__in=list(user_ids)).values("user_id", "course_id").annotate(ms=Sum("active_ms"))
    ).order_by()
    return {(row["user_id"], row["course_id"]): row["ms"] // 1000 for row in totals}


# A person's own rows, for their data archive (privacy): {kind: (columns, rows as dicts)}.
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    time_columns = ("course_id", "course__title", "step_id", "step__title", "active_ms", "updated_at")
    video_columns = ("course_id", "course__title", "step_id", "step__title", "video_index", "ranges", "watched_seconds")
    view_columns = (
        "course_id",
        "course__title",
        "step_id",
        "step__title",
        "started_at",
        "last_beat_at",
        "beats",
        "gaps",
        "gap_sum_ms",
        "gap_sq_ms",
        "overlap_ms",
        "credited_ms",
    )
    return {
        "study_time": (
            time_columns,
            list(StudyTime.objects.filter(user=user).order_by("course_id", "step_id").values(*time_columns)),
        ),
        "videos_watched": (
            video_columns,
            list(
                VideoWatch.objects.filter(user=user).order_by("course_id", "step_id", "video_index").values(*video_columns)
            ),
        ),
        "page_views": (
            view_columns,
            list(PageView.objects.filter(user=user).order_by("started_at", "pk").values(*view_columns)),
        ),
    }
