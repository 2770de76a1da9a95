"""Per-page-view records (issue 13 part 4): the ledger keeps each view's first and last beat, the
steadiness of its beats and the time it was active while another view of the person earned; the
flush writes them to PageView (never a beat), absolute, so writing a batch twice changes nothing."""

import json

import pytest
from django.urls import reverse

from studytime.ledger import CacheLedger
from studytime.models import PageView
from studytime.rules import (
    ViewState,
    ViewStats,
    beat_apply,
    gap_spread_ms,
    is_machine_regular,
    view_stats_apply,
    view_stats_decode,
    view_stats_encode,
)
from studytime.services import page_view_start, study_time_flush
from tests.studytime import test_beats, test_redis_ledger
from tests.studytime.test_beats import Tab
from tests.studytime.test_redis_ledger import RULE

# The fixtures of the heartbeat tests, shared.
clock, learner, lesson = test_beats.clock, test_beats.learner, test_beats.lesson
redis_ledger = test_redis_ledger.redis_ledger

RULE_MS = {"min_gap_ms": 24_000, "cap_ms": 45_000}


def test_a_steady_beat_reports_its_gap_and_the_part_another_view_already_earned():
    alone = beat_apply(now_ms=31_000, seq=2, fresh=False, view=ViewState(1, 1_000), user_last_ms=1_000, **RULE_MS)
    assert (alone.gap_ms, alone.overlap_ms) == (30_000, 0)
    shared = beat_apply(now_ms=31_000, seq=2, fresh=False, view=ViewState(1, 1_000), user_last_ms=21_000, **RULE_MS)
    assert (shared.credit_ms, shared.gap_ms, shared.overlap_ms) == (10_000, 30_000, 20_000)
    fresh = beat_apply(now_ms=31_000, seq=2, fresh=True, view=ViewState(1, 1_000), user_last_ms=21_000, **RULE_MS)
    assert (fresh.gap_ms, fresh.overlap_ms) == (None, 0)


def test_view_stats_add_up_beats_and_survive_their_text_form():
    stats = None
    now, last = 1_000, None
    for gap in (0, 30_000, 31_000, 29_000):
        now += gap
        outcome = beat_apply(
            now_ms=now, seq=now, fresh=False, view=ViewState(0, last) if last else None, user_last_ms=None, **RULE_MS
        )
        stats = view_stats_apply(stats, outcome, now_ms=now)
        last = now
    assert stats == ViewStats(1_000, now, 4, 3, 90_000, 30_000**2 + 31_000**2 + 29_000**2, 0, 90_000)
    assert view_stats_decode(view_stats_encode("7:8:9", stats)) == (7, 8, 9, stats)
    refused = beat_apply(now_ms=now + 1, seq=1, fresh=False, view=ViewState(5, now), user_last_ms=None, **RULE_MS)
    assert view_stats_apply(stats, refused, now_ms=now + 1) is stats


@pytest.mark.parametrize(
    "gaps,regular",
    [
        ([30_000] * 25, True),  # a sleep loop
        ([30_000 + (n % 3) * 20 for n in range(25)], True),  # a sleep loop over a network
        ([27_000 + (n * 2_477) % 6_000 for n in range(25)], False),  # the page's ±10 % jitter
        ([30_000] * 5, False),  # too few to tell
    ],
)
def test_machine_regular_means_many_gaps_with_almost_no_spread(gaps, regular):
    figures = {"gaps": len(gaps), "gap_sum_ms": sum(gaps), "gap_sq_ms": sum(g * g for g in gaps)}
    assert is_machine_regular(**figures, min_gaps=20, max_spread_ms=250) is regular
    assert gap_spread_ms(gaps=1, gap_sum_ms=30_000, gap_sq_ms=30_000**2) is None


pytestmark = pytest.mark.django_db


def test_the_flush_writes_each_page_view_and_a_beat_writes_none(client, clock, lesson, learner):
    course, step = lesson
    tab = Tab(client, learner, course, step)
    tab.beat()
    for _ in range(3):
        clock.advance(30)
        tab.beat()
    assert not PageView.objects.exists()
    study_time_flush()
    view = PageView.objects.get()
    assert (view.user_id, view.step_id, view.course_id) == (learner.pk, step.pk, course.pk)
    assert (view.beats, view.gaps, view.gap_sum_ms, view.credited_ms, view.overlap_ms) == (4, 3, 90_000, 90_000, 0)
    assert (view.last_beat_at - view.started_at).total_seconds() == 90
    # The same view goes on in the next batch: its row is brought up to date, not duplicated.
    clock.advance(30)
    tab.beat()
    study_time_flush()
    view.refresh_from_db()
    assert (PageView.objects.count(), view.beats, view.credited_ms) == (1, 5, 120_000)


def test_two_tabs_active_at_once_record_their_overlap(client, clock, lesson, learner):
    course, step = lesson
    first, second = Tab(client, learner, course, step), Tab(client, learner, course, step)
    first.beat()
    clock.advance(15)
    second.beat()
    for _ in range(10):
        clock.advance(15)
        first.beat()
        clock.advance(15)
        second.beat()
    study_time_flush()
    views = list(PageView.objects.order_by("started_at"))
    assert len(views) == 2
    # Every steady gap was half earned by the other tab (15 s of 30 s), but the first tab's first.
    assert [view.overlap_ms for view in views] == [135_000, 150_000]
    assert sum(view.credited_ms for view in views) == 315_000


def test_a_batch_flushed_twice_leaves_the_view_as_it_was(client, clock, lesson, learner, monkeypatch):
    from studytime import ledger as ledger_module

    course, step = lesson
    tab = Tab(client, learner, course, step)
    tab.beat()
    clock.advance(30)
    tab.beat()
    active = ledger_module.get_ledger()
    monkeypatch.setattr(active, "flush_release", lambda batch_id: None)  # dies after the write
    study_time_flush()
    monkeypatch.undo()
    monkeypatch.setattr(ledger_module, "_now_ms", clock)
    study_time_flush()
    view = PageView.objects.get()
    assert (view.beats, view.credited_ms) == (2, 30_000)


def test_the_cache_ledger_and_redis_ledger_keep_the_same_view_record(redis_ledger):
    import time

    cache_ledger = CacheLedger(__import__("django.core.cache", fromlist=["cache"]).cache, prefix="pv-test")
    for ledger in (redis_ledger, cache_ledger):
        ledger.beat(user_id=1, view_id="a", seq=1, fresh=False, field="1:10:20", **RULE)
        time.sleep(0.2)
        ledger.beat(user_id=1, view_id="a", seq=2, fresh=False, field="1:10:20", **RULE)
        batch = ledger.flush_claim()
        user_id, step_id, course_id, stats = view_stats_decode(batch[1]["p:a"])
        assert (user_id, step_id, course_id) == (1, 10, 20)
        assert (stats.beats, stats.gaps, stats.overlap_ms) == (2, 1, 0)
        assert stats.credited_ms == stats.gap_sum_ms == batch[1]["1:10:20"] == stats.last_ms - stats.first_ms
        assert stats.gap_sq_ms == stats.gap_sum_ms**2
        ledger.flush_release(batch[0])


def test_a_page_view_token_still_names_its_view(client, lesson, learner):
    course, step = lesson
    view = page_view_start(user_id=learner.pk, step_id=step.pk, course_id=course.pk)
    body = {"token": view["token"], "step": step.pk, "seq": 1}
    assert client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json").status_code == 200
