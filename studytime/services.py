"""Study time: page-view tokens, heartbeats, the flush that writes them, and the minimum a step
asks for before "Mark as done".

A heartbeat writes nothing to the database: beat_accept checks the signed token and runs one
ledger operation (Redis or the cache); study_time_flush, run by Celery beat every minute, moves
the accumulated credit into StudyTime rows, exactly once per batch."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from .ledger import (
    entry_field,
    get_ledger,
    is_video_field,
    is_view_field,
    parse_field,
    parse_video_field,
    video_field,
)
from .models import PageView, StudyTime, StudyTimeFlush, VideoWatch
from .rules import (
    minimum_seconds,
    ranges_accept,
    ranges_decode,
    ranges_encode,
    ranges_merge,
    ranges_seconds,
    view_stats_decode,
)

SIGNING_SALT = "studytime.beat"  # separates these signatures from every other use of SECRET_KEY
FLUSH_KEEP_DAYS = 7
# A video may play at up to twice normal speed: a beat's played ranges may cover at most twice the
# time it earned (studytime.rules.ranges_accept).
VIDEO_RATE_CAP = 2.0


class BeatRefused(Exception):
    """A heartbeat that earns nothing, with the reason the page is told."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BeatResult:
    credited_ms: int


def _interval_ms() -> int:
    return int(settings.STUDY_TIME_BEAT_SECONDS * 1000)


def page_view_start(*, user_id: int, step_id: int, course_id: int, videos: list[int] = ()) -> dict:
    """A new page view of a step: its signed token (person, step, course, page view, the lengths
    of the step's videos in body order, issued-at) and what the page's script needs. No query and
    no write: the view itself is not stored until its first beat."""
    view_id = secrets.token_urlsafe(12)
    token = signing.dumps([user_id, step_id, course_id, view_id, list(videos)], salt=SIGNING_SALT, compress=False)
    return {
        "token": token,
        "step_id": step_id,
        "interval": settings.STUDY_TIME_BEAT_SECONDS,
        "idle": settings.STUDY_TIME_IDLE_SECONDS,
    }


