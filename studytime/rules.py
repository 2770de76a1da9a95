"""Study-time rules as pure functions (no Django): the minimum a step's content asks for, and
what one heartbeat earns. studytime.ledger runs the beat rule in Redis (a Lua copy of
beat_apply, kept in step by tests/studytime/test_ledger.py) or over Django's cache."""

import math
import re
from dataclasses import dataclass

# Han ideographs (the CJK blocks a lesson uses), counted one by one; Chinese has no spaces.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# An English word: letters or digits, with inner apostrophes or hyphens ("don't", "e-government").
WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def reading_seconds(text: str, *, zh_chars_per_minute: int, en_words_per_minute: int) -> float:
    """Seconds to read the text: its Chinese characters and its English words at their own speeds."""
    han = len(HAN.findall(text))
    words = len(WORD.findall(HAN.sub(" ", text)))
    return han * 60 / zh_chars_per_minute + words * 60 / en_words_per_minute


def minimum_seconds(
    *, text: str, video_seconds: int, zh_chars_per_minute: int, en_words_per_minute: int
) -> int:
    """The least active time a step needs: reading its text plus playing its videos, whole seconds."""
    reading = reading_seconds(text, zh_chars_per_minute=zh_chars_per_minute, en_words_per_minute=en_words_per_minute)
    return math.ceil(reading) + max(0, video_seconds)


@dataclass(frozen=True)
class ViewState:
    """What the ledger keeps per page view: the last accepted sequence number and its instant."""

    seq: int
    last_ms: int


@dataclass(frozen=True)
class BeatOutcome:
    verdict: str  # "ok", "replay" (sequence not above the last), "early" (faster than the interval)
    credit_ms: int
    view: ViewState | None  # the page view's new state; None when refused (nothing changes)
    user_last_ms: int | None  # the person's new last credited instant; None when unchanged
    # The gap since the view's last beat when it counts as a steady beat (in time, not fresh), else None.
    gap_ms: int | None = None
    # The part of that gap another page view of the person already earned: both were active at once.
    overlap_ms: int = 0


def beat_apply(
    *,
    now_ms: int,
    seq: int,
    fresh: bool,
    view: ViewState | None,
    user_last_ms: int | None,
    min_gap_ms: int,
    cap_ms: int,
) -> BeatOutcome:
    """One heartbeat of one page view. It earns the time since the later of the person's last
    credited instant (any tab, any device) and this view's previous beat, and only when that beat
    was at most cap_ms ago: a view that went quiet (hidden, idle, asleep) earns nothing for the gap,
    nor does the first beat of a view or one marked fresh (the page was hidden or idle before it).
    Credited spans never overlap, so two tabs earn no more than one and no one earns more than the
    wall-clock time. A replayed or out-of-order sequence number, or a beat sooner than min_gap_ms
    after the view's last, is refused and changes nothing."""
    if view is not None and seq <= view.seq:
        return BeatOutcome("replay", 0, None, None)
    if view is not None and now_ms - view.last_ms < min_gap_ms:
        return BeatOutcome("early", 0, None, None)
    credit, gap = 0, None
    if view is not None and not fresh and now_ms - view.last_ms <= cap_ms:
        start = max(user_last_ms or 0, view.last_ms)
        credit = max(0, now_ms - start)
        gap = now_ms - view.last_ms
    overlap = gap - credit if gap is not None else 0
    return BeatOutcome("ok", credit, ViewState(seq, now_ms), now_ms if credit > 0 else None, gap, overlap)


# A page view's record, kept by the ledger and written by the flush (studytime.PageView). -------


@dataclass(frozen=True)
class ViewStats:
    """One page view's accepted beats: its first and last instants, how many beats, the steady gaps
    between them (count, sum, sum of squares: their spread tells a script from a person), the time
    it was active while another view of the person earned (overlap) and the time it earned."""

    first_ms: int
    last_ms: int
    beats: int = 1
    gaps: int = 0
    gap_sum_ms: int = 0
    gap_sq_ms: int = 0
    overlap_ms: int = 0
    credited_ms: int = 0


