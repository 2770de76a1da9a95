import random
import statistics
from decimal import Decimal

import pytest

from quizzes.analysis import QuestionStats, QuizStats, analyse

# Five attempts of a three-question quiz, worked out by hand.
#
#   attempt   Q1 (max 1)   Q2 (max 2)   Q3 (max 1)   total (of 4)   percent
#   1         1            2            1            4              100
#   2         1            1            0            2               50
#   3         1            2            1            4              100
#   4         0            0            1            1               25
#   5         0            1            0            1               25
#
# Quiz: mean score 12 / 5 = 2.4; mean percent 300 / 5 = 60; median percent 50.
#   Deviations of the percents 40, -10, 40, -35, -35; squares 1600 + 100 + 1600 + 1225 + 1225 = 5750;
#   sample SD = sqrt(5750 / 4) = sqrt(1437.5) = 37.9144.
#
# Facility (mean fraction) and sample SD of the fraction:
#   Q1 fractions 1, 1, 1, 0, 0: mean 0.6; deviations .4 .4 .4 -.6 -.6, squares sum 1.2; SD sqrt(1.2 / 4) = 0.5477
#   Q2 fractions 1, .5, 1, 0, .5: mean 0.6; deviations .4 -.1 .4 -.6 -.1, squares sum 0.70; SD sqrt(.175) = 0.4183
#   Q3 fractions 1, 0, 1, 1, 0: mean 0.6; SD 0.5477 as for Q1
#
# Discrimination: Pearson r between the item score x and the rest-of-test score y = total - x.
#   Q1: x = 1 1 1 0 0 (mean .6), y = 3 1 3 1 1 (mean 1.8)
#       dx = .4 .4 .4 -.6 -.6, dy = 1.2 -.8 1.2 -.8 -.8
#       Sxy = .48 - .32 + .48 + .48 + .48 = 1.6; Sxx = 1.2; Syy = 1.44 + .64 + 1.44 + .64 + .64 = 4.8
#       r = 1.6 / sqrt(1.2 * 4.8) = 1.6 / 2.4 = 0.6667
#   Q2: x = 2 1 2 0 1 (mean 1.2), y = 2 1 2 1 0 (mean 1.2)
#       dx = .8 -.2 .8 -1.2 -.2, dy = .8 -.2 .8 -.2 -1.2
#       Sxy = .64 + .04 + .64 + .24 + .24 = 1.8; Sxx = Syy = .64 + .04 + .64 + 1.44 + .04 = 2.8
#       r = 1.8 / 2.8 = 0.6429
#   Q3: x = 1 0 1 1 0 (mean .6), y = 3 2 3 0 1 (mean 1.8)
#       dx = .4 -.6 .4 .4 -.6, dy = 1.2 .2 1.2 -1.8 -.8
#       Sxy = .48 - .12 + .48 - .72 + .48 = 0.6; Sxx = 1.2; Syy = 1.44 + .04 + 1.44 + 3.24 + .64 = 6.8
#       r = 0.6 / sqrt(1.2 * 6.8) = 0.6 / 2.8566 = 0.2100
SCORES = {  # attempt -> (Q1, Q2, Q3)
    1: (1, 2, 1),
    2: (1, 1, 0),
    3: (1, 2, 1),
    4: (0, 0, 1),
    5: (0, 1, 0),
}
MAX = {101: 1, 102: 2, 103: 1}
HAND_ROWS = [
    (attempt, question, float(score), float(MAX[question]))
    for attempt, scores in SCORES.items()
    for question, score in zip(MAX, scores, strict=True)
]


@pytest.fixture
def hand_stats():
    return analyse(HAND_ROWS)


def test_the_quiz_figures_match_the_hand_computation(hand_stats):
    assert hand_stats.attempts == 5
    assert hand_stats.mean_score == pytest.approx(2.4)
    assert hand_stats.mean_percent == pytest.approx(60.0)
    assert hand_stats.median_percent == pytest.approx(50.0)
    assert hand_stats.sd_percent == pytest.approx(37.9144, abs=1e-4)


