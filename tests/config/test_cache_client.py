"""The Redis cache keeps one client per connection pool instead of building one per call."""

import uuid

import pytest

from config.cache import TolerantRedisCache
from tests.conftest import skip_or_fail


@pytest.fixture
def redis_cache():
    cache = TolerantRedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache.set("probe", 1)
        if cache.get("probe") != 1:
            raise ConnectionError
    except Exception:
        skip_or_fail("needs Redis on 127.0.0.1:6379")
    yield cache
    cache.delete_many(["probe", "a", "b"])


def test_every_call_uses_the_same_client_and_still_reads_what_was_written(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("a", {"x": 1})
    redis_cache.set_many({"b": [2]})
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b"]) == {"a": {"x": 1}, "b": [2]}
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("a") is client
