"""Department reports benchmark: are the head's reports fast at city and province scale?

A dedicated PostgreSQL database is created and migrated, the demo city is loaded
(`load_demo_city`) and then the synthetic province (`generate_province`, default sizes: 100,000
learners, 500 units, 200 courses, progress for every learner, one 5,000-learner department).
gunicorn (2 workers, production settings, loopback) serves the site and a real Celery worker
(`--pool=solo`) runs the exports against Redis. Over HTTP, logged in through /accounts/login/:

* city overview: /reports/ as head.public-security (the demo department with most learners, ~250
  people and their sections × every live course);
* province overview: /reports/ as head.province-big (5,000 learners × 200 courses);
* province drill-down: the first 50-row page of a province course's learners (/reports/courses/<id>/)
  as head.province-big;

each the median of 10 requests after 3 warm-up requests. Then the full export of the big
department: one "all courses of a department" export (`department_progress`, CSV) of province-big,
requested as head.province-big (POST, then the status JSON polled until done) and run as one job by
the Celery worker; its wall time and rows are reported (5,000 × 200 = 1,000,000 rows). The worker's
memory is read from /proc/<pid>/status before and after: growth = peak (VmHWM) after − resident
(VmRSS) before.

A subprocess also runs each page once more through Django's test client and prints its queries with
their times, slowest first, to show where the time goes.

Targets: city ≤ 50 ms, province overview ≤ 300 ms, drill-down page ≤ 500 ms, 1M-row export ≤ 60 s
with ≤ 150 MB memory growth. The last line is machine-readable:

    city_overview_ms=<n> province_overview_ms=<n> province_drilldown_ms=<n> export_1m_rows_s=<n> export_rss_growth_mb=<n>

egov_bench_reports is dropped at the end (keep it with --keep-db); with --database-url an existing
database is used (migrated, city loaded, province generated only if missing) and never dropped.
Celery uses Redis database 14 by default (--broker-url): use one no other worker listens to.

Run from the project root:

    .venv/bin/python benchmarks/reports.py [--keep-db] [--database-url URL] [--requests 10]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from common import running_celery, stop

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "egov_bench_reports"
BENCH_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
BROKER_URL = "redis://127.0.0.1:6379/14"

PASSWORD = "Training-2026"
CITY_HEAD = "head.public-security"
PROVINCE_HEAD = "head.province-big"
LOGIN_PATH = "/accounts/login/"
OVERVIEW_PATH = "/reports/"
EXPORT_PATH = "/reports/export/department_progress/csv/"

TARGETS = {"city_overview_ms": 50, "province_overview_ms": 300, "province_drilldown_ms": 500}
EXPORT_SECONDS_TARGET = 60
EXPORT_RSS_TARGET_MB = 150
WARMUP_REQUESTS = 3
SERVER_START_TIMEOUT = 60.0
EXPORT_TIMEOUT = 900.0
POLL_INTERVAL = 0.1
USER_AGENT = "egov-reports-benchmark"


# ---------------------------------------------------------------------------- environment


def django_env(database_url: str, media_root: str, broker_url: str) -> dict[str, str]:
    """Environment for manage.py, gunicorn and Celery: production settings over plain http."""
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
        CELERY_BROKER_URL=broker_url,
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)  # each gunicorn worker caches in its own memory (sessions are cached_db)
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


def query(database_url: str, statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(statement, params).fetchall()


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


def prepare_database(env: dict[str, str], database_url: str) -> None:
    """Migrate, load the city and the province. Without a broker here, whatever the loaders
    enqueue runs in-process: nothing is left queued for the worker that runs the exports."""
    env = {name: value for name, value in env.items() if name != "CELERY_BROKER_URL"}
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_city")
    if query(database_url, "SELECT 1 FROM departments_department WHERE code = 'province'"):
        print("  province already generated: kept")
    else:
        manage(env, "generate_province")
    manage(env, "collectstatic", "--noinput")


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """Start gunicorn on a free loopback port (no access log), yield the port, always stop it."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi:application", "--workers", str(workers), "--bind", f"{HOST}:{port}"]
    process = subprocess.Popen([*command, "--log-level", "warning", "--timeout", "120"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited early (exit {process.returncode})")
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                connection.request("GET", LOGIN_PATH)
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f} s") from None
                time.sleep(0.25)
            finally:
                connection.close()
        print(f"  gunicorn: {workers} workers on {HOST}:{port}")
        yield port
    finally:
        stop(process)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak resident set) of a process, in MB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            figures[name] = int(value.split()[0]) / 1024
    return figures


# ---------------------------------------------------------------------------- HTTP client


