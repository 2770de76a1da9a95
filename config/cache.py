"""Django's Redis cache, tolerant of Redis being down. Everything this site caches (sessions
under cached_db, the course outline, the unread count, image renditions) can be read again from
the database, so a cache that does not answer must not fail the request: a read misses, a write
or delete is dropped, and the error is logged. Django's own RedisCache raises instead.

A delete dropped while Redis was down can leave a stale entry when it comes back; the entries
this site keeps expire within minutes (their own timeouts), which bounds that.

Below it, reads gathered per request (read_ahead, cache_read): each read is a round trip to Redis,
about 0.2 ms of CPU on a page that does little else (issue 17), so a page whose reads are known
early asks for them all at once. Any cache backend; tests use locmem."""

import logging
from collections.abc import Iterable
from contextvars import ContextVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _unavailable(operation: str, error: Exception) -> None:
    logger.warning("Redis cache unavailable, %s skipped: %s", operation, error)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call; its constructor was about 7 %
    of the About page's CPU time (benchmarks/profile_pages.py, three cache reads a page). One client
    per connection pool serves every call: redis-py's clients are safe to share between threads
    and take a connection from the pool per command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            _unavailable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            _unavailable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            _unavailable("has_key", error)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            _unavailable("add", error)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            _unavailable("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            _unavailable("set_many", error)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            _unavailable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            _unavailable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as error:
            _unavailable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            _unavailable("clear", error)
            return False


# Values of the default cache read ahead for the request being served (read_ahead): its own store,
# set up and dropped by ReadAheadMiddleware, so nothing read for one request is served to another.
_read_ahead: ContextVar[dict | None] = ContextVar("cache_read_ahead", default=None)
_ABSENT = object()  # read ahead, not in the cache
_NOT_READ = object()


class ReadAheadMiddleware:
    """Gives each request an empty store for the values read ahead for it, dropped when its
    response (rendered templates included) has been made. First in the list, after the log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_ahead.set({})
        try:
            return self.get_response(request)
        finally:
            _read_ahead.reset(token)


def read_ahead(keys: Iterable[str]) -> None:
    """Read these keys of the default cache in one round trip (Redis MGET) for cache_read and
    cache_read_many to serve later in this request: a page whose cache reads are known early (a
    lesson, once routed) pays one round trip instead of one per read. Outside a request (a task,
    a selector called by a test) it does nothing."""
    store = _read_ahead.get()
    if store is None:
        return
    wanted = [key for key in keys if key not in store]
    if wanted:
        found = cache.get_many(wanted)
        for key in wanted:
            store[key] = found.get(key, _ABSENT)


def cache_read(key: str, default=None):
    """cache.get(key), or the value this request read ahead for it. A value read ahead is served
    once: a second read of the key in the same request (after the reader stored a fresh value,
    say) asks the cache again."""
    store = _read_ahead.get()
    value = store.pop(key, _NOT_READ) if store else _NOT_READ
    if value is _NOT_READ:
        return cache.get(key, default)
    return default if value is _ABSENT else value


def cache_read_many(keys: Iterable[str]) -> dict:
    """cache.get_many(keys), served as cache_read serves each key: the keys not read ahead in
    one round trip."""
    store = _read_ahead.get()
    found, unread = {}, []
    for key in keys:
        value = store.pop(key, _NOT_READ) if store else _NOT_READ
        if value is _NOT_READ:
            unread.append(key)
        elif value is not _ABSENT:
            found[key] = value
    if unread:
        found.update(cache.get_many(unread))
    return found
