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
    credit = 0
    if view is not None and not fresh and now_ms - view.last_ms <= cap_ms:
        start = max(user_last_ms or 0, view.last_ms)
        credit = max(0, now_ms - start)
    return BeatOutcome("ok", credit, ViewState(seq, now_ms), now_ms if credit > 0 else None)