@dataclass
class Browser:
    """A tiny HTTP client on one persistent connection that keeps cookies itself, Secure ones
    included (we talk plain http)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for set_cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = set_cookie.split(";", 1)[0].strip().partition("=")
            if value.strip('"'):
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.getheader("Location", ""), text

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str]:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{path}",
        }
        return self.request("POST", path, body=urlencode(fields), headers=headers)


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token in the page")
    return match.group(1)


def log_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    status, _, page = browser.request("GET", LOGIN_PATH)
    if status != 200:
        raise SystemExit(f"login form: HTTP {status}")
    fields = {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": PASSWORD}
    status, location, _ = browser.post_form(LOGIN_PATH, fields)
    if status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"login as {username!r} failed: HTTP {status}, Location {location!r}")
    return browser


def time_page(browser: Browser, path: str, requests: int) -> list[float]:
    """Milliseconds of `requests` GETs of path after the warm-up; any non-200 stops the run."""
    timings = []
    for number in range(WARMUP_REQUESTS + requests):
        started = time.perf_counter()
        status, location, _ = browser.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status} {location}".rstrip())
        if number >= WARMUP_REQUESTS:
            timings.append(elapsed)
    return timings


def describe(label: str, path: str, timings: list[float], target: float) -> str:
    median = statistics.median(timings)
    verdict = "" if median <= target else "  ABOVE TARGET"
    return (
        f"{label:<22}{path:<34} median={median:7.1f} ms  min={min(timings):7.1f}  max={max(timings):7.1f}"
        f"  (target <= {target} ms){verdict}"
    )


# ---------------------------------------------------------------------------- export


@dataclass
class ExportResult:
    seconds: float = 0.0
    rows: int = 0
    exports: int = 0
    slowest: float = 0.0
    memory_before: dict[str, float] = field(default_factory=dict)
    memory_after: dict[str, float] = field(default_factory=dict)

    @property
    def growth_mb(self) -> float:
        return self.memory_after["VmHWM"] - self.memory_before["VmRSS"]


def export_department(browser: Browser, department_id: int, token: str) -> tuple[int, float]:
    """POST the department's all-courses export, poll its status until done; returns (rows, seconds)."""
    started = time.perf_counter()
    status, location, _ = browser.post_form(EXPORT_PATH, {"csrfmiddlewaretoken": token, "department": department_id})
    match = re.search(r"/reports/exports/(\d+)/", urlsplit(location).path)
    if status != 302 or match is None:
        raise SystemExit(f"export of department {department_id}: HTTP {status} {location}")
    status_path = f"/reports/exports/{match.group(1)}/status/"
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while True:
        status, _, body = browser.request("GET", status_path, headers={"Accept": "application/json"})
        data = json.loads(body) if status == 200 else {}
        if data.get("status") == "done":
            return data["rows"], time.perf_counter() - started
        if data.get("status") == "failed" or time.monotonic() > deadline:
            raise SystemExit(f"export of department {department_id}: {status} {body[:200]}")
        time.sleep(POLL_INTERVAL)


def run_export(browser: Browser, department_id: int, worker_pid: int) -> ExportResult:
    """The confirmation page (GET: too large to download at once), then one background export."""
    result = ExportResult()
    status, _, page = browser.request("GET", f"{EXPORT_PATH}?department={department_id}")
    if status != 200 or "csrfmiddlewaretoken" not in page:
        raise SystemExit(f"export confirmation page: HTTP {status}")
    token = csrf_token(page)
    result.memory_before = memory_mb(worker_pid)
    began = time.perf_counter()
    result.rows, result.slowest = export_department(browser, department_id, token)
    result.exports = 1
    result.seconds = time.perf_counter() - began
    result.memory_after = memory_mb(worker_pid)
    return result


# ---------------------------------------------------------------------------- where the time goes


