"""Lesson page benchmark: how much does the learning logic cost on top of a plain Wagtail page?

A lesson page does more than render content: it finds the step's course, checks the learner may
open it (published, department, view restrictions, sequential locking), builds the course outline
with each step's status and renders the learner's progress. This script measures that cost
against a bare page (/about/, an InfoPage with no learning logic) served by the same stack:

* throughput and latency, loopback HTTP against gunicorn running the production settings on
  PostgreSQL, logged in as the demo learner, both pages measured in alternating rounds;
* the number of SQL queries one warm lesson request makes (Django test client, in a subprocess).

Targets: the lesson page serves at least 0.75 of the bare page's requests per second, and makes
no more than 10 queries. Both figures are printed; the last line is machine-readable:

    lesson_rps=<n> bare_rps=<n> ratio=<lesson/bare> lesson_p95_ms=<n> lesson_queries=<n>

By default a dedicated database, egov_bench, is (re)created, migrated, loaded with the demo city
and dropped at the end (keep it with --keep-db). With --database-url an existing database is used
instead: it is migrated and the (idempotent) demo loader run, and it is never dropped. Uploaded
media go to a temporary directory; collectstatic writes to the project's (git-ignored) STATIC_ROOT.

Run from the project root:

    .venv/bin/python benchmarks/lesson_page.py [--duration 10] [--concurrency 8] [--database-url URL]
    .venv/bin/python benchmarks/lesson_page.py --measure-queries /courses/egov-basics/what-is-egov/
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "egov_bench"
BENCH_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"

LEARNER_USERNAME = "learner"
LEARNER_PASSWORD = "Training-2026"
LOGIN_PATH = "/accounts/login/"
COURSE_PATH = "/courses/egov-basics/"  # the learner has completed it, so every step is open
BARE_PATH = "/about/"

RATIO_TARGET = 0.75
QUERY_BUDGET = 10
WARMUP_REQUESTS = 20
MAX_REQUESTS_PER_PHASE = 200_000  # safety bound, on top of the time limit
SERVER_START_TIMEOUT = 60.0
USER_AGENT = "egov-lesson-page-benchmark"


# ---------------------------------------------------------------------------- environment


def django_env(database_url: str, media_root: str, redis_url: str | None) -> dict[str, str]:
    """Environment for manage.py, gunicorn and the query count: production settings over plain http."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_MEDIA_ROOT=media_root,
        # Private files (certificates, exports) beside the media folder, never inside it.
        DJANGO_PRIVATE_ROOT=f"{media_root}-private",
        PYTHONUNBUFFERED="1",
    )
    # Without REDIS_URL each gunicorn worker caches in its own memory (sessions are cached_db).
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        name = sql.Identifier(BENCH_DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE)))


def manage(env: dict[str, str], *arguments: str) -> None:
    """Run a manage.py command quietly; show its output only if it fails."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(arguments)} failed (exit {result.returncode})")
    print(f"  manage.py {' '.join(arguments)}: {time.perf_counter() - started:.1f} s")


def prepare_database(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_city")
    manage(env, "collectstatic", "--noinput")


# ---------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_answering(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early (exit {process.returncode})")
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", LOGIN_PATH)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.25)
        finally:
            connection.close()
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f} s")


@contextlib.contextmanager
def running_gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """Start gunicorn on a free loopback port (no access log), yield the port, always stop it."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_answering(process, port)
        print(f"  gunicorn: {workers} workers on {HOST}:{port}")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------- HTTP client