def view_stats_apply(stats: ViewStats | None, outcome: BeatOutcome, *, now_ms: int) -> ViewStats | None:
    """A view's record after one beat (unchanged when the beat was refused)."""
    if outcome.verdict != "ok":
        return stats
    if stats is None:
        stats = ViewStats(first_ms=now_ms, last_ms=now_ms, beats=0)
    gap = outcome.gap_ms
    return ViewStats(
        first_ms=stats.first_ms,
        last_ms=now_ms,
        beats=stats.beats + 1,
        gaps=stats.gaps + (gap is not None),
        gap_sum_ms=stats.gap_sum_ms + (gap or 0),
        gap_sq_ms=stats.gap_sq_ms + (gap or 0) ** 2,
        overlap_ms=stats.overlap_ms + outcome.overlap_ms,
        credited_ms=stats.credited_ms + outcome.credit_ms,
    )


def view_stats_encode(field: str, stats: ViewStats) -> str:
    """"user:step:course:first:last:beats:gaps:sum:squares:overlap:credited", the ledger's form."""
    numbers = (
        stats.first_ms,
        stats.last_ms,
        stats.beats,
        stats.gaps,
        stats.gap_sum_ms,
        stats.gap_sq_ms,
        stats.overlap_ms,
        stats.credited_ms,
    )
    return field + ":" + ":".join(str(number) for number in numbers)


def view_stats_decode(text: str) -> tuple[int, int, int, ViewStats]:
    """(user id, step id, course id, stats) from view_stats_encode's form."""
    user_id, step_id, course_id, *numbers = (int(part) for part in text.split(":"))
    return user_id, step_id, course_id, ViewStats(*numbers)


def gap_spread_ms(*, gaps: int, gap_sum_ms: int, gap_sq_ms: int) -> float | None:
    """The standard deviation of the gaps between steady beats (None without two gaps): a browser's
    timer with its jitter spreads by seconds, a script's sleep loop by a few milliseconds."""
    if gaps < 2:
        return None
    # Exact in integers: n·Σg² − (Σg)² is n² times the variance.
    return math.sqrt(max(0, gaps * gap_sq_ms - gap_sum_ms * gap_sum_ms)) / gaps


def is_machine_regular(*, gaps: int, gap_sum_ms: int, gap_sq_ms: int, min_gaps: int, max_spread_ms: float) -> bool:
    """Many steady beats whose gaps hardly vary."""
    spread = gap_spread_ms(gaps=gaps, gap_sum_ms=gap_sum_ms, gap_sq_ms=gap_sq_ms)
    return gaps >= min_gaps and spread is not None and spread < max_spread_ms


# Watched ranges of a video: (start, end) seconds of its timeline. -----------------------------


def ranges_merge(ranges) -> list[tuple[float, float]]:
    """Sorted, overlapping or touching ranges joined; empty ones dropped."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in ranges if float(e) > float(s)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def ranges_seconds(ranges, *, length: float | None = None) -> int:
    """Whole seconds covered by the ranges (clipped to the video's length when known)."""
    total = 0.0
    for start, end in ranges_merge(ranges):
        if length is not None:
            start, end = max(0.0, start), min(float(length), end)
        total += max(0.0, end - start)
    return int(total + 1e-9)


def ranges_accept(ranges, *, lengths: list[int], budget_seconds: float) -> list[tuple[int, float, float]]:
    """The part of a beat's played ranges the server believes: each (video index, start, end) is
    clipped to a video the page has (index below len(lengths), within its length when known), and
    together they cover at most budget_seconds (the wall-clock time the beat earned times the
    highest playback rate allowed): a page cannot claim more video than could have played since
    its last beat. What goes over the budget is dropped, in the order sent."""
    accepted = []
    left = max(0.0, float(budget_seconds))
    for index, start, end in ranges:
        if left <= 0:
            break
        if not (isinstance(index, int) and 0 <= index < len(lengths)):
            continue
        start, end = max(0.0, float(start)), float(end)
        if lengths[index] > 0:
            end = min(end, float(lengths[index]))
        if end <= start:
            continue
        end = min(end, start + left)
        left -= end - start
        accepted.append((index, round(start, 1), round(end, 1)))
    return accepted


def ranges_encode(ranges) -> str:
    """A compact text form kept in the ledger until the flush: "s-e;s-e;"."""
    return "".join(f"{start:g}-{end:g};" for start, end in ranges)


def ranges_decode(text: str) -> list[tuple[float, float]]:
    pairs = []
    for part in (text or "").split(";"):
        if part:
            start, _sep, end = part.partition("-")
            pairs.append((float(start), float(end)))
    return pairs