@pytest.mark.parametrize(
    ("question", "facility", "sd", "discrimination"),
    [
        (101, 0.6, 0.5477, 0.6667),
        (102, 0.6, 0.4183, 0.6429),
        (103, 0.6, 0.5477, 0.2100),
    ],
)
def test_each_question_matches_the_hand_computation(hand_stats, question, facility, sd, discrimination):
    stats = next(q for q in hand_stats.questions if q.question_id == question)
    assert stats.attempts == 5
    assert stats.mean_fraction == pytest.approx(facility)
    assert stats.sd_fraction == pytest.approx(sd, abs=1e-4)
    assert stats.discrimination_index == pytest.approx(discrimination, abs=1e-4)


def test_questions_are_listed_by_id_whatever_the_row_order():
    stats = analyse(reversed(HAND_ROWS))
    assert [q.question_id for q in stats.questions] == [101, 102, 103]
    assert stats.questions[0].discrimination_index == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ([103, 101, 102], [103, 101, 102]),
        # Questions the order does not name follow in id order; unknown and repeated ids are ignored.
        ([102], [102, 101, 103]),
        ([999, 103, 103], [103, 101, 102]),
        ([], [101, 102, 103]),
    ],
)
def test_a_question_order_sets_the_listing_order(order, expected):
    stats = analyse(HAND_ROWS, question_order=order)
    assert [q.question_id for q in stats.questions] == expected


def test_rows_can_be_a_one_shot_generator_of_decimals():
    rows = ((a, q, Decimal(str(s)), Decimal(str(m))) for a, q, s, m in HAND_ROWS)
    stats = analyse(rows)
    assert stats.mean_percent == pytest.approx(60.0)
    assert stats.questions[1].discrimination_index == pytest.approx(1.8 / 2.8)


def test_empty_input_gives_no_attempts_and_no_questions():
    assert analyse([]) == QuizStats(0, 0.0, 0.0, 0.0, 0.0, [])


def test_a_single_attempt_has_no_spread_and_no_discrimination():
    stats = analyse([(1, 10, 1.0, 1.0), (1, 11, 0.5, 2.0)])
    assert (stats.attempts, stats.mean_score, stats.median_percent, stats.sd_percent) == (1, 1.5, 50.0, 0.0)
    assert stats.questions == [
        QuestionStats(10, 1, 1.0, 0.0, None, {}),
        QuestionStats(11, 1, 0.25, 0.0, None, {}),
    ]


@pytest.mark.parametrize(
    ("rows", "question"),
    [
        # Everybody got Q10 right: the item itself has no variance.
        ([(1, 10, 1, 1), (1, 11, 1, 1), (2, 10, 1, 1), (2, 11, 0, 1)], 10),
        # Q11 is constant, so the rest-of-test score of Q10 has no variance.
        ([(1, 10, 1, 1), (1, 11, 0.5, 1), (2, 10, 0, 1), (2, 11, 0.5, 1)], 10),
        # A one-question quiz: the rest of the test is always zero.
        ([(1, 10, 1, 1), (2, 10, 0, 1), (3, 10, 1, 1)], 10),
        # Constant values whose mean is not exactly representable still count as constant.
        ([(a, 10, 0.1, 1) for a in range(3)] + [(a, 11, a, 2) for a in range(3)], 10),
        # The rest of the test is always 0.2, though 0.1 + 0.2 - 0.1 is 0.20000000000000004 in floats.
        ([(1, 10, 0.1, 1), (1, 11, 0.2, 1), (2, 10, 0.7, 1), (2, 11, 0.2, 1), (3, 10, 0.3, 1), (3, 11, 0.2, 1)], 10),
    ],
)
def test_zero_variance_leaves_the_discrimination_undefined(rows, question):
    stats = next(q for q in analyse(rows).questions if q.question_id == question)
    assert stats.discrimination_index is None


def test_a_constant_item_has_zero_sd():
    rows = [(a, 10, 0.1, 1) for a in range(3)] + [(a, 11, a, 2) for a in range(3)]
    assert analyse(rows).questions[0].sd_fraction == 0.0


def test_an_item_that_rewards_the_weaker_students_discriminates_negatively():
    # Q10 is right exactly when the rest of the test is wrong.
    rows = [(1, 10, 1, 1), (1, 11, 0, 1), (2, 10, 0, 1), (2, 11, 1, 1), (3, 10, 1, 1), (3, 11, 0, 1)]
    assert analyse(rows).questions[0].discrimination_index == pytest.approx(-1.0)


