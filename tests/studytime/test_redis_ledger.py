"""The Redis ledger runs the same rule as studytime.rules.beat_apply in one Lua script on Redis's
clock, and its flush claim survives a crash. Against a real Redis (CELERY_BROKER_URL's server)."""

import os
import secrets
import time

import pytest

from studytime.ledger import RedisLedger
from tests.conftest import skip_or_fail

RULE = {"min_gap_ms": 160, "cap_ms": 300, "view_ttl": 60}


@pytest.fixture
def redis_ledger():
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        skip_or_fail("needs Redis: set CELERY_BROKER_URL=redis://…")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        skip_or_fail(f"Redis at {url} does not answer")
    prefix = f"studytime-test-{secrets.token_hex(4)}"
    yield RedisLedger(client, prefix=prefix)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def beat(ledger, view, seq, *, user=1, fresh=False):
    return ledger.beat(user_id=user, view_id=view, seq=seq, fresh=fresh, field=f"{user}:10:20", **RULE)


def without_views(items: dict) -> dict:
    """A batch without its page-view records (tests/studytime/test_page_views.py checks those)."""
    return {field: value for field, value in items.items() if not field.startswith("p:")}


def test_beats_are_credited_on_redis_clock_and_refused_when_replayed_or_early(redis_ledger):
    assert beat(redis_ledger, "a", 1) == ("ok", 0)
    assert beat(redis_ledger, "a", 2)[0] == "early"
    time.sleep(0.2)
    verdict, credit = beat(redis_ledger, "a", 2)
    assert verdict == "ok" and 160 <= credit <= 300
    assert beat(redis_ledger, "a", 2) == ("replay", 0)
    assert redis_ledger.pending_ms("1:10:20")["pending"] == credit
    time.sleep(0.4)  # longer than the cap: the view went quiet
    assert beat(redis_ledger, "a", 3) == ("ok", 0)


def test_two_views_of_one_person_earn_the_wall_clock_once(redis_ledger):
    started = time.monotonic()
    total = beat(redis_ledger, "a", 1)[1]
    time.sleep(0.1)
    total += beat(redis_ledger, "b", 1)[1]
    for seq in range(2, 8):
        time.sleep(0.1)
        total += beat(redis_ledger, "a", seq)[1]
        time.sleep(0.1)
        total += beat(redis_ledger, "b", seq)[1]
    elapsed_ms = (time.monotonic() - started) * 1000
    # Redis's clock is read in whole milliseconds (floored): the span between the first and the
    # last beat can come out up to 1 ms longer than the elapsed time measured here.
    assert 0 < total <= elapsed_ms + 1


def test_a_claimed_batch_comes_back_until_released_and_new_beats_wait_in_the_next(redis_ledger):
    beat(redis_ledger, "a", 1)
    time.sleep(0.2)
    credit = beat(redis_ledger, "a", 2)[1]
    batch, items = redis_ledger.flush_claim()
    assert without_views(items) == {"1:10:20": credit} and "p:a" in items
    time.sleep(0.2)
    later = beat(redis_ledger, "a", 3)[1]
    assert redis_ledger.flush_claim() == (batch, items)  # a flush that died: the same batch again
    redis_ledger.flush_release("another-batch")
    assert redis_ledger.flush_claim() == (batch, items)
    redis_ledger.flush_release(batch)
    next_batch, next_items = redis_ledger.flush_claim()
    assert next_batch != batch and without_views(next_items) == {"1:10:20": later}
    redis_ledger.flush_release(next_batch)
    assert redis_ledger.flush_claim() is None


def test_watched_ranges_wait_in_the_pending_hash_and_are_claimed_with_the_credit(redis_ledger):
    beat(redis_ledger, "a", 1)
    time.sleep(0.2)
    _verdict, credit = beat(redis_ledger, "a", 2)
    redis_ledger.video_append({"v:1:10:20:0": "0-30;"})
    redis_ledger.video_append({"v:1:10:20:0": "30-45.5;", "v:1:10:20:1": "5-6;"})
    assert redis_ledger.pending_text_many(["v:1:10:20:0"])["pending"] == {"v:1:10:20:0": "0-30;30-45.5;"}
    batch, items = redis_ledger.flush_claim()
    assert without_views(items) == {"1:10:20": credit, "v:1:10:20:0": "0-30;30-45.5;", "v:1:10:20:1": "5-6;"}
    assert redis_ledger.pending_text_many(["v:1:10:20:0"])["inflight"] == {"v:1:10:20:0": "0-30;30-45.5;"}
    redis_ledger.flush_release(batch)
    assert redis_ledger.flush_claim() is None
