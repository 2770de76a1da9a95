"""When reminders fire: pure functions over dates, no ORM.

An offset is a number of days before the due date (7 = a week before, 0 = on the day, -3 = three
days after). Offset `o` of a cycle due on `due_on` fires on `due_on - o`."""

import datetime
from collections.abc import Iterable


def reminder_offset(
    *, due_on: datetime.date, today: datetime.date, offsets: Iterable[int], catch_up_days: int
) -> int | None:
    """The reminder to send today for a cycle due on `due_on`, or None.

    A reminder whose day is today fires. One whose day passed at most `catch_up_days` ago still
    fires (the daily run was missed: beat down, a deploy), but when several are due only the
    latest counts, and older ones are dropped: a person never gets a burst of stale reminders,
    and a cycle created after its reminder days gets none of them."""
    days_left = (due_on - today).days
    due = [offset for offset in offsets if 0 <= offset - days_left <= catch_up_days]
    return min(due) if due else None


def reminder_due_dates(*, today: datetime.date, offsets: Iterable[int], catch_up_days: int) -> set[datetime.date]:
    """The due dates for which some reminder may fire today: what the daily run reads."""
    return {today + datetime.timedelta(days=offset - late) for offset in offsets for late in range(catch_up_days + 1)}


def reminder_key(*, learner_assignment_id: int, offset: int) -> str:
    return f"reminder:{learner_assignment_id}:{offset}"


def digest_key(*, head_id: int, today: datetime.date) -> str:
    """One digest per head and ISO week, whatever day of the week the job runs."""
    year, week, _weekday = today.isocalendar()
    return f"digest:{head_id}:{year}-W{week:02d}"


def offline_decision_key(*, declaration_id: int) -> str:
    """A declaration is decided once: one notification, however often the decision is announced."""
    return f"offline:{declaration_id}"


def path_in_subtree(*, path: str | None, root_path: str) -> bool:
    """A unit is in a head's subtree when its materialised path starts with the head's."""
    return bool(path) and path.startswith(root_path)