def test_a_question_answered_in_only_some_attempts_is_measured_over_those_attempts():
    # Attempts 4 and 5 did not include Q103 (e.g. drawn from a pool); their totals are out of 3.
    rows = [row for row in HAND_ROWS if not (row[0] in (4, 5) and row[1] == 103)]
    stats = analyse(rows)
    q1, q2, q3 = stats.questions

    assert (q1.attempts, q2.attempts, q3.attempts) == (5, 5, 3)
    assert q3.mean_fraction == pytest.approx(2 / 3)  # 1, 0, 1
    assert q3.sd_fraction == pytest.approx(statistics.stdev([1, 0, 1]))
    # Q103 against the rest over attempts 1-3 only: x = 1 0 1, y = 3 2 3.
    assert q3.discrimination_index == pytest.approx(1.0)
    # Totals 4, 2, 4, 0, 1 out of 4, 4, 4, 3, 3.
    assert stats.mean_score == pytest.approx(11 / 5)
    assert stats.mean_percent == pytest.approx((100 + 50 + 100 + 0 + 100 / 3) / 5)
    assert stats.median_percent == pytest.approx(50.0)
    # Q101 against the rest: x = 1 1 1 0 0, y = 3 1 3 0 1.
    assert q1.discrimination_index == pytest.approx(statistics.correlation([1, 1, 1, 0, 0], [3, 1, 3, 0, 1]))


def test_a_question_whose_max_changed_between_versions_uses_each_rows_own_max():
    rows = [(1, 10, 1, 1), (2, 10, 1, 2), (3, 10, 2, 2), (4, 10, 0, 0)]
    stats = analyse(rows).questions[0]
    assert stats.mean_fraction == pytest.approx((1 + 0.5 + 1 + 0) / 4)
    assert stats.sd_fraction == pytest.approx(statistics.stdev([1, 0.5, 1, 0]))


def test_a_repeated_attempt_and_question_pair_is_refused():
    with pytest.raises(ValueError, match="question 10"):
        analyse([(1, 10, 1, 1), (1, 10, 0, 1)])


def test_choices_are_counted_per_question_and_key():
    choices = [(101, "a"), (101, "b"), (101, "a"), (102, "true"), (103, "g2c"), (103, "g2c"), (999, "x")]
    stats = analyse(HAND_ROWS, choices=choices)
    assert [q.choice_counts for q in stats.questions] == [{"a": 2, "b": 1}, {"true": 1}, {"g2c": 2}]


def test_questions_without_choice_rows_have_empty_counts(hand_stats):
    assert all(q.choice_counts == {} for q in hand_stats.questions)


def test_random_data_agrees_with_the_statistics_module():
    rng = random.Random(20240601)
    rows = []
    for attempt in range(200):
        ability = rng.random()
        for question in range(1, 9):
            if rng.random() < 0.9:  # about one question in ten missing from an attempt
                rows.append((attempt, question, round(rng.random() * ability * question, 2), float(question)))
    stats = analyse(rows)

    totals, maxima = {}, {}
    for attempt, _, score, top in rows:
        totals[attempt] = totals.get(attempt, 0) + score
        maxima[attempt] = maxima.get(attempt, 0) + top
    percents = [100 * totals[a] / maxima[a] for a in totals]
    assert stats.attempts == len(totals)
    assert stats.mean_percent == pytest.approx(statistics.fmean(percents))
    assert stats.median_percent == pytest.approx(statistics.median(percents))
    assert stats.sd_percent == pytest.approx(statistics.stdev(percents))

    for q in stats.questions:
        mine = [(a, s, m) for a, question, s, m in rows if question == q.question_id]
        scores = [s for _, s, _ in mine]
        rest = [totals[a] - s for a, s, _ in mine]
        assert q.attempts == len(mine)
        assert q.mean_fraction == pytest.approx(statistics.fmean(s / m for _, s, m in mine))
        assert q.sd_fraction == pytest.approx(statistics.stdev(s / m for _, s, m in mine))
        assert q.discrimination_index == pytest.approx(statistics.correlation(scores, rest))
