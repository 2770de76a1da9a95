"""A real Celery worker in a subprocess, against the test database (PostgreSQL) and Redis, for the
tests that need one. `celery_worker_process` starts it and waits until it answers a ping; the
caller stops it (`stop_worker`) or kills it (`os.kill(worker.pid, SIGKILL)`)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.conftest import skip_or_fail

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def require_broker():
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs Redis: set CELERY_BROKER_URL")


def start_worker(
    *,
    name: str,
    app: str = "config",
    queues: list[str] | None = None,
    settings_module: str = "config.settings.test",
    extra_env: dict | None = None,
    pool: str = "solo",
) -> subprocess.Popen:
    """Start `celery -A <app> worker --pool=<pool>` (one process for prefork) on the test database
    and the configured broker; returns once it answers a ping (fails the test if it does not
    within a minute)."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        **(extra_env or {}),
    }
    hostname = f"{name}-{os.getpid()}@localhost"
    command = [sys.executable, "-m", "celery", "-A", app, "worker", f"--pool={pool}", "--loglevel=WARNING"]
    if pool == "prefork":
        command += ["--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "-n", hostname]
    if queues:
        command += ["-Q", ",".join(queues)]
    worker = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    worker.hostname = hostname
    ready = wait_for(lambda: bool(celery_app.control.ping(destination=[hostname], timeout=0.5)), timeout=60)
    if not ready:
        stop_worker(worker)
        pytest.fail(f"Celery worker did not start: {worker.stderr.read().decode()[-2000:]}")
    return worker


def child_pids(pid: int) -> list[int]:
    """The processes a worker started (its prefork pool), from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
    if worker.stderr:
        worker.stderr.close()