def profile_queries(username: str, path: str) -> None:
    """Print one warm request's queries (slowest first, with times) and the total (in a subprocess)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for attempt in ("warm-up", "measured"):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{attempt} GET {path}: HTTP {response.status_code}")
    queries = captured.captured_queries
    sql_ms = sum(float(item["time"]) for item in queries) * 1000
    print(f"  {path} as {username}: {elapsed:.0f} ms in-process, {len(queries)} queries, {sql_ms:.0f} ms in SQL")
    for item in sorted(queries, key=lambda item: float(item["time"]), reverse=True)[:3]:
        print(f"    {float(item['time']) * 1000:7.1f} ms  {item['sql'][:400]}")


def profile_in_subprocess(env: dict[str, str], username: str, path: str) -> None:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--profile-queries", username, path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        print(f"  query profile of {path} failed (exit {result.returncode})")
        return
    print(result.stdout.rstrip())


# ---------------------------------------------------------------------------- main


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database-url", help=f"use this existing database instead of (re)creating {BENCH_DATABASE}")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--broker-url", default=BROKER_URL, help=f"Celery broker (default {BROKER_URL})")
    parser.add_argument("--profile-queries", nargs=2, metavar=("USERNAME", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.requests < 1 or arguments.workers < 1:
        parser.error("--requests and --workers must be positive")
    return arguments


def run_benchmark(arguments: argparse.Namespace, env: dict[str, str], database_url: str, log_path: Path) -> str:
    print("Preparing the database")
    prepare_database(env, database_url)
    (big_id, big_path), *_ = query(
        database_url, "SELECT id, path FROM departments_department WHERE code = %s", ("province-big",)
    )
    learners = query(database_url, "SELECT count(*) FROM accounts_user WHERE department_id = %s", (big_id,))[0][0]
    course_ids = [
        row[0]
        for row in query(
            database_url,
            "SELECT p.id FROM wagtailcore_page p JOIN wagtailcore_page i ON p.path LIKE i.path || '____' "
            "AND p.depth = i.depth + 1 WHERE i.slug = 'province-courses' AND p.live ORDER BY p.path",
        )
    ]
    drilldown_path = f"/reports/courses/{course_ids[0]}/"
    print(f"  province-big: {learners} learners; {len(course_ids)} province courses")

    print("Starting gunicorn and the Celery worker")
    with running_celery(env, log_path) as worker_pid, running_gunicorn(env, arguments.workers) as port:
        city = log_in(port, CITY_HEAD)
        province = log_in(port, PROVINCE_HEAD)
        print(f"  logged in as {CITY_HEAD} and {PROVINCE_HEAD}")
        print("Timing the pages")
        timings = {
            "city_overview_ms": (OVERVIEW_PATH, time_page(city, OVERVIEW_PATH, arguments.requests)),
            "province_overview_ms": (OVERVIEW_PATH, time_page(province, OVERVIEW_PATH, arguments.requests)),
            "province_drilldown_ms": (drilldown_path, time_page(province, drilldown_path, arguments.requests)),
        }
        for key, (path, values) in timings.items():
            print(describe(key.removesuffix("_ms"), path, values, TARGETS[key]))
        print("Exporting every course of province-big (department_progress, CSV, one background job)")
        export = run_export(province, big_id, worker_pid)

    print("Where the time goes (one warm request each, Django test client)")
    profile_in_subprocess(env, CITY_HEAD, OVERVIEW_PATH)
    profile_in_subprocess(env, PROVINCE_HEAD, OVERVIEW_PATH)
    profile_in_subprocess(env, PROVINCE_HEAD, drilldown_path)

    print()
    for key, (path, values) in timings.items():
        print(describe(key.removesuffix("_ms"), path, values, TARGETS[key]))
    rows_per_second = export.rows / export.seconds if export.seconds else 0.0
    print(
        f"export: {export.exports} exports, {export.rows} rows in {export.seconds:.1f} s "
        f"({rows_per_second:,.0f} rows/s; target <= {EXPORT_SECONDS_TARGET} s)"
        f"{'' if export.seconds <= EXPORT_SECONDS_TARGET else '  ABOVE TARGET'}"
    )
    print(
        f"worker memory: VmRSS {export.memory_before['VmRSS']:.0f} MB before, "
        f"{export.memory_after['VmRSS']:.0f} MB after, peak VmHWM {export.memory_after['VmHWM']:.0f} MB; "
        f"growth {export.growth_mb:.0f} MB (target <= {EXPORT_RSS_TARGET_MB} MB)"
        f"{'' if export.growth_mb <= EXPORT_RSS_TARGET_MB else '  ABOVE TARGET'}"
    )
    medians = {key: statistics.median(values) for key, (_path, values) in timings.items()}
    return (
        f"city_overview_ms={medians['city_overview_ms']:.0f} province_overview_ms={medians['province_overview_ms']:.0f} "
        f"province_drilldown_ms={medians['province_drilldown_ms']:.0f} export_1m_rows_s={export.seconds:.1f} "
        f"export_rss_growth_mb={export.growth_mb:.0f}"
    )


def main() -> None:
    arguments = parse_arguments()
    if arguments.profile_queries:
        profile_queries(*arguments.profile_queries)
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
        env = django_env(database_url, media_root, arguments.broker_url)
        last_line = run_benchmark(arguments, env, database_url, Path(media_root) / "celery.log")
    finally:
        if created_database and not arguments.keep_db:
            drop_database()
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(media_root, ignore_errors=True)
        shutil.rmtree(f"{media_root}-private", ignore_errors=True)
    print(last_line)


if __name__ == "__main__":
    main()
