from decimal import Decimal

import pytest

from hours.rules import course_completion_hours, final_exam_bonus, hours_from_length, make_rules, target_percent

BANDS = [(30, "1"), (15, "0.5"), (0, "0.25")]
RULES = make_rules(annual_target=50, length_bands=BANDS, final_quiz_bonus="0.5", use_course_value=True)
BANDS_ONLY = make_rules(annual_target=50, length_bands=BANDS, final_quiz_bonus="0.5", use_course_value=False)


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(0, "0.25"), (1, "0.25"), (14, "0.25"), (15, "0.5"), (29, "0.5"), (30, "1"), (240, "1")],
)
def test_length_bands_give_the_hours_of_the_highest_band_reached(minutes, hours):
    assert hours_from_length(minutes, RULES.length_bands) == Decimal(hours)


def test_bands_in_any_order_and_no_band_reached_gives_zero():
    bands = make_rules(
        annual_target=50, length_bands=[(15, "0.5"), (45, "2")], final_quiz_bonus=0, use_course_value=False
    )
    assert hours_from_length(50, bands.length_bands) == Decimal("2")
    assert hours_from_length(20, bands.length_bands) == Decimal("0.5")
    assert hours_from_length(10, bands.length_bands) == Decimal("0")


@pytest.mark.parametrize(
    ("rules", "credit_hours", "minutes", "hours"),
    [
        (RULES, "2.5", 10, "2.5"),  # the trainer's value wins
        (RULES, "0", 45, "1"),  # no value: the band of the length
        (RULES, "0", 20, "0.5"),
        (RULES, None, 5, "0.25"),
        (BANDS_ONLY, "2.5", 10, "0.25"),  # the city ignores course values
        (BANDS_ONLY, "2.5", 30, "1"),
    ],
)
def test_course_completion_hours_from_course_value_or_bands(rules, credit_hours, minutes, hours):
    assert course_completion_hours(credit_hours=credit_hours, estimated_minutes=minutes, rules=rules) == Decimal(hours)


@pytest.mark.parametrize(("passed", "bonus", "hours"), [(True, "0.5", "0.5"), (False, "0.5", "0"), (True, "1", "1")])
def test_final_exam_bonus_only_for_a_pass(passed, bonus, hours):
    rules = make_rules(annual_target=50, length_bands=BANDS, final_quiz_bonus=bonus, use_course_value=True)
    assert final_exam_bonus(passed=passed, rules=rules) == Decimal(hours)


@pytest.mark.parametrize(
    ("total", "target", "percent"),
    [("0", "50", 0), ("25", "50", 50), ("49.99", "50", 99), ("60", "50", 100), ("1", "0", 100)],
)
def test_target_percent(total, target, percent):
    assert target_percent(Decimal(total), Decimal(target)) == percent
