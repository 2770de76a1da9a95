"""The pure study-time rules: a step's minimum from its content, and what one heartbeat earns."""

import pytest

from studytime.rules import ViewState, beat_apply, minimum_seconds, reading_seconds

SPEEDS = {"zh_chars_per_minute": 300, "en_words_per_minute": 250}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("", 0),
        ("电" * 300, 60),  # 300 characters at 300 a minute
        ("word " * 250, 60),  # 250 words at 250 a minute
        ("电子政务 e-government basics", 4 * 60 / 300 + 2 * 60 / 250),  # "e-government" is one word
        ("锁屏：Win+L。", 2 * 60 / 300 + 2 * 60 / 250),  # punctuation is not read as words
    ],
)
def test_reading_time_counts_chinese_characters_and_english_words_at_their_own_speeds(text, seconds):
    assert reading_seconds(text, **SPEEDS) == pytest.approx(seconds)


def test_the_minimum_adds_the_videos_and_rounds_up_to_whole_seconds():
    assert minimum_seconds(text="电" * 301, video_seconds=90, **SPEEDS) == 61 + 90
    assert minimum_seconds(text="", video_seconds=0, **SPEEDS) == 0


RULE = {"min_gap_ms": 24_000, "cap_ms": 45_000}


def test_the_first_beat_of_a_page_view_only_starts_its_clock():
    outcome = beat_apply(now_ms=1_000, seq=1, fresh=False, view=None, user_last_ms=None, **RULE)
    assert (outcome.verdict, outcome.credit_ms, outcome.view) == ("ok", 0, ViewState(1, 1_000))


def test_a_beat_earns_the_time_since_the_views_last_beat():
    outcome = beat_apply(now_ms=31_000, seq=2, fresh=False, view=ViewState(1, 1_000), user_last_ms=None, **RULE)
    assert (outcome.verdict, outcome.credit_ms, outcome.user_last_ms) == ("ok", 30_000, 31_000)


@pytest.mark.parametrize(("seq", "verdict"), [(1, "replay"), (0, "replay")])
def test_a_replayed_or_older_sequence_number_is_refused_and_changes_nothing(seq, verdict):
    outcome = beat_apply(now_ms=61_000, seq=seq, fresh=False, view=ViewState(1, 31_000), user_last_ms=31_000, **RULE)
    assert (outcome.verdict, outcome.credit_ms, outcome.view, outcome.user_last_ms) == (verdict, 0, None, None)


def test_a_beat_faster_than_the_interval_is_refused():
    outcome = beat_apply(now_ms=32_000, seq=3, fresh=False, view=ViewState(2, 31_000), user_last_ms=31_000, **RULE)
    assert (outcome.verdict, outcome.credit_ms) == ("early", 0)


def test_a_gap_longer_than_the_cap_earns_nothing_the_view_was_hidden_or_idle():
    outcome = beat_apply(now_ms=600_000, seq=3, fresh=False, view=ViewState(2, 31_000), user_last_ms=31_000, **RULE)
    assert (outcome.verdict, outcome.credit_ms, outcome.view) == ("ok", 0, ViewState(3, 600_000))


def test_a_fresh_beat_earns_nothing_for_the_time_before_it():
    outcome = beat_apply(now_ms=61_000, seq=3, fresh=True, view=ViewState(2, 31_000), user_last_ms=31_000, **RULE)
    assert outcome.credit_ms == 0


def test_time_another_tab_already_earned_is_not_earned_again():
    # Tab B beat at 15 s, then tab A earned up to 30 s: B's beat at 45 s earns 30 s → 45 s only.
    outcome = beat_apply(now_ms=45_000, seq=2, fresh=False, view=ViewState(1, 15_000), user_last_ms=30_000, **RULE)
    assert outcome.credit_ms == 15_000


def simulate(beats, **rule):
    """beats: (instant ms, view id, seq, fresh); returns the total credited."""
    views, user_last, total = {}, None, 0
    for now, view_id, seq, fresh in sorted(beats):
        outcome = beat_apply(
            now_ms=now, seq=seq, fresh=fresh, view=views.get(view_id), user_last_ms=user_last, **rule
        )
        if outcome.view is not None:
            views[view_id] = outcome.view
        if outcome.user_last_ms is not None:
            user_last = outcome.user_last_ms
        total += outcome.credit_ms
    return total


def test_two_tabs_beating_out_of_step_earn_the_wall_clock_time_once():
    tab_a = [(t * 1000, "a", n + 1, False) for n, t in enumerate(range(0, 601, 30))]
    tab_b = [(t * 1000, "b", n + 1, False) for n, t in enumerate(range(15, 601, 30))]
    assert simulate(tab_a, **RULE) == 600_000
    assert simulate(tab_a + tab_b, **RULE) == 600_000


def test_a_client_beating_every_second_from_new_page_views_earns_at_most_the_minute():
    beats = [(t * 1000, f"view-{t % 30}", t // 30 + 1, False) for t in range(61)]
    assert simulate(beats, **RULE) <= 60_000
