"""The one enqueue helper (outbox.services) and the cache that tolerates Redis being down. The
end-to-end case (a real Redis stopped and restarted, a real worker) is tests/quizzes/test_redis_down.py."""

import socket
from unittest import mock

import pytest
from django.db import transaction

from config.cache import TolerantRedisCache
from config.celery import app as celery_app
from outbox.models import OutboxJob
from outbox.services import enqueue_now, enqueue_on_commit, outbox_drain

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CALLS: list[tuple] = []


@celery_app.task(name="tests.outbox.record_call")
def record_call(*args, **kwargs):
    CALLS.append((args, kwargs))


@pytest.fixture
def broker(monkeypatch):
    """A non-eager Celery whose publishing is in the test's hands: `broker.down = True` refuses."""
    state = mock.Mock(down=False, sent=[], countdowns=[])

    def apply_async(args=(), kwargs=None, **options):
        state.countdowns.append(options.get("countdown"))
        if state.down:
            raise ConnectionRefusedError("broker down")
        state.sent.append((tuple(args), kwargs or {}))

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(record_call, "apply_async", apply_async)
    yield state
    celery_app.conf.task_always_eager = eager


def test_a_refused_job_is_kept_and_the_commit_is_not_failed(broker):
    broker.down = True
    with transaction.atomic():
        enqueue_on_commit(record_call, 7, kind="x")
        assert not OutboxJob.objects.exists()  # nothing happens before the commit
    job = OutboxJob.objects.get()
    assert (job.task_name, job.args, job.kwargs, job.tries) == ("tests.outbox.record_call", [7], {"kind": "x"}, 1)
    assert broker.sent == []


def test_a_rolled_back_transaction_enqueues_nothing(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_call, 1)
        raise RuntimeError
    assert broker.sent == [] and not OutboxJob.objects.exists()


def test_the_drain_sends_each_job_once_and_stops_while_the_broker_is_down(broker):
    broker.down = True
    enqueue_now(record_call, 1)
    enqueue_now(record_call, 2)
    assert outbox_drain() == 0
    assert OutboxJob.objects.count() == 2 and OutboxJob.objects.first().tries == 2
    broker.down = False
    assert outbox_drain() == 2
    assert outbox_drain() == 0
    assert broker.sent == [((1,), {}), ((2,), {})]
    assert not OutboxJob.objects.exists()


def test_a_job_naming_an_unknown_task_is_left_and_does_not_block_the_others(broker):
    OutboxJob.objects.create(task_name="gone.tasks.renamed", args=[1])
    enqueue_now(record_call, 3)  # the broker is up: sent at once
    OutboxJob.objects.create(task_name="tests.outbox.record_call", args=[4])
    assert outbox_drain() == 1
    assert broker.sent == [((3,), {}), ((4,), {})]
    assert list(OutboxJob.objects.values_list("task_name", flat=True)) == ["gone.tasks.renamed"]


def test_a_job_for_later_is_sent_with_its_countdown_and_kept_when_the_broker_is_down(broker):
    from outbox.services import enqueue_after

    enqueue_after(5, record_call, 7)
    assert broker.sent == [((7,), {})] and broker.countdowns == [5]
    broker.down = True
    enqueue_after(5, record_call, 8)
    assert OutboxJob.objects.get().args == [8]


def test_without_a_broker_the_task_runs_in_process():
    CALLS.clear()
    enqueue_now(record_call, 5, kind="y")
    assert CALLS == [((5,), {"kind": "y"})]


def test_the_request_paths_enqueue_only_through_the_helper():
    """No `.delay(` is left in the apps' request paths: a broker error would reach the learner."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ["accounts", "quizzes", "courses", "assignments", "reports", "hours", "certificates", "notifications", "privacy"]
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and (".delay(" in path.read_text() or ".apply_async(" in path.read_text())
    ]
    assert offenders == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_cache_answers_as_empty_when_redis_is_down():
    cache = TolerantRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    assert cache.get("k", "default") == "default"
    assert cache.get_or_set("k", lambda: 42) == 42
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.delete("k") is False
    assert cache.get_many(["a", "b"]) == {}
    cache.delete_many(["a"])
    assert cache.has_key("k") is False
