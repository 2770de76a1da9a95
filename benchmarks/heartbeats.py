"""Heartbeat benchmark (issue 13 part 5): 1,500 learners keep a lesson open.

* a throw-away PostgreSQL database (egov_bench_beats) is migrated; a Django subprocess creates a
  course with one lesson step, 1,500 learners, a signed-in session for each (as the login view
  leaves it) and page-view tokens (studytime.services.page_view_start, with the server's key);
* gunicorn serves the production settings (2 workers) with Redis (db 6) as cache and ledger;
  every learner first makes one untimed request (the first request of a session records it);
* steady: each learner beats every 30 s on its page view, spread evenly (50 beats/s) for 60 s;
  burst: for the next 10 s ten times as many beats (500/s): the steady beats go on and the
  learners open 4,500 new page views, each beating once;
* then the flush (studytime.services.study_time_flush) writes the ledger to the database, and
  what the server said each accepted beat credited (expected) is compared with the database's
  sum (credited). lost counts beats that were not answered 200.

Target: beat_p95_ms <= 20 and burst_p95_ms <= 100, credited_s == expected_s, lost == 0. Last line:

    beat_p95_ms=<n> burst_p95_ms=<n> accepted=<n> credited_s=<n> expected_s=<n> lost=<n>

Run from the project root (PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379):

    .venv/bin/python benchmarks/heartbeats.py [--learners 1500] [--keep-db]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, database_url, drop_database, manage, query, recreate_database  # noqa: E402

HOST = "127.0.0.1"
DATABASE = "egov_bench_beats"
REDIS_URL = "redis://127.0.0.1:6379/6"
INTERVAL = 30.0
STEADY_SECONDS = 60.0
BURST_SECONDS = 10.0
BURST_FACTOR = 10
CLIENT_THREADS = 96
PASSWORD_FREE = "!"  # unusable password: the sessions are made directly


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def bench_env(media_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url(DATABASE),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_MEDIA_ROOT=media_root,
        DJANGO_PRIVATE_ROOT=f"{media_root}-private",
        REDIS_URL=REDIS_URL,
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def run_step(env: dict[str, str], step: str, *extra: str) -> object:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), f"--{step}", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{step} failed (exit {result.returncode})")
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------- Django side


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(learners: int) -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from accounts.middleware import session_signed_in, session_touch
    from studytime.services import page_view_start
    from tests.factories import build_course, build_site, course_steps

    _home, catalogue = build_site()
    course = build_course(catalogue, steps=1, title="心跳基准课程")
    step = course_steps(course)[0]
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"beat{n:05d}", display_name=f"学员{n}", password=PASSWORD_FREE) for n in range(learners)]
    )
    people = []
    burst_views = BURST_FACTOR - 1
    for user in User.objects.filter(username__startswith="beat").order_by("username"):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session_signed_in(session)
        session_touch(session)
        session.create()
        tokens = [page_view_start(user_id=user.pk, step_id=step.pk, course_id=course.pk)["token"]]
        # New page views for the burst: (BURST_FACTOR - 1) x the steady rate for BURST_SECONDS.
        share = burst_views * BURST_SECONDS / INTERVAL
        count = int(share) + (1 if (user.pk % 10) / 10 < share - int(share) else 0)
        tokens += [page_view_start(user_id=user.pk, step_id=step.pk, course_id=course.pk)["token"] for _ in range(count)]
        people.append([session.session_key, _get_new_csrf_string(), tokens])
    print(json.dumps({"step": step.pk, "people": people}))


def flush() -> None:
    setup_django()
    from studytime.services import study_time_flush

    entries = 0
    while True:
        written = study_time_flush()
        if not written:
            break
        entries += written
    print(json.dumps({"entries": entries}))


# ---------------------------------------------------------------------------- client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_dir: Path):
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application", "--workers", "2",
        "--bind", f"{HOST}:{port}", "--log-level", "warning", "--backlog", "4096",
    ]
    with (log_dir / "gunicorn.log").open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError):
                    connection = http.client.HTTPConnection(HOST, port, timeout=5)
                    connection.request("GET", "/accounts/login/")
                    connection.getresponse().read()
                    break
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn did not start; see " + str(log_dir / "gunicorn.log"))
                time.sleep(0.25)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=15)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.steady: list[float] = []
        self.burst: list[float] = []
        self.accepted = 0
        self.expected_ms = 0
        self.lost = 0
        self.statuses: dict[int, int] = {}


def post_beat(port, person, step, token, seq, fresh=False) -> tuple[int, dict, float]:
    session_key, csrf, _tokens = person
    body = json.dumps({"token": token, "step": step, "seq": seq, "fresh": fresh})
    headers = {
        "Content-Type": "application/json",
        "X-CSRFToken": csrf,
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "Accept": "application/json",
    }
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("POST", "/study/beat/", body, headers)
        response = connection.getresponse()
        payload = response.read()
        status = response.status
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = {}
    return status, answer, elapsed


def run_load(port: int, data: dict, learners: int) -> Results:
    step, people = data["step"], data["people"]
    results = Results()
    # Warm-up: the first request of each session records it (accounts.middleware); not measured.
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda person: post_beat(port, person, step, "warm-up", 0), people))
    schedule = []  # (offset s, person index, token index, seq, phase)
    spacing = INTERVAL / learners
    for index in range(learners):
        seq, at = 1, index * spacing
        while at < STEADY_SECONDS + BURST_SECONDS:
            schedule.append((at, index, 0, seq, "steady" if at < STEADY_SECONDS else "burst"))
            seq, at = seq + 1, at + INTERVAL
    burst = [(index, token) for index, person in enumerate(people) for token in range(1, len(person[2]))]
    for number, (index, token) in enumerate(burst):
        schedule.append((STEADY_SECONDS + number * BURST_SECONDS / len(burst), index, token, 1, "burst"))
    schedule.sort()

    def send(item):
        _at, index, token, seq, phase = item
        try:
            status, answer, elapsed = post_beat(port, people[index], step, people[index][2][token], seq)
        except OSError:
            status, answer, elapsed = 0, {}, 0.0
        with results.lock:
            results.statuses[status] = results.statuses.get(status, 0) + 1
            if status == 200 and answer.get("accepted"):
                results.accepted += 1
                results.expected_ms += answer["credited_ms"]
                (results.steady if phase == "steady" else results.burst).append(elapsed)
            else:
                results.lost += 1

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        for item in schedule:
            delay = started + item[0] - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, item)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1500)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--flush", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.prepare:
        return prepare(arguments.learners)
    if arguments.flush:
        return flush()

    import redis

    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter("studytime:*"))
    if stale:
        client.delete(*stale)
    recreate_database(DATABASE)
    with tempfile.TemporaryDirectory() as media_root:
        env = bench_env(media_root)
        try:
            manage(env, "migrate", "--noinput")
            data = run_step(env, "prepare", "--learners", str(arguments.learners))
            print(f"  prepared {arguments.learners} learners with sessions and page views")
            log_dir = Path(media_root)
            with gunicorn(env, log_dir) as port:
                results = run_load(port, data, arguments.learners)
            run_step(env, "flush")
            credited_ms = query(database_url(DATABASE), "SELECT COALESCE(SUM(active_ms), 0) FROM studytime_studytime")[0][0]
            for line in (log_dir / "gunicorn.log").read_text().splitlines()[-5:]:
                print(f"  gunicorn: {line}")
        finally:
            if not arguments.keep_db:
                drop_database(DATABASE)
    steady_p95, burst_p95 = percentile(results.steady, 0.95), percentile(results.burst, 0.95)
    print(f"  statuses: {dict(sorted(results.statuses.items()))}")
    print(f"  steady: {len(results.steady)} beats, p50 {percentile(results.steady, 0.5):.1f} ms, p95 {steady_p95:.1f} ms")
    print(f"  burst: {len(results.burst)} beats, p50 {percentile(results.burst, 0.5):.1f} ms, p95 {burst_p95:.1f} ms")
    print(
        f"beat_p95_ms={steady_p95:.1f} burst_p95_ms={burst_p95:.1f} accepted={results.accepted} "
        f"credited_s={credited_ms / 1000:.3f} expected_s={results.expected_ms / 1000:.3f} lost={results.lost}"
    )


if __name__ == "__main__":
    main()
