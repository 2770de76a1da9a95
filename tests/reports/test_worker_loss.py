"""A worker killed in the middle of a summary refresh loses nothing. A pool process killed -9: the
task was not acknowledged (acks_late) and the worker gives it back (reject_on_worker_lost), so it
runs again at once. A whole worker killed -9: Redis gives the unacknowledged task to the next worker
after the visibility timeout. Either way the summaries end right. Real Celery workers against
Redis, effects read from PostgreSQL."""

import importlib
import importlib.util
import os
import signal
import uuid

import pytest
from django.apps import apps
from django.conf import settings

from config.celery import app as celery_app
from courses.services import step_complete
from reports.models import DepartmentCourseSummary, DepartmentMonthlyCompletions
from reports.services import summaries_compute, summaries_stored, summary_pairs_mismatched
from reports.tasks import refresh_summaries
from tests.celery_worker import child_pids, require_broker, start_worker, stop_worker, wait_for
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECONDS_PER_UNIT = 1.0


def wrong_pairs() -> set[tuple[int, int]]:
    return summary_pairs_mismatched(summaries_compute(), summaries_stored())


def test_our_tasks_are_acknowledged_late_and_given_back_when_their_worker_dies():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    for app_config in apps.get_app_configs():  # the worker imports every app's tasks module
        if importlib.util.find_spec(f"{app_config.name}.tasks") is not None:
            importlib.import_module(f"{app_config.name}.tasks")
    ours = [task for name, task in celery_app.tasks.items() if not name.startswith("celery.")]
    assert {task.name for task in ours} >= {"reports.tasks.refresh_summaries", "privacy.tasks.build_archive"}
    for task in ours:
        assert task.acks_late is not False, task.name
        assert task.reject_on_worker_lost is not False, task.name
    # A task still running must not be handed to a second worker: the visibility timeout is longer
    # than the longest task may run.
    longest = max(task.time_limit or settings.CELERY_TASK_TIME_LIMIT for task in ours)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest


@pytest.fixture
def workers(require_postgres):
    require_broker()
    started = []
    try:
        yield started
    finally:
        celery_app.conf.task_always_eager = True
        for worker in started:
            stop_worker(worker)


def wrong_summaries(catalogue) -> list[tuple[int, int]]:
    """A small city with right summaries, then every stored figure wrong, as a lost refresh leaves
    them; returns the (department, course) pairs to refresh."""
    city = build_city(catalogue, per_unit=1, courses=2, steps=1)
    for learners in city.learners.values():
        for course in city.courses:
            step_complete(user=learners[0], step=city.steps[course.pk][0])  # summaries refreshed eagerly
    assert not wrong_pairs()
    DepartmentCourseSummary.objects.update(started=0, completed=0, score_count=0)
    DepartmentMonthlyCompletions.objects.all().delete()
    pairs = sorted(wrong_pairs())
    assert len(pairs) >= 6
    return pairs


def test_a_summary_refresh_whose_pool_process_is_killed_runs_again_and_the_summaries_end_right(catalogue, workers):
    pairs = wrong_summaries(catalogue)
    queue = f"worker-loss-{uuid.uuid4().hex[:8]}"  # no other worker on this broker takes it
    worker = start_worker(
        name="prefork",
        app="tests.reports.slow_worker",
        queues=[queue],
        pool="prefork",
        extra_env={"SLOW_SUMMARY_SECONDS": str(SECONDS_PER_UNIT)},
    )
    workers.append(worker)
    celery_app.conf.task_always_eager = False  # from here on, tasks go to Redis
    refresh_summaries.apply_async(args=[[list(pair) for pair in pairs]], queue=queue)

    assert wait_for(lambda: len(wrong_pairs()) <= len(pairs) - 2, timeout=60), "the worker never started"
    (child,) = child_pids(worker.pid)
    os.kill(child, signal.SIGKILL)  # the process running the task, as the OOM killer would
    assert wrong_pairs(), "the task finished before its process was killed"
    # Without acks_late the task was acknowledged when it started; without reject_on_worker_lost it
    # is acknowledged as failed when its process dies: either way nothing would run it again.
    assert wait_for(lambda: not wrong_pairs(), timeout=90), f"still wrong: {sorted(wrong_pairs())}"
    assert child not in child_pids(worker.pid)  # it did die; a new process ran the task again


def test_a_summary_refresh_killed_with_its_worker_is_redelivered_and_the_summaries_end_right(catalogue, workers):
    pairs = wrong_summaries(catalogue)

    queue = f"worker-loss-{uuid.uuid4().hex[:8]}"  # no other worker on this broker takes it
    environment = {"SLOW_SUMMARY_SECONDS": str(SECONDS_PER_UNIT)}
    first = start_worker(name="doomed", app="tests.reports.slow_worker", queues=[queue], extra_env=environment)
    workers.append(first)
    celery_app.conf.task_always_eager = False  # from here on, tasks go to Redis
    refresh_summaries.apply_async(args=[[list(pair) for pair in pairs]], queue=queue)

    # Kill -9 once the task is half-way: some pairs repaired, the rest not.
    assert wait_for(lambda: len(wrong_pairs()) <= len(pairs) - 2, timeout=60), "the first worker never started"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    left = wrong_pairs()
    assert left, "the task finished before the worker was killed"

    second = start_worker(
        name="heir",
        app="tests.reports.slow_worker",
        queues=[queue],
        settings_module="tests.reports.worker_settings",
        extra_env={**environment, "CELERY_VISIBILITY_TIMEOUT": "3"},
    )
    workers.append(second)
    assert wait_for(lambda: not wrong_pairs(), timeout=90), f"still wrong after redelivery: {sorted(wrong_pairs())}"
