"""Where accepted heartbeats accumulate before the flush writes them to the database.

Two ledgers with one interface, chosen by settings.STUDY_TIME_REDIS_URL:

* RedisLedger: each beat is one Lua script (atomic, one round trip) that applies
  rules.beat_apply with Redis's own clock, so every gunicorn worker and device shares one clock
  and one "last credited instant" per person; credit goes into one hash of pending milliseconds.
* CacheLedger (no Redis, the embedded default): the same rule in Python over Django's cache,
  under a lock made with cache.add. Atomic on the local-memory cache within one process and on
  the database cache across processes (add is an INSERT there); not on the file cache.

A flush first claims the pending batch (moves it aside under a new batch id, or returns the batch
a failed flush left behind), writes it, then releases it. See studytime.services.study_time_flush."""

import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import astuple
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

from .rules import ViewState, ViewStats, beat_apply, view_stats_apply, view_stats_encode

BATCH_FIELD = "__batch__"

BEAT_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seq = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[2], 'seq', 'last', 'first', 'beats', 'gaps', 'gsum', 'gsq', 'ov', 'cr')
local last_seq = tonumber(state[1])
local view_last = tonumber(state[2])
if last_seq and seq <= last_seq then return {'replay', 0} end
if view_last and now - view_last < tonumber(ARGV[3]) then return {'early', 0} end
local credit = 0
local gap = -1
if view_last and ARGV[2] == '0' and now - view_last <= tonumber(ARGV[4]) then
  local start = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), view_last)
  if now > start then credit = now - start end
  gap = now - view_last
end
local first = tonumber(state[3]) or now
local beats = (tonumber(state[4]) or 0) + 1
local gaps = tonumber(state[5]) or 0
local gsum = tonumber(state[6]) or 0
local gsq = tonumber(state[7]) or 0
local ov = tonumber(state[8]) or 0
local cr = (tonumber(state[9]) or 0) + credit
if gap >= 0 then
  gaps = gaps + 1
  gsum = gsum + gap
  gsq = gsq + gap * gap
  ov = ov + gap - credit
end
local numbers = {first, now, beats, gaps, gsum, gsq, ov, cr}
for i, n in ipairs(numbers) do numbers[i] = string.format('%d', n) end
redis.call('HSET', KEYS[2], 'seq', seq, 'last', now, 'first', numbers[1], 'beats', numbers[3], 'gaps', numbers[4],
  'gsum', numbers[5], 'gsq', numbers[6], 'ov', numbers[7], 'cr', numbers[8])
redis.call('EXPIRE', KEYS[2], ARGV[6])
-- The view's record, absolute (so writing it twice is harmless), for the flush's PageView row.
redis.call('HSET', KEYS[3], 'p:' .. ARGV[8], ARGV[5] .. ':' .. table.concat(numbers, ':'))
if credit > 0 then
  redis.call('HINCRBY', KEYS[3], ARGV[5], credit)
  redis.call('SET', KEYS[1], now, 'EX', ARGV[7])
end
return {'ok', credit}
"""

CLAIM_SCRIPT = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '__batch__', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
"""

# Watched ranges of videos wait in the same hash as the credit (fields "v:user:step:course:video"),
# so the flush claims, writes and releases both in one batch. Appending is one atomic script.
APPEND_SCRIPT = """
for i, field in ipairs(ARGV) do
  if i % 2 == 1 then
    local current = redis.call('HGET', KEYS[1], field) or ''
    redis.call('HSET', KEYS[1], field, current .. ARGV[i + 1])
  end
end
return 1
"""

RELEASE_SCRIPT = """
if redis.call('HGET', KEYS[1], '__batch__') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _now_ms() -> int:
    """The cache ledger's clock (Redis's ledger reads Redis's own)."""
    return int(time.time() * 1000)


def entry_field(*, user_id: int, step_id: int, course_id: int) -> str:
    return f"{user_id}:{step_id}:{course_id}"


def video_field(*, user_id: int, step_id: int, course_id: int, index: int) -> str:
    return f"v:{user_id}:{step_id}:{course_id}:{index}"


def is_video_field(field: str) -> bool:
    return field.startswith("v:")


def is_view_field(field: str) -> bool:
    """A page view's record ("p:<view id>"), text in studytime.rules.view_stats_encode's form."""
    return field.startswith("p:")


def parse_video_field(field: str) -> tuple[int, int, int, int]:
    _v, user_id, step_id, course_id, index = field.split(":")
    return int(user_id), int(step_id), int(course_id), int(index)


