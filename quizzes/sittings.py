"""The exam policy's rule for starting an attempt: the regular sitting inside its window, or a
make-up sitting (补考) after a fail, inside its own window and with its own count. Pure: plain
data in, a decision out; quizzes.services.attempt_start asks it under the attempt's locks and
quizzes.selectors asks it to draw the step page's button, so the page and the server agree."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Refusal(StrEnum):
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    ATTEMPTS_USED = "attempts_used"
    PASSED = "passed"  # only a make-up sitting could be left, and it is for those who failed
    MAKEUP_NOT_OPEN_YET = "makeup_not_open_yet"
    MAKEUP_CLOSED = "makeup_closed"
    MAKEUP_ATTEMPTS_USED = "makeup_attempts_used"
    NOT_PUBLISHED = "not_published"  # the quiz was never published, or was taken offline (not sitting_for's)


@dataclass(frozen=True)
class ExamWindows:
    opens_at: datetime | None
    closes_at: datetime | None
    attempts_allowed: int  # 0: unlimited
    makeup_opens_at: datetime | None
    makeup_closes_at: datetime | None
    makeup_attempts: int  # 0: no make-up sitting


@dataclass(frozen=True)
class LearnerRecord:
    regular_taken: int  # regular attempts started (open or graded)
    makeup_taken: int
    failed: bool  # at least one graded attempt, none passed
    passed: bool


@dataclass(frozen=True)
class Sitting:
    """May the learner start an attempt now, and which kind; or why not. `closes_at` caps the
    attempt's deadline (an attempt never outlives its window); `opens_at` is for the refusal."""

    makeup: bool = False
    refusal: Refusal | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def _regular(windows: ExamWindows, record: LearnerRecord, now: datetime) -> Sitting:
    if windows.opens_at is not None and now < windows.opens_at:
        return Sitting(refusal=Refusal.NOT_OPEN_YET, opens_at=windows.opens_at)
    if windows.closes_at is not None and now >= windows.closes_at:
        return Sitting(refusal=Refusal.CLOSED, closes_at=windows.closes_at)
    if windows.attempts_allowed and record.regular_taken >= windows.attempts_allowed:
        return Sitting(refusal=Refusal.ATTEMPTS_USED)
    return Sitting(closes_at=windows.closes_at)


def sitting_for(windows: ExamWindows, record: LearnerRecord, now: datetime) -> Sitting:
    """The regular sitting when it is open and has attempts left; otherwise a make-up sitting if
    the quiz has one, the learner failed (a graded attempt, no pass), and the make-up window is
    open with attempts left. A refusal names the first rule that stops the learner."""
    regular = _regular(windows, record, now)
    if regular.allowed or regular.refusal == Refusal.NOT_OPEN_YET or not windows.makeup_attempts:
        return regular
    if record.passed:
        return Sitting(refusal=Refusal.PASSED) if regular.refusal == Refusal.ATTEMPTS_USED else regular
    if not record.failed:
        return regular  # no fail yet (never sat, or an attempt still open): nothing to make up
    if windows.makeup_opens_at is not None and now < windows.makeup_opens_at:
        return Sitting(makeup=True, refusal=Refusal.MAKEUP_NOT_OPEN_YET, opens_at=windows.makeup_opens_at)
    if windows.makeup_closes_at is not None and now >= windows.makeup_closes_at:
        return Sitting(makeup=True, refusal=Refusal.MAKEUP_CLOSED, closes_at=windows.makeup_closes_at)
    if record.makeup_taken >= windows.makeup_attempts:
        return Sitting(makeup=True, refusal=Refusal.MAKEUP_ATTEMPTS_USED)
    return Sitting(makeup=True, closes_at=windows.makeup_closes_at)


def attempt_deadline(*, started_at: datetime, time_limit: object, closes_at: datetime | None) -> datetime | None:
    """The earlier of the time limit's end (`time_limit` a timedelta or None) and the window's close."""
    ends = [moment for moment in (started_at + time_limit if time_limit else None, closes_at) if moment is not None]
    return min(ends) if ends else None
