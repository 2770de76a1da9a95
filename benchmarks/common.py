"""What the benchmark scripts share: a throw-away PostgreSQL database, quiet manage.py runs and a
real Celery worker.

Standard library, psycopg and redis only, so a script can import it before Django is set up. (The
older scripts still carry their own copies of the rest; new ones start here, as the house style asks.)"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(statement, params).fetchall()


def django_env(url: str, media_root: str) -> dict[str, str]:
    """Development settings (as manage.py uses) on the given database, uploads and certificate
    PDFs under media_root, and no broker: whatever a loader enqueues runs in-process, so nothing
    is left queued for a worker that is not there."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_MEDIA_ROOT=media_root,
        CERTIFICATE_ROOT=os.path.join(media_root, "certificates"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def manage(env: dict[str, str], *arguments: str) -> float:
    """Run a manage.py command quietly; show its output only if it fails. Returns the seconds taken."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(arguments)} failed (exit {result.returncode})")
    elapsed = time.perf_counter() - started
    print(f"  manage.py {' '.join(arguments)}: {elapsed:.1f} s")
    return elapsed


# ---------------------------------------------------------------------------- Celery

WORKER_START_TIMEOUT = 60.0
# Kombu's Redis transport keeps a task taken but not yet acknowledged (acks_late: until it ends)
# in this hash; the queue itself is a list named after it.
UNACKED_KEY = "unacked"


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# The worker's CPU priority, as deploy/systemd/training-worker.service sets it (Nice=10).
WORKER_NICE = 10


@contextlib.contextmanager
def running_celery(env: dict[str, str], log_path: Path) -> Iterator[int]:
    """Start one Celery worker (solo pool: the tasks run in this process) on env's
    CELERY_BROKER_URL, at the deployment's lower CPU priority (WORKER_NICE), yield its pid, always
    stop it. Anything left in that broker's queue by an earlier run is dropped first: use a Redis
    database no other worker listens to."""
    celery = Path(sys.executable).with_name("celery")
    subprocess.run([str(celery), "-A", "config", "purge", "-f"], cwd=ROOT, env=env, capture_output=True, check=False)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(celery), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(WORKER_NICE),
        )
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while " ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.stderr.write(log_path.read_text(errors="replace"))
                raise SystemExit("the Celery worker did not start")
            time.sleep(0.25)
        print(f"  celery worker: pid {process.pid}, broker {env['CELERY_BROKER_URL']}")
        yield process.pid
    finally:
        stop(process)


def wait_for_worker(broker_url: str, *, queue: str = "celery", timeout: float = 900.0, quiet: float = 2.0) -> float:
    """Wait until the worker has drained the broker: the queue empty and no task taken but
    unacknowledged, for `quiet` seconds on end (a task may enqueue another). Returns the seconds
    waited; raises SystemExit after `timeout`."""
    import redis

    client = redis.Redis.from_url(broker_url)
    started = time.monotonic()
    idle_since = None
    try:
        while True:
            busy = client.llen(queue) + client.hlen(UNACKED_KEY)
            now = time.monotonic()
            if busy:
                idle_since = None
            elif idle_since is None:
                idle_since = now
            elif now - idle_since >= quiet:
                return idle_since - started
            if now - started > timeout:
                raise SystemExit(f"the Celery worker still had {busy} tasks after {timeout:.0f} s")
            time.sleep(0.2)
    finally:
        client.close()
