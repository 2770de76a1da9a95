"""The pure arithmetic of required learning, table-tested."""

import datetime

import pytest

from assignments import rules

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("科员, 科长", ["科员", "科长"]),
        ("科员，科长、科员", ["科员", "科长"]),
        (" Clerk ,clerk, Head  of  Section ", ["Clerk", "Head of Section"]),
    ],
)
def test_parse_positions(text, expected):
    assert rules.parse_positions(text) == expected


@pytest.mark.parametrize(
    ("person_path", "position", "department_path", "positions", "matches"),
    [
        ("00010001", "科员", "00010001", [], True),  # the unit itself
        ("000100010002", "科员", "00010001", [], True),  # a section under it
        ("00010002", "科员", "00010001", [], False),  # a sibling
        ("0001", "科员", "00010001", [], False),  # the parent
        (None, "科员", "00010001", [], False),  # nobody's department
        ("000100010002", "科员", "00010001", ["科长", "科员"], True),
        ("000100010002", "科长", "00010001", ["科员"], False),
        ("00010001", " clerk ", "00010001", ["Clerk"], True),
        ("00010001", "", "00010001", ["科员"], False),
    ],
)
def test_person_matches_subtree_and_position(person_path, position, department_path, positions, matches):
    assert (
        rules.person_matches(
            person_department_path=person_path,
            person_position=position,
            department_path=department_path,
            positions=positions,
        )
        is matches
    )


@pytest.mark.parametrize(
    ("assigned_on", "due_date", "due_days", "repeat", "expected"),
    [
        (D(2026, 3, 1), D(2026, 6, 30), None, False, D(2026, 6, 30)),
        (D(2026, 8, 1), D(2026, 6, 30), None, False, D(2026, 6, 30)),  # late arrival: already overdue
        (D(2026, 8, 1), D(2026, 6, 30), None, True, D(2027, 6, 30)),  # yearly: next year's date
        (D(2026, 6, 30), D(2026, 6, 30), None, True, D(2026, 6, 30)),
        (D(2026, 3, 1), None, 30, False, D(2026, 3, 31)),  # N days after being assigned
        (D(2026, 12, 15), None, 30, True, D(2027, 1, 14)),
    ],
)
def test_first_due_date(assigned_on, due_date, due_days, repeat, expected):
    assert (
        rules.first_due_date(assigned_on=assigned_on, due_date=due_date, due_days=due_days, repeat_yearly=repeat)
        == expected
    )


def test_a_due_rule_is_required():
    with pytest.raises(ValueError):
        rules.first_due_date(assigned_on=D(2026, 1, 1), due_date=None, due_days=None, repeat_yearly=False)


@pytest.mark.parametrize(
    ("due_on", "cycle", "expected"),
    [
        (D(2026, 6, 30), 2026, (D(2027, 6, 30), 2027)),
        (D(2028, 2, 29), 2028, (D(2029, 2, 28), 2029)),
    ],
)
def test_next_cycle_is_the_same_day_next_year(due_on, cycle, expected):
    assert rules.next_cycle(due_on=due_on, cycle_year=cycle) == expected


@pytest.mark.parametrize(
    ("repeat", "latest_due", "today", "expected"),
    [
        (True, D(2026, 6, 30), D(2026, 6, 30), False),  # due today: still this cycle
        (True, D(2026, 6, 30), D(2026, 7, 1), True),
        (False, D(2026, 6, 30), D(2026, 7, 1), False),
    ],
)
def test_needs_roll_over(repeat, latest_due, today, expected):
    assert rules.needs_roll_over(repeat_yearly=repeat, latest_due_on=latest_due, today=today) is expected


@pytest.mark.parametrize(
    ("completed_on", "dues", "expected"),
    [
        (D(2026, 1, 5), [(2026, D(2026, 6, 30))], 2026),  # before the first due date
        (D(2026, 8, 1), [(2026, D(2026, 6, 30))], 2026),  # late, no later cycle yet
        (D(2026, 8, 1), [(2026, D(2026, 6, 30)), (2027, D(2027, 6, 30))], 2027),  # falls in the next
        (D(2026, 6, 30), [(2026, D(2026, 6, 30)), (2027, D(2027, 6, 30))], 2026),  # on the day
        (D(2026, 6, 30), [], None),
    ],
)
def test_a_completion_counts_for_the_cycle_it_falls_in(completed_on, dues, expected):
    assert rules.cycle_for_completion(completed_on=completed_on, dues=dues) == expected


@pytest.mark.parametrize(
    ("completed_on", "previous_due", "expected"),
    [(D(2026, 1, 1), None, True), (D(2026, 7, 1), D(2026, 6, 30), True), (D(2026, 6, 30), D(2026, 6, 30), False)],
)
def test_completion_counts(completed_on, previous_due, expected):
    assert rules.completion_counts(completed_on=completed_on, previous_due_on=previous_due) is expected
