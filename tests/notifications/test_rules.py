"""The reminder and digest arithmetic, table by table."""

import datetime

import pytest

from notifications import rules

D = datetime.date
DUE = D(2026, 3, 20)
OFFSETS = [7, 1, 0, -3, -7]


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (8, None),  # the day before the first reminder
        (7, 7),
        (6, 7),  # yesterday's run was missed: made up today
        (5, None),  # two days late: dropped
        (2, None),
        (1, 1),
        (0, 0),
        (-1, 0),  # made up
        (-2, None),
        (-3, -3),
        (-4, -3),  # made up
        (-5, None),
        (-6, None),
        (-7, -7),
        (-8, -7),  # made up
        (-9, None),
        (-60, None),
    ],
)
def test_which_reminder_is_due_on_each_day(days_left, expected):
    today = DUE - datetime.timedelta(days=days_left)
    assert rules.reminder_offset(due_on=DUE, today=today, offsets=OFFSETS, catch_up_days=1) == expected


@pytest.mark.parametrize(("days_left", "expected"), [(8, None), (7, 7), (6, None), (1, 1), (0, 0), (-1, None)])
def test_without_catch_up_only_the_exact_day_fires(days_left, expected):
    today = DUE - datetime.timedelta(days=days_left)
    assert rules.reminder_offset(due_on=DUE, today=today, offsets=OFFSETS, catch_up_days=0) == expected


def test_of_two_reminders_due_only_the_latest_is_sent():
    # The day-before reminder was missed; on the due date only "due today" goes out.
    assert rules.reminder_offset(due_on=DUE, today=DUE, offsets=OFFSETS, catch_up_days=3) == 0


@pytest.mark.parametrize("catch_up", [0, 1, 2])
def test_the_dates_read_are_exactly_those_with_a_reminder_due(catch_up):
    today = D(2026, 3, 10)
    dates = rules.reminder_due_dates(today=today, offsets=OFFSETS, catch_up_days=catch_up)
    for shift in range(-40, 41):
        due_on = today + datetime.timedelta(days=shift)
        due = rules.reminder_offset(due_on=due_on, today=today, offsets=OFFSETS, catch_up_days=catch_up)
        assert (due is not None) == (due_on in dates), due_on


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (D(2026, 3, 9), "digest:5:2026-W11"),  # Monday
        (D(2026, 3, 15), "digest:5:2026-W11"),  # Sunday of the same week
        (D(2026, 3, 16), "digest:5:2026-W12"),
        (D(2027, 1, 1), "digest:5:2026-W53"),  # ISO year, not calendar year
        (D(2027, 1, 4), "digest:5:2027-W01"),
    ],
)
def test_one_digest_key_per_iso_week(day, key):
    assert rules.digest_key(head_id=5, today=day) == key


def test_subtree_is_a_path_prefix():
    assert rules.path_in_subtree(path="00010002", root_path="0001")
    assert rules.path_in_subtree(path="0001", root_path="0001")
    assert not rules.path_in_subtree(path="0002", root_path="0001")
    assert not rules.path_in_subtree(path=None, root_path="0001")