def beat_accept(
    *, user_id: int, token: str, step_id: int, seq: int, fresh: bool, video: list | None = None
) -> BeatResult:
    """Credit one heartbeat. The token must be ours, unexpired, the requester's and for the step
    the beat names; the ledger then refuses replays and beats faster than the interval, and credits
    at most the wall-clock time since the person's last credited instant, once across all tabs.
    `video` is what the page's videos played since its last beat, [(index, start, end), ...]: the
    part that could have played in the time this beat earned is kept for the flush."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=settings.STUDY_TIME_TOKEN_MAX_AGE)
        # Tokens issued before videos were tracked have no lengths: their videos count nothing.
        token_user, token_step, course_id, view_id, *rest = payload
        lengths = [int(length) for length in (rest[0] if rest else [])]
    except signing.SignatureExpired as error:
        raise BeatRefused("expired") from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BeatRefused("invalid") from error
    if token_user != user_id or token_step != step_id:
        raise BeatRefused("invalid")
    interval = _interval_ms()
    verdict, credit = get_ledger().beat(
        user_id=user_id,
        view_id=view_id,
        seq=seq,
        fresh=fresh,
        field=entry_field(user_id=user_id, step_id=step_id, course_id=course_id),
        # Timers and networks jitter: a beat up to a fifth early is still on time, and one up to a
        # half late still counts; later than that the page was hidden or idle in between.
        min_gap_ms=interval * 4 // 5,
        cap_ms=interval * 3 // 2,
        view_ttl=settings.STUDY_TIME_TOKEN_MAX_AGE,
    )
    if verdict != "ok":
        raise BeatRefused(verdict)
    if video and credit > 0:
        accepted: dict[int, list] = {}
        for index, start, end in ranges_accept(
            video, lengths=lengths, budget_seconds=credit / 1000 * VIDEO_RATE_CAP
        ):
            accepted.setdefault(index, []).append((start, end))
        get_ledger().video_append(
            {
                video_field(user_id=user_id, step_id=step_id, course_id=course_id, index=index): ranges_encode(ranges)
                for index, ranges in accepted.items()
            }
        )
    return BeatResult(credited_ms=credit)


def study_time_flush() -> int:
    """Write the credit accumulated in the ledger to StudyTime rows; returns the entries written.
    Idempotent and exact: the batch is claimed under an id, written in one transaction together
    with a StudyTimeFlush row of that id (unique), and released after the commit. A flush that
    dies before the write leaves the batch claimed and the next flush writes it; one that dies
    after the write finds its StudyTimeFlush row next time and only releases the batch."""
    ledger = get_ledger()
    claimed = ledger.flush_claim()
    if claimed is None:
        return 0
    batch_id, items = claimed
    written = _flush_write(batch_id=batch_id, items=items)
    ledger.flush_release(batch_id)
    return written


def _flush_write(*, batch_id: str, items: dict[str, int]) -> int:
    """One batch into the rows, once. Two flushes of the same batch at once: the second waits on
    the unique batch id and then finds it written."""
    entries = {
        parse_field(field): ms
        for field, ms in items.items()
        if not is_video_field(field) and not is_view_field(field) and ms > 0
    }
    videos = {parse_video_field(field): text for field, text in items.items() if is_video_field(field) and text}
    views = {field[2:]: view_stats_decode(text) for field, text in items.items() if is_view_field(field) and text}
    with transaction.atomic():
        _flush, created = StudyTimeFlush.objects.get_or_create(batch_id=batch_id, defaults={"entries": len(entries)})
        if not created:
            return 0
        user_ids = {user_id for user_id, _step, _course in entries}
        step_ids = {step_id for _user, step_id, _course in entries}
        rows = {
            (row.user_id, row.step_id, row.course_id): row
            for row in StudyTime.objects.select_for_update()
            .filter(user_id__in=user_ids, step_id__in=step_ids)
            .order_by("pk")
        }
        changed, new, now = [], [], timezone.now()
        for (user_id, step_id, course_id), ms in sorted(entries.items()):
            row = rows.get((user_id, step_id, course_id))
            if row is None:
                new.append(StudyTime(user_id=user_id, step_id=step_id, course_id=course_id, active_ms=ms))
            else:
                row.active_ms += ms
                row.updated_at = now  # bulk_update does not apply auto_now
                changed.append(row)
        StudyTime.objects.bulk_update(changed, ["active_ms", "updated_at"], batch_size=1000)
        StudyTime.objects.bulk_create(new, batch_size=1000)
        if videos:
            _flush_videos(videos, now=now)
        if views:
            _flush_views(views)
        StudyTimeFlush.objects.filter(flushed_at__lt=timezone.now() - timedelta(days=FLUSH_KEEP_DAYS)).delete()
    return len(entries)


def _flush_videos(videos: dict[tuple[int, int, int, int], str], *, now) -> None:
    """Merge a batch's watched ranges into the VideoWatch rows (locked, in the flush's transaction)."""
    user_ids = {user_id for user_id, _step, _course, _index in videos}
    step_ids = {step_id for _user, step_id, _course, _index in videos}
    rows = {
        (row.user_id, row.step_id, row.course_id, row.video_index): row
        for row in VideoWatch.objects.select_for_update()
        .filter(user_id__in=user_ids, step_id__in=step_ids)
        .order_by("pk")
    }
    changed, new = [], []
    for key, text in sorted(videos.items()):
        row = rows.get(key)
        if row is None:
            row = VideoWatch(user_id=key[0], step_id=key[1], course_id=key[2], video_index=key[3])
            new.append(row)
        else:
            row.updated_at = now
            changed.append(row)
        merged = ranges_merge([*map(tuple, row.ranges), *ranges_decode(text)])
        row.ranges = [[start, end] for start, end in merged]
        row.watched_seconds = ranges_seconds(merged)
    VideoWatch.objects.bulk_update(changed, ["ranges", "watched_seconds", "updated_at"], batch_size=1000)
    VideoWatch.objects.bulk_create(new, batch_size=1000)


def _ms_datetime(ms: int):
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _flush_views(views: dict[str, tuple]) -> None:
    """Write a batch's page-view records (absolute, so a view spanning several batches ends with its
    latest record and a batch written twice changes nothing); a record older than the row is kept out."""
    rows = {row.view_id: row for row in PageView.objects.select_for_update().filter(view_id__in=list(views))}
    changed, new = [], []
    for view_id, (user_id, step_id, course_id, stats) in sorted(views.items()):
        values = {
            "started_at": _ms_datetime(stats.first_ms),
            "last_beat_at": _ms_datetime(stats.last_ms),
            "beats": stats.beats,
            "gaps": stats.gaps,
            "gap_sum_ms": stats.gap_sum_ms,
            "gap_sq_ms": stats.gap_sq_ms,
            "overlap_ms": stats.overlap_ms,
            "credited_ms": stats.credited_ms,
        }
        row = rows.get(view_id)
        if row is None:
            new.append(PageView(view_id=view_id, user_id=user_id, step_id=step_id, course_id=course_id, **values))
        elif stats.beats > row.beats:
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    PageView.objects.bulk_update(changed, list(PAGE_VIEW_FIELDS), batch_size=1000)
    PageView.objects.bulk_create(new, batch_size=1000)


PAGE_VIEW_FIELDS = (
    "started_at",
    "last_beat_at",
    "beats",
    "gaps",
    "gap_sum_ms",
    "gap_sq_ms",
    "overlap_ms",
    "credited_ms",
)


def step_minimum_seconds(*, text: str, video_seconds: int) -> int:
    """The minimum active time of a step whose content reads as `text` and plays `video_seconds`."""
    return minimum_seconds(
        text=text,
        video_seconds=video_seconds,
        zh_chars_per_minute=settings.STUDY_TIME_ZH_CHARS_PER_MINUTE,
        en_words_per_minute=settings.STUDY_TIME_EN_WORDS_PER_MINUTE,
    )


def study_time_enforced() -> bool:
    return settings.STUDY_TIME_MODE == "enforce"
