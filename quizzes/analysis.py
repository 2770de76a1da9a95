"""Item analysis of one quiz, as in Moodle's quiz statistics report, computed from plain rows.

Pure Python, standard library only, no Django: the caller reads the rows with one ``values_list``
query and passes them in; the view rounds the results for display (nothing is rounded here).

Input rows are ``(attempt_id, question_id, score, max_score)``, one per question of each graded
attempt (scores in marks; int, float or Decimal). An attempt's total is the sum of its rows, so a
question missing from an attempt simply does not count in that attempt.

Per question:
    facility index   mean of score / max_score over the attempts that have the question (0..1);
    sd_fraction      sample standard deviation (n - 1) of that fraction;
    discrimination   Pearson correlation between the item's score and the rest-of-test score
                     (attempt total minus this item) over those attempts, in -1..1; None when it is
                     undefined: fewer than 2 attempts, or either side has zero variance.

Per quiz: mean total score in marks, and mean / median / sample standard deviation of the
attempts' percentages (100 * total / total max). Standard deviations of fewer than 2 values are 0.0;
an empty input gives zeros and no questions.

Cost: one Python-level pass over the rows (a few dict and list operations each, no object per row)
to group scores by question and total them by attempt; everything after that runs on whole lists
through C-level builtins (map, math.fsum, min/max), so 200,000 rows take well under 0.3 s.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from math import fsum, sqrt
from operator import mul, sub
from statistics import median

__all__ = ["QuestionStats", "QuizStats", "analyse"]

_NOISE = 1e-9  # relative spread below which values count as equal


@dataclass(frozen=True, slots=True)
class QuestionStats:
    question_id: int
    attempts: int  # attempts that include this question
    mean_fraction: float  # facility index, 0..1
    sd_fraction: float
    discrimination_index: float | None  # -1..1; None when undefined
    choice_counts: dict[str, int] = field(default_factory=dict)  # chosen key -> number of answers


@dataclass(frozen=True, slots=True)
class QuizStats:
    attempts: int
    mean_score: float  # mean attempt total, in marks
    mean_percent: float
    median_percent: float
    sd_percent: float
    questions: list[QuestionStats] = field(default_factory=list)


def analyse(
    rows: Iterable[tuple[int, int, float, float]],
    *,
    choices: Iterable[tuple[int, str]] = (),
    question_order: Sequence[int] | None = None,
) -> QuizStats:
    """Statistics of one quiz from its graded answer rows.

    ``choices`` are ``(question_id, chosen key)`` rows, one per selected key per answer (for
    fill-in-the-blank the normalised text may serve as the key); counts of questions without score
    rows are ignored. ``question_order`` lists question ids in display order; questions it does not
    name follow in id order, and questions without score rows are left out. Each (attempt, question)
    pair must occur once: a repeated pair raises ValueError.
    """
    totals: dict[int, float] = {}  # attempt -> total score
    maxima: dict[int, float] = {}  # attempt -> total of max scores
    groups: dict[int, tuple[list[int], list[float], list[float]]] = {}  # question -> attempts, scores, maxes

    totals_get, maxima_get, groups_get = totals.get, maxima.get, groups.get
    for attempt, question, score, max_score in rows:
        score = float(score)
        max_score = float(max_score)
        totals[attempt] = totals_get(attempt, 0.0) + score
        maxima[attempt] = maxima_get(attempt, 0.0) + max_score
        group = groups_get(question)
        if group is None:
            group = groups[question] = ([], [], [])
        group[0].append(attempt)
        group[1].append(score)
        group[2].append(max_score)

    counts: dict[int, dict[str, int]] = {}
    for (question, key), count in Counter(choices).items():
        counts.setdefault(question, {})[key] = count

    questions = [
        _question_stats(question, *groups[question], totals, counts.get(question, {}))
        for question in _ordered(groups, question_order)
    ]

    n = len(totals)
    if n == 0:
        return QuizStats(0, 0.0, 0.0, 0.0, 0.0, questions)
    # Both dicts gained their keys in the same order (an attempt enters both on its first row).
    percents = [
        100.0 * total / maximum if maximum else 0.0
        for total, maximum in zip(totals.values(), maxima.values(), strict=True)
    ]
    return QuizStats(
        attempts=n,
        mean_score=fsum(totals.values()) / n,
        mean_percent=fsum(percents) / n,
        median_percent=float(median(percents)),
        sd_percent=_sample_sd(percents),
        questions=questions,
    )


def _ordered(groups: dict[int, object], question_order: Sequence[int] | None) -> list[int]:
    if not question_order:
        return sorted(groups)
    named = list(dict.fromkeys(q for q in question_order if q in groups))
    seen = set(named)
    return named + sorted(q for q in groups if q not in seen)


def _question_stats(
    question: int,
    attempts: list[int],
    scores: list[float],
    maxes: list[float],
    totals: dict[int, float],
    choice_counts: dict[str, int],
) -> QuestionStats:
    n = len(attempts)
    if len(set(attempts)) != n:
        raise ValueError(f"question {question} occurs more than once in an attempt")

    score_deviations, score_squares = _deviations(scores)
    maximum = maxes[0]
    if maximum > 0 and maxes.count(maximum) == n:
        # The usual case, one max score for the question: the fraction is the score scaled by 1 / max.
        mean_fraction = fsum(scores) / n / maximum
        sd_fraction = sqrt(score_squares / (n - 1)) / maximum if n > 1 else 0.0
    else:
        fractions = [score / top if top > 0 else 0.0 for score, top in zip(scores, maxes, strict=True)]
        mean_fraction = fsum(fractions) / n
        fraction_squares = _deviations(fractions)[1]
        sd_fraction = sqrt(fraction_squares / (n - 1)) if n > 1 else 0.0

    discrimination = None
    if n > 1 and score_squares > 0:
        rest = list(map(sub, map(totals.__getitem__, attempts), scores))  # rest-of-test score per attempt
        rest_deviations, rest_squares = _deviations(rest)
        if rest_squares > 0:
            r = fsum(map(mul, score_deviations, rest_deviations)) / sqrt(score_squares * rest_squares)
            discrimination = max(-1.0, min(1.0, r))

    return QuestionStats(
        question_id=question,
        attempts=n,
        mean_fraction=mean_fraction,
        sd_fraction=sd_fraction,
        discrimination_index=discrimination,
        choice_counts=choice_counts,
    )


def _deviations(values: list[float]) -> tuple[list[float], float]:
    """Deviations from the mean and their sum of squares, which is exactly 0.0 for constant values.

    Centring first avoids the cancellation of sum(x²) - sum(x)²/n. Values count as constant when
    their spread is within float noise (scores are stored to 4 decimal places, so any real spread is
    at least 1e-4): a rest-of-test score of total - item can come out as 0.2 in one attempt and
    0.20000000000000004 in another, and a correlation of that noise would be meaningless."""
    n = len(values)
    low, high = min(values), max(values)
    if high - low <= _NOISE * max(1.0, -low, high):
        return [0.0] * n, 0.0
    mean = fsum(values) / n
    deviations = list(map(sub, values, repeat(mean, n)))
    return deviations, fsum(map(mul, deviations, deviations))


def _sample_sd(values: list[float]) -> float:
    n = len(values)
    return sqrt(_deviations(values)[1] / (n - 1)) if n > 1 else 0.0