@dataclass
class Browser:
    """A tiny HTTP client that keeps cookies itself, Secure ones included (we talk plain http)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = self.cookie_header()
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for set_cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = set_cookie.split(";", 1)[0].strip().partition("=")
            if value.strip('"'):
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.getheader("Location", ""), text


def log_in(browser: Browser) -> None:
    status, _, page = browser.request("GET", LOGIN_PATH)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None or "csrftoken" not in browser.cookies:
        raise SystemExit(f"login form unusable: HTTP {status}, token found: {token is not None}")
    form = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": LEARNER_USERNAME, "password": LEARNER_PASSWORD}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{HOST}:{browser.port}{LOGIN_PATH}",
    }
    status, location, _ = browser.request("POST", LOGIN_PATH, body=form, headers=headers)
    if status != 302 or urlsplit(location).path != "/" or "sessionid" not in browser.cookies:
        raise SystemExit(f"login as {LEARNER_USERNAME!r} failed: HTTP {status}, Location {location!r}")


def first_step_path(browser: Browser) -> str:
    status, _, page = browser.request("GET", COURSE_PATH)
    outline = re.search(r'<ol class="outline">(.*?)</ol>', page, re.DOTALL)
    link = re.search(r'<a href="([^"]+)"', outline.group(1)) if outline else None
    if status != 200 or link is None:
        raise SystemExit(f"no step link in the outline of {COURSE_PATH} (HTTP {status})")
    return urlsplit(html.unescape(link.group(1))).path


def check_ok(browser: Browser, path: str) -> None:
    status, location, _ = browser.request("GET", path)
    if status != 200:
        raise SystemExit(f"GET {path} as the learner: HTTP {status} {location}".rstrip())


# ---------------------------------------------------------------------------- load


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def add(self, other: LoadResult) -> None:
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.elapsed += other.elapsed

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, percent: float) -> float:
        """Nearest-rank percentile of the successful requests' latencies, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, round(percent / 100 * len(ordered)))
        return ordered[rank - 1] * 1000


def get_repeatedly(
    connection: http.client.HTTPConnection, path: str, headers: dict, result: LoadResult, deadline: float, limit: int
) -> None:
    """GET path until the deadline or limit, recording each 200's latency and counting the rest as errors."""
    sent = 0
    while sent < limit and time.perf_counter() < deadline:
        sent += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()  # reconnects on the next request
            status = None
        if status == 200:
            result.latencies.append(time.perf_counter() - started)
        else:
            result.errors += 1


def load_phase(port: int, path: str, cookie_header: str, concurrency: int, duration: float) -> LoadResult:
    """Concurrent clients, each on its own persistent connection, GETting path for `duration` seconds."""
    headers = {"Cookie": cookie_header, "User-Agent": USER_AGENT}
    warmup = LoadResult()
    warmup_connection = http.client.HTTPConnection(HOST, port, timeout=30)
    get_repeatedly(warmup_connection, path, headers, warmup, deadline=float("inf"), limit=WARMUP_REQUESTS)
    warmup_connection.close()
    if warmup.errors:
        raise SystemExit(f"warm-up of {path}: {warmup.errors} of {WARMUP_REQUESTS} requests failed")

    results = [LoadResult() for _ in range(concurrency)]
    connections = [http.client.HTTPConnection(HOST, port, timeout=30) for _ in range(concurrency)]
    limit = MAX_REQUESTS_PER_PHASE // concurrency
    start = threading.Event()
    timing = {}

    def client(index: int) -> None:
        start.wait()
        get_repeatedly(connections[index], path, headers, results[index], timing["deadline"], limit)

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    timing["deadline"] = began + duration
    start.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.close()

    combined = LoadResult(elapsed=elapsed)
    for result in results:
        combined.latencies.extend(result.latencies)
        combined.errors += result.errors
    return combined


# ---------------------------------------------------------------------------- query count