def _value(field: str, raw) -> int | str:
    text = raw.decode() if isinstance(raw, bytes) else raw
    return text if is_video_field(field) or is_view_field(field) else int(text)


def parse_field(field: str) -> tuple[int, int, int]:
    user_id, step_id, course_id = (int(part) for part in field.split(":"))
    return user_id, step_id, course_id


class LedgerUnavailable(Exception):
    """The ledger's store did not answer: the beat earns nothing, the page tries again later."""


class RedisLedger:
    def __init__(self, client, *, prefix: str):
        self.client = client
        self.prefix = prefix
        self._beat = client.register_script(BEAT_SCRIPT)
        self._claim = client.register_script(CLAIM_SCRIPT)
        self._release = client.register_script(RELEASE_SCRIPT)
        self._append = client.register_script(APPEND_SCRIPT)

    def _keys(self):
        return f"{self.prefix}:pending", f"{self.prefix}:inflight"

    def beat(self, *, user_id, view_id, seq, fresh, field, min_gap_ms, cap_ms, view_ttl) -> tuple[str, int]:
        from redis.exceptions import RedisError

        pending, _inflight = self._keys()
        keys = [f"{self.prefix}:user:{user_id}", f"{self.prefix}:view:{view_id}", pending]
        args = [seq, "1" if fresh else "0", min_gap_ms, cap_ms, field, view_ttl, max(1, cap_ms // 1000 * 4), view_id]
        try:
            verdict, credit = self._beat(keys=keys, args=args)
        except RedisError as error:
            raise LedgerUnavailable(str(error)) from error
        return (verdict.decode() if isinstance(verdict, bytes) else verdict), int(credit)

    def pending_ms(self, field: str) -> dict[str, int]:
        """Credit not yet flushed for one entry: {"pending": ms, "inflight": ms, "batch": id or ""}."""
        many = self.pending_ms_many([field])
        return {"pending": many["pending"][field], "inflight": many["inflight"][field], "batch": many["batch"]}

    def pending_ms_many(self, fields: list[str]) -> dict:
        """Credit not yet flushed for several entries, one round trip:
        {"pending": {field: ms}, "inflight": {field: ms}, "batch": id or ""}."""
        pending, inflight = self._keys()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hmget(pending, fields).hmget(inflight, fields).hget(inflight, BATCH_FIELD)
            waiting, claimed, batch = pipe.execute()
        return {
            "pending": {field: int(value or 0) for field, value in zip(fields, waiting, strict=True)},
            "inflight": {field: int(value or 0) for field, value in zip(fields, claimed, strict=True)},
            "batch": (batch or b"").decode(),
        }

    def flush_claim(self) -> tuple[str, dict[str, int]] | None:
        raw = self._claim(keys=list(self._keys()), args=[uuid.uuid4().hex])
        if not raw:
            return None
        pairs = dict(zip(raw[::2], raw[1::2], strict=True))
        batch = pairs.pop(BATCH_FIELD.encode()).decode()
        return batch, {field.decode(): _value(field.decode(), value) for field, value in pairs.items()}

    def flush_release(self, batch_id: str) -> None:
        self._release(keys=[self._keys()[1]], args=[batch_id])

    def video_append(self, items: dict[str, str]) -> None:
        """Add watched ranges ({video field: encoded ranges}) to what waits for the flush."""
        from redis.exceptions import RedisError

        if not items:
            return
        try:
            self._append(keys=[self._keys()[0]], args=[part for pair in items.items() for part in pair])
        except RedisError as error:
            raise LedgerUnavailable(str(error)) from error

    def pending_text_many(self, fields: list[str]) -> dict:
        """Watched ranges not yet flushed: {"pending": {field: text}, "inflight": {...}, "batch": id}."""
        pending, inflight = self._keys()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hmget(pending, fields).hmget(inflight, fields).hget(inflight, BATCH_FIELD)
            waiting, claimed, batch = pipe.execute()
        return {
            "pending": {field: (value or b"").decode() for field, value in zip(fields, waiting, strict=True)},
            "inflight": {field: (value or b"").decode() for field, value in zip(fields, claimed, strict=True)},
            "batch": (batch or b"").decode(),
        }


class CacheLedger:
    LOCK_SECONDS = 5

    def __init__(self, backend, *, prefix: str):
        self.cache = backend
        self.prefix = prefix
        self._thread_lock = threading.Lock()

    @contextmanager
    def _locked(self):
        lock_key = f"{self.prefix}:lock"
        with self._thread_lock:
            deadline = time.monotonic() + self.LOCK_SECONDS
            while not self.cache.add(lock_key, 1, timeout=self.LOCK_SECONDS):
                if time.monotonic() > deadline:
                    raise LedgerUnavailable("study-time lock not acquired")
                time.sleep(0.005)
            try:
                yield
            finally:
                self.cache.delete(lock_key)

    def beat(self, *, user_id, view_id, seq, fresh, field, min_gap_ms, cap_ms, view_ttl) -> tuple[str, int]:
        user_key, view_key = f"{self.prefix}:user:{user_id}", f"{self.prefix}:view:{view_id}"
        with self._locked():
            view = self.cache.get(view_key)
            now = _now_ms()
            outcome = beat_apply(
                now_ms=now,
                seq=seq,
                fresh=fresh,
                view=ViewState(*view[:2]) if view else None,
                user_last_ms=self.cache.get(user_key),
                min_gap_ms=min_gap_ms,
                cap_ms=cap_ms,
            )
            if outcome.view is not None:
                stats = view_stats_apply(
                    ViewStats(*view[2]) if view and len(view) > 2 else None, outcome, now_ms=now
                )
                self.cache.set(
                    view_key, (outcome.view.seq, outcome.view.last_ms, astuple(stats)), timeout=view_ttl
                )
                pending = self.cache.get(f"{self.prefix}:pending") or {}
                pending[f"p:{view_id}"] = view_stats_encode(field, stats)
                if outcome.credit_ms > 0:
                    pending[field] = pending.get(field, 0) + outcome.credit_ms
                    self.cache.set(user_key, outcome.user_last_ms, timeout=max(1, cap_ms // 1000 * 4))
                self.cache.set(f"{self.prefix}:pending", pending, timeout=None)
        return outcome.verdict, outcome.credit_ms

    def pending_ms(self, field: str) -> dict[str, int]:
        many = self.pending_ms_many([field])
        return {"pending": many["pending"][field], "inflight": many["inflight"][field], "batch": many["batch"]}

    def pending_ms_many(self, fields: list[str]) -> dict:
        pending = self.cache.get(f"{self.prefix}:pending") or {}
        inflight = self.cache.get(f"{self.prefix}:inflight") or {"batch": "", "items": {}}
        return {
            "pending": {field: pending.get(field, 0) for field in fields},
            "inflight": {field: inflight["items"].get(field, 0) for field in fields},
            "batch": inflight["batch"],
        }

    def flush_claim(self) -> tuple[str, dict[str, int]] | None:
        with self._locked():
            inflight = self.cache.get(f"{self.prefix}:inflight")
            if inflight is None:
                pending = self.cache.get(f"{self.prefix}:pending")
                if not pending:
                    return None
                inflight = {"batch": uuid.uuid4().hex, "items": pending}
                self.cache.set(f"{self.prefix}:inflight", inflight, timeout=None)
                self.cache.delete(f"{self.prefix}:pending")
        return inflight["batch"], dict(inflight["items"])

    def flush_release(self, batch_id: str) -> None:
        with self._locked():
            inflight = self.cache.get(f"{self.prefix}:inflight")
            if inflight is not None and inflight["batch"] == batch_id:
                self.cache.delete(f"{self.prefix}:inflight")

    def video_append(self, items: dict[str, str]) -> None:
        if not items:
            return
        with self._locked():
            pending = self.cache.get(f"{self.prefix}:pending") or {}
            for field, text in items.items():
                pending[field] = pending.get(field, "") + text
            self.cache.set(f"{self.prefix}:pending", pending, timeout=None)

    def pending_text_many(self, fields: list[str]) -> dict:
        pending = self.cache.get(f"{self.prefix}:pending") or {}
        inflight = self.cache.get(f"{self.prefix}:inflight") or {"batch": "", "items": {}}
        return {
            "pending": {field: pending.get(field, "") for field in fields},
            "inflight": {field: inflight["items"].get(field, "") for field in fields},
            "batch": inflight["batch"],
        }


@lru_cache(maxsize=4)
def _redis_ledger(url: str, prefix: str) -> RedisLedger:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return RedisLedger(client, prefix=prefix)


_cache_ledgers: dict[str, CacheLedger] = {}


def get_ledger():
    """The ledger the settings choose: Redis when STUDY_TIME_REDIS_URL is set, else the default cache."""
    prefix = settings.STUDY_TIME_KEY_PREFIX
    if settings.STUDY_TIME_REDIS_URL:
        return _redis_ledger(settings.STUDY_TIME_REDIS_URL, prefix)
    # One per prefix, so the lock's thread half is shared by every request of this process.
    return _cache_ledgers.setdefault(prefix, CacheLedger(cache, prefix=prefix))
