"""The credit-hour arithmetic: pure functions over plain values, no ORM and no settings.

Cities set their own rules (README, domain notes), so every figure comes in as an argument;
hours.services reads them from the settings (HOURS_*) and passes them here."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class HourRules:
    annual_target: Decimal
    # (minimum minutes, hours), highest threshold first after normalising: a course of at least
    # that many minutes earns those hours.
    length_bands: tuple[tuple[int, Decimal], ...]
    final_quiz_bonus: Decimal
    use_course_value: bool


def make_rules(
    *, annual_target, length_bands: Iterable[Sequence], final_quiz_bonus, use_course_value: bool
) -> HourRules:
    bands = tuple(sorted(((int(minutes), Decimal(str(hours))) for minutes, hours in length_bands), reverse=True))
    return HourRules(
        annual_target=Decimal(str(annual_target)),
        length_bands=bands,
        final_quiz_bonus=Decimal(str(final_quiz_bonus)),
        use_course_value=bool(use_course_value),
    )


def hours_from_length(minutes: int, bands: Sequence[tuple[int, Decimal]]) -> Decimal:
    """The hours of the first band whose threshold the length reaches (bands sorted high to low);
    no band reached gives 0."""
    for threshold, hours in sorted(bands, reverse=True):
        if minutes >= threshold:
            return Decimal(hours).quantize(TWO_PLACES)
    return ZERO.quantize(TWO_PLACES)


def course_completion_hours(*, credit_hours, estimated_minutes: int, rules: HourRules) -> Decimal:
    """The course's own value when the rules use it and the trainer set one above 0, else the band
    of its estimated length."""
    value = Decimal(str(credit_hours or 0))
    if rules.use_course_value and value > 0:
        return value.quantize(TWO_PLACES)
    return hours_from_length(int(estimated_minutes or 0), rules.length_bands)


def final_exam_bonus(*, passed: bool, rules: HourRules) -> Decimal:
    return rules.final_quiz_bonus.quantize(TWO_PLACES) if passed else ZERO.quantize(TWO_PLACES)


def target_percent(total: Decimal, target: Decimal) -> int:
    """How much of the target is reached, 0-100 (for the progress bar)."""
    if target <= 0:
        return 100
    return int(min(Decimal(100), (Decimal(total) * 100 / target)).to_integral_value(rounding="ROUND_FLOOR"))


# Whether a course completion's hours are earned at once or wait for the head's review.
EARNED = "earned"
PENDING = "pending"


def verified_time_review(*, active_seconds: int, expected_seconds: int, share: float) -> str:
    """EARNED when the verified active time reaches `share` of the expected time (or the rule is
    off: share 0, or no expected time), PENDING otherwise: the learner's head decides."""
    if share <= 0 or expected_seconds <= 0:
        return EARNED
    return EARNED if active_seconds >= math.ceil(expected_seconds * share) else PENDING


def sittings(moments: Sequence, *, window_seconds: int, at_least: int) -> list[list]:
    """Runs of at least `at_least` moments (sorted datetimes of one person's course completions)
    each within window_seconds of the run's first: many courses finished in one sitting."""
    found, run = [], []
    for moment in sorted(moments):
        if run and (moment - run[0]).total_seconds() > window_seconds:
            if len(run) >= at_least:
                found.append(run)
            run = []
        run.append(moment)
    if len(run) >= at_least:
        found.append(run)
    return found
