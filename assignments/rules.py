"""The required-learning arithmetic: pure functions over plain values, no ORM.

Who matches an assignment (department subtree, positions), the due date of a person, and the
yearly repeat. assignments.services reads the rows and passes the values here."""

import datetime
import re
from collections.abc import Iterable

POSITION_SEPARATORS = re.compile(r"[,，、;；]")


def parse_positions(text: str) -> list[str]:
    """The positions an assignment names ("科员, 科长"); empty means every position."""
    seen: list[str] = []
    for part in POSITION_SEPARATORS.split(text or ""):
        cleaned = " ".join(part.split())
        if cleaned and cleaned.casefold() not in {p.casefold() for p in seen}:
            seen.append(cleaned)
    return seen


def position_matches(person_position: str, positions: Iterable[str]) -> bool:
    wanted = {" ".join(p.split()).casefold() for p in positions}
    return not wanted or " ".join((person_position or "").split()).casefold() in wanted


def person_matches(
    *, person_department_path: str | None, person_position: str, department_path: str, positions: Iterable[str]
) -> bool:
    """True when the person's unit is the assignment's unit or under it, and their position is
    one of the positions (or the assignment names none)."""
    if not person_department_path or not person_department_path.startswith(department_path):
        return False
    return position_matches(person_position, positions)


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same month and day `years` later; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_due_date(
    *,
    assigned_on: datetime.date,
    due_date: datetime.date | None,
    due_days: int | None,
    repeat_yearly: bool,
) -> datetime.date:
    """The due date of a person's first cycle. A fixed date stays as it is, except that a yearly
    assignment gives someone who arrives after this year's date the next year's date. Otherwise
    the person has `due_days` days from the day they were assigned (or joined)."""
    if due_date is not None:
        if not repeat_yearly:
            return due_date
        years = 0
        while shift_years(due_date, years) < assigned_on:
            years += 1
        return shift_years(due_date, years)
    if due_days is None:
        raise ValueError("an assignment has either a due date or a number of days")
    return assigned_on + datetime.timedelta(days=due_days)


def next_cycle(*, due_on: datetime.date, cycle_year: int) -> tuple[datetime.date, int]:
    """The following cycle of a yearly assignment: the same month and day next year."""
    return shift_years(due_on, 1), cycle_year + 1


def needs_roll_over(*, repeat_yearly: bool, latest_due_on: datetime.date, today: datetime.date) -> bool:
    """A yearly assignment opens its next cycle the day after the latest cycle's due date."""
    return repeat_yearly and latest_due_on < today


def completion_counts(*, completed_on: datetime.date, previous_due_on: datetime.date | None) -> bool:
    """A completion counts for a cycle when it falls in it: after the previous cycle's due date
    (any time for a first cycle). A late completion still counts for the open cycle."""
    return previous_due_on is None or completed_on > previous_due_on


def cycle_for_completion(*, completed_on: datetime.date, dues: list[tuple[int, datetime.date]]) -> int | None:
    """The cycle (year) a completion falls in, given the person's cycles as (year, due date)
    in order: the first whose due date it does not pass; after the last due date, the last
    cycle (a late completion). None when there is no cycle."""
    for year, due_on in dues:
        if completed_on <= due_on:
            return year
    return dues[-1][0] if dues else None


def is_overdue(*, due_on: datetime.date, completed: bool, today: datetime.date) -> bool:
    return not completed and due_on < today
