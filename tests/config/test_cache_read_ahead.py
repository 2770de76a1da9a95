"""Cache reads gathered per request (config.cache.read_ahead): a lesson page reads what it needs
from the cache in one round trip once it is routed; a value read ahead is served once, only to the
request that read it, and outside a request nothing is read ahead."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from config.cache import ReadAheadMiddleware, cache_read, cache_read_many, read_ahead


class CountingCache:
    """Counts the default cache's reads (get and get_many, each one round trip to Redis)."""

    def __init__(self, monkeypatch):
        self.reads: list[tuple[str, tuple]] = []
        self._inside_get_many = False  # locmem's get_many calls get for each key: one round trip
        get, get_many = cache.get, cache.get_many

        def counted_get(key, *args, **kwargs):
            if not self._inside_get_many:
                self.reads.append(("get", (key,)))
            return get(key, *args, **kwargs)

        def counted_get_many(keys, *args, **kwargs):
            keys = tuple(keys)
            self.reads.append(("get_many", keys))
            self._inside_get_many = True
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                self._inside_get_many = False

        monkeypatch.setattr(cache, "get", counted_get)
        monkeypatch.setattr(cache, "get_many", counted_get_many)


@pytest.fixture
def reads(monkeypatch):
    cache.clear()
    return CountingCache(monkeypatch)


def in_a_request(function):
    """Runs function inside ReadAheadMiddleware, as a view would, and returns its result."""
    result = {}

    def view(request):
        result["value"] = function()
        return HttpResponse()

    ReadAheadMiddleware(view)(RequestFactory().get("/"))
    return result["value"]


def test_keys_read_ahead_are_served_once_without_another_round_trip(reads):
    cache.set_many({"a": 1, "b": None})

    def page():
        read_ahead(["a", "b", "missing"])
        first = (cache_read("a"), cache_read("missing", "default"), cache_read_many(["b"]))
        round_trips = len(reads.reads)
        cache.set("a", 2)  # the reader stores a fresh value: the next read must see it
        return first, round_trips, cache_read("a")

    first, round_trips, again = in_a_request(page)
    assert first == (1, "default", {"b": None})
    assert round_trips == 1  # the one get_many of read_ahead
    assert again == 2


def test_nothing_read_for_one_request_is_served_to_the_next(reads):
    cache.set("a", "old")
    in_a_request(lambda: read_ahead(["a"]))  # read ahead and never used
    cache.set("a", "new")
    assert in_a_request(lambda: cache_read("a")) == "new"
    assert cache_read("a") == "new"


def test_outside_a_request_nothing_is_read_ahead(reads):
    cache.set("a", 1)
    read_ahead(["a"])
    assert reads.reads == []
    assert cache_read("a") == 1 and cache_read_many(["a"]) == {"a": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("completed", [False, True])
def test_a_lesson_page_reads_the_cache_in_one_round_trip_once_routed(client, catalogue, reads, completed):
    from certificates.selectors import valid_certificates_cache_key
    from courses.selectors import VIEW_RESTRICTIONS_KEYS, outline_cache_key
    from courses.services import step_complete
    from notifications.selectors import unread_cache_key
    from tests.factories import UserFactory, build_course, course_steps

    course = build_course(catalogue, steps=2, slug=f"cached-{completed}")
    learner = UserFactory()
    steps = course_steps(course)
    for step in steps if completed else steps[:1]:
        step_complete(user=learner, step=step)
    client.force_login(learner)
    assert client.get(steps[1].url).status_code == 200  # warms the session, site, outline and facts
    reads.reads.clear()
    response = client.get(steps[1].url)
    assert response.status_code == 200
    assert ("certificate-link" in response.content.decode()) is completed
    read_ahead = [keys for kind, keys in reads.reads if kind == "get_many"]
    assert len(read_ahead) == 1, reads.reads
    assert set(read_ahead[0]) == {
        *VIEW_RESTRICTIONS_KEYS,
        outline_cache_key(course.pk),
        unread_cache_key(learner.pk),
        valid_certificates_cache_key(learner.pk),
    }
    # Besides it, only the session and the request's site, read before routing.
    others = [keys[0] for kind, keys in reads.reads if kind == "get"]
    assert len(others) == 2 and any("session" in key for key in others), others