def measure_queries(path: str) -> None:
    """Print the SQL of one warm lesson request by the learner, then `queries=<n>` (run in a subprocess)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=LEARNER_USERNAME))
    for attempt in ("warm-up", "measured"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{attempt} GET {path}: HTTP {response.status_code}")
    for number, query in enumerate(captured.captured_queries, start=1):
        print(f"{number:3d}. {query['sql']}")
    print(f"queries={len(captured.captured_queries)}")


def count_queries_in_subprocess(env: dict[str, str], path: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure-queries", path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines or not lines[-1].startswith("queries="):
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"query count for {path} failed (exit {result.returncode})")
    return int(lines[-1].removeprefix("queries=")), "\n".join(lines[:-1])


# ---------------------------------------------------------------------------- report


def describe(label: str, path: str, result: LoadResult) -> str:
    return (
        f"{label:<7}{path:<42} requests={len(result.latencies):<7} rps={result.rps:7.1f}  "
        f"p50={result.percentile_ms(50):6.1f} ms  p95={result.percentile_ms(95):6.1f} ms  "
        f"p99={result.percentile_ms(99):6.1f} ms  errors={result.errors}"
    )


def print_report(bare: LoadResult, lesson: LoadResult, lesson_path: str, queries: int, sql: str) -> None:
    ratio = lesson.rps / bare.rps if bare.rps else 0.0
    print()
    print(describe("bare", BARE_PATH, bare))
    print(describe("lesson", lesson_path, lesson))
    print(
        f"lesson/bare throughput ratio: {ratio:.2f} (target >= {RATIO_TARGET})"
        f"{'' if ratio >= RATIO_TARGET else '  BELOW TARGET'}"
    )
    print(
        f"lesson page SQL queries (warm request): {queries} (budget <= {QUERY_BUDGET})"
        f"{'' if queries <= QUERY_BUDGET else '  OVER BUDGET'}"
    )
    if queries > QUERY_BUDGET:
        print(sql)
    print(
        f"lesson_rps={lesson.rps:.1f} bare_rps={bare.rps:.1f} ratio={ratio:.2f} "
        f"lesson_p95_ms={lesson.percentile_ms(95):.1f} lesson_queries={queries}"
    )


# ---------------------------------------------------------------------------- main


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page per round (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent client connections (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both pages (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database-url", help="use this existing database instead of (re)creating egov_bench")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--redis-url", help="cache in Redis (REDIS_URL) instead of per-process memory")
    parser.add_argument("--measure-queries", metavar="PATH", help="only print the SQL of one warm request to PATH")
    arguments = parser.parse_args()
    if arguments.duration <= 0 or arguments.concurrency < 1 or arguments.rounds < 1 or arguments.workers < 1:
        parser.error("--duration, --concurrency, --rounds and --workers must be positive")
    return arguments


def run_benchmark(arguments: argparse.Namespace, env: dict[str, str]) -> tuple[LoadResult, LoadResult, str, int, str]:
    print("Preparing the database")
    prepare_database(env)
    print("Starting gunicorn")
    with running_gunicorn(env, arguments.workers) as port:
        browser = Browser(port)
        log_in(browser)
        lesson_path = first_step_path(browser)
        for path in (BARE_PATH, lesson_path):
            check_ok(browser, path)
        print(f"  logged in as {LEARNER_USERNAME}; lesson page {lesson_path}, bare page {BARE_PATH}")

        queries, sql = count_queries_in_subprocess(env, lesson_path)
        print(f"  lesson page queries: {queries}")

        cookie_header = "; ".join(f"{name}={browser.cookies[name]}" for name in ("sessionid", "csrftoken"))
        bare, lesson = LoadResult(), LoadResult()
        for round_number in range(1, arguments.rounds + 1):
            for label, path, total in (("bare", BARE_PATH, bare), ("lesson", lesson_path, lesson)):
                result = load_phase(port, path, cookie_header, arguments.concurrency, arguments.duration)
                total.add(result)
                print(f"  round {round_number} {label:<6} {result.rps:7.1f} rps, {result.errors} errors")
    return bare, lesson, lesson_path, queries, sql


def main() -> None:
    arguments = parse_arguments()
    if arguments.measure_queries:
        measure_queries(arguments.measure_queries)
        return

    media_root = tempfile.mkdtemp(prefix="egov-bench-media-")
    created_database = False
    try:
        if arguments.database_url:
            database_url = arguments.database_url
        else:
            print(f"Recreating database {BENCH_DATABASE}")
            recreate_database()
            created_database = True
            database_url = BENCH_DATABASE_URL
        env = django_env(database_url, media_root, arguments.redis_url)
        results = run_benchmark(arguments, env)
    finally:
        if created_database and not arguments.keep_db:
            drop_database()
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(media_root, ignore_errors=True)
        shutil.rmtree(f"{media_root}-private", ignore_errors=True)
    print_report(*results)


if __name__ == "__main__":
    main()
