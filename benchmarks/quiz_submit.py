"""Quiz submit benchmark: 50 learners press "Submit all answers" at the same moment.

The end of a timed exam is the quiz engine's worst minute: every learner submits at once, and each
submit locks the attempt, stores the answers, grades all questions and records the grade in one
transaction. This script measures that burst end to end and checks that it stays correct:

* a dedicated database is created and migrated; a subprocess running Django builds a 20-question
  quiz (single, multiple, true/false, fill-in-the-blank and ordering questions, created through
  quizzes.services.question_create), 50 learners and one open attempt each (attempt_start);
* gunicorn serves the production settings on a free loopback port; 50 client threads each log in
  through /accounts/login/, open their attempt page, fill the form from its HTML (any valid answer),
  wait on a barrier and POST the submit form together. Each submit's latency is the time to the
  full response; a 302 (to the review page, not followed) is a success;
* a second wave repeats every submit (a stale double-click): each must be refused with 409, which
  is counted as `repeats_refused`, not as an error;
* afterwards the database is checked: an attempt with more than one "submitted" grade is a
  duplicate, and an attempt still open counts as an error. gunicorn's access log gives each
  request's time inside the worker, which separates service time from queueing.

Target: submit p95 <= 100 ms, no duplicates, no errors. The last line is machine-readable:

    submit_p50_ms=<n> submit_p95_ms=<n> duplicates=<n> errors=<n>

The database egov_bench_quiz is dropped at the end (keep it with --keep-db); uploaded media go to
a temporary directory. --profile adds a cProfile of one extra submit made in-process through
Django's test client (on the same database, after the load).

Run from the project root:

    .venv/bin/python benchmarks/quiz_submit.py [--workers 2] [--threads 1] [--keep-db] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
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
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "egov_bench_quiz"
BENCH_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"

LEARNERS = 50
QUESTIONS_PER_TYPE = 4  # five types: 20 questions
LEARNER_PASSWORD = "Bench-Submit-2026"
QUIZ_TITLE = "Benchmark: end of the exam"
LOGIN_PATH = "/accounts/login/"
SEED = 20260

P95_TARGET_MS = 100.0
SOCKET_TIMEOUT = 30.0
BARRIER_TIMEOUT = 300.0  # logging 50 learners in (PBKDF2) on a small machine takes a while
# Logins and form fetches before the burst run a few at a time: 50 PBKDF2 logins at once on two
# workers can leave a request queued past SOCKET_TIMEOUT, which is set-up, not the measured submit.
PREPARE_AT_ONCE = threading.BoundedSemaphore(4)
SERVER_START_TIMEOUT = 60.0
USER_AGENT = "egov-quiz-submit-benchmark"
SUBMIT_PATH = re.compile(r"^/quiz/attempts/(\d+)/submit/$")


# ---------------------------------------------------------------------------- environment


def django_env(media_root: str, redis_url: str | None) -> dict[str, str]:
    """Environment for manage.py, gunicorn and the Django subprocesses: production settings over http."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=BENCH_DATABASE_URL,
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


def run_django_step(env: dict[str, str], step: str) -> tuple[object, str]:
    """Run this script in `step` mode in a subprocess (Django set up there): (its last line as JSON, the rest)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), f"--{step}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{step} step failed (exit {result.returncode})")
    print(f"  {step}: {time.perf_counter() - started:.1f} s")
    return json.loads(lines[-1]), "\n".join(lines[:-1])


# ---------------------------------------------------------------------------- Django side (subprocesses)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def question_specs() -> list:
    """Twenty questions, four of each type, marks 1 or 2, some partial credit."""
    from decimal import Decimal

    from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring

    specs = []
    for n in range(1, QUESTIONS_PER_TYPE + 1):
        specs += [
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem=f"Single choice {n}: which service channel serves citizens?",
                choices=tuple(ChoiceSpec(key, f"Option {key}", key == "a", f"feedback {key}") for key in "abcd"),
            ),
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem=f"Multiple response {n}: which are safe password habits?",
                mark=Decimal("2"),
                scoring=Scoring.PARTIAL if n % 2 else Scoring.ALL_OR_NOTHING,
                choices=tuple(ChoiceSpec(key, f"Habit {key}", key in "ab", f"feedback {key}") for key in "abcde"),
            ),
            QuestionSpec(
                qtype=QuestionType.TRUE_FALSE,
                stem=f"True or false {n}: classified files may be processed on an internet-connected PC.",
                choices=(ChoiceSpec("true", "True", False), ChoiceSpec("false", "False", True)),
            ),
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem=f"Fill in the blank {n}: the one-stop window serves businesses and ____.",
                accepted_answers=("citizens", "the public"),
            ),
            QuestionSpec(
                qtype=QuestionType.ORDERING,
                stem=f"Ordering {n}: put the project stages in order.",
                mark=Decimal("2"),
                scoring=Scoring.PARTIAL if n % 2 else Scoring.ALL_OR_NOTHING,
                choices=tuple(ChoiceSpec(key, f"Stage {key}") for key in "abcd"),
            ),
        ]
    return specs


def prepare() -> None:
    """Quiz, learners and their open attempts; prints [[username, attempt_id], ...] as the last line."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from quizzes.models import QuestionCategory, Quiz, QuizSlot
    from quizzes.services import attempt_start, question_create

    category = QuestionCategory.objects.create(name="Benchmark bank")
    questions = [question_create(spec=spec, category=category) for spec in question_specs()]
    quiz = Quiz.objects.create(title=QUIZ_TITLE, shuffle_choices=True, layout=Quiz.Layout.ALL_ON_ONE)
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=question, sort_order=index) for index, question in enumerate(questions)
    )
    user_model = get_user_model()
    password = make_password(LEARNER_PASSWORD)  # hashed once, shared by every learner
    user_model.objects.bulk_create(
        user_model(username=f"bench{n:03d}", display_name=f"Learner {n}", password=password)
        for n in range(1, LEARNERS + 1)
    )
    rng = random.Random(SEED)
    learners = []
    for user in user_model.objects.filter(username__startswith="bench").order_by("username"):
        attempt = attempt_start(quiz=quiz, user=user, rng=rng)
        learners.append([user.username, attempt.pk])
    print(json.dumps(learners))


def count() -> None:
    """Database check after the load; prints a JSON object as the last line."""
    setup_django()
    from django.db.models import Count, Q

    from quizzes.models import Attempt, AttemptGrade

    attempts = Attempt.objects.filter(quiz__title=QUIZ_TITLE)
    submitted = Count("grades", filter=Q(grades__reason=AttemptGrade.Reason.SUBMITTED))
    print(
        json.dumps(
            {
                "attempts": attempts.count(),
                "graded": attempts.filter(status=Attempt.Status.GRADED).count(),
                "open": attempts.filter(status=Attempt.Status.OPEN).count(),
                "duplicates": attempts.annotate(submitted=submitted).filter(submitted__gt=1).count(),
                "submitted_grades": AttemptGrade.objects.filter(
                    attempt__in=attempts, reason=AttemptGrade.Reason.SUBMITTED
                ).count(),
            }
        )
    )


def profile_one_submit() -> None:
    """cProfile of one submit through the real view (test client), with its SQL query count."""
    setup_django()
    import cProfile
    import io
    import pstats

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from quizzes.models import Quiz
    from quizzes.services import attempt_start

    quiz = Quiz.objects.get(title=QUIZ_TITLE)
    profiler = cProfile.Profile()
    timings = []
    for n in range(3):  # warm-up, timed, profiled
        user = get_user_model().objects.create(username=f"profile{n}", password=make_password(None))
        attempt = attempt_start(quiz=quiz, user=user, rng=random.Random(n))
        client = Client()
        client.force_login(user)
        body = form_answers(client.get(f"/quiz/attempts/{attempt.pk}/").content.decode(), random.Random(n))
        with CaptureQueriesContext(connection) as queries:
            if n == 2:
                profiler.enable()
            started = time.perf_counter()
            response = client.post(
                f"/quiz/attempts/{attempt.pk}/submit/", body, content_type="application/x-www-form-urlencoded"
            )
            timings.append(time.perf_counter() - started)
            profiler.disable()
        if response.status_code != 302:
            raise SystemExit(f"profiled submit: HTTP {response.status_code}")
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(r"quizzes|accounts|courses", 15)
    stats.sort_stats("tottime").print_stats(15)
    print(stream.getvalue())
    database_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    print(
        json.dumps(
            {
                "cold_ms": timings[0] * 1000,
                "warm_ms": timings[1] * 1000,
                "profiled_ms": timings[2] * 1000,
                "queries": len(queries.captured_queries),
                "database_ms": database_ms,
            }
        )
    )


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
def running_gunicorn(env: dict[str, str], workers: int, threads: int, log_dir: Path) -> Iterator[int]:
    """Start gunicorn on a free loopback port, yield the port, always stop it. access.log records
    each request's time in the worker (%(D)s, microseconds); gunicorn.log gets its output."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--access-logfile",
        str(log_dir / "access.log"),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
    ]
    with (log_dir / "gunicorn.log").open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_answering(process, port)
            print(f"  gunicorn: {workers} workers x {threads} threads on {HOST}:{port}")
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def server_times(log_dir: Path) -> dict[int, list[float]]:
    """Seconds each submit POST spent in a worker, by response status."""
    times: dict[int, list[float]] = {}
    with contextlib.suppress(FileNotFoundError), (log_dir / "access.log").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "POST" and SUBMIT_PATH.match(parts[1]):
                times.setdefault(int(parts[2]), []).append(int(parts[3]) / 1e6)
    return times


def server_messages(log_dir: Path) -> list[str]:
    """gunicorn's and Django's log lines, less the expected warning for each refused repeat (409)."""
    with contextlib.suppress(FileNotFoundError), (log_dir / "gunicorn.log").open(encoding="utf-8") as lines:
        return [line.rstrip() for line in lines if line.strip() and not line.startswith("Conflict: /quiz/attempts/")]
    return []


# ---------------------------------------------------------------------------- HTTP client


@dataclass
class Browser:
    """A tiny HTTP client that keeps cookies itself, Secure ones included (we talk plain http)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=SOCKET_TIMEOUT)
        try:
            all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
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

    def post_form(self, path: str, body: str):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{path}",
        }
        return self.request("POST", path, body=body, headers=headers)


def log_in(browser: Browser, username: str) -> None:
    status, _, page = browser.request("GET", LOGIN_PATH)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None or "csrftoken" not in browser.cookies:
        raise RuntimeError(f"login form unusable: HTTP {status}, token found: {token is not None}")
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": LEARNER_PASSWORD})
    status, location, _ = browser.post_form(LOGIN_PATH, form)
    if status != 302 or urlsplit(location).path != "/" or "sessionid" not in browser.cookies:
        raise RuntimeError(f"login as {username!r} failed: HTTP {status}, Location {location!r}")


class QuizFormFields(HTMLParser):
    """The fields of the attempt form (data-quiz-form): inputs as (type, name, value), selects as name -> values."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[tuple[str, str, str]] = []
        self.selects: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and "data-quiz-form" in attributes:
            self._in_form = True
        elif not self._in_form:
            return
        elif tag == "input" and attributes.get("name"):
            self.inputs.append((attributes.get("type") or "text", attributes["name"], attributes.get("value") or ""))
        elif tag == "select":
            self._select = attributes.get("name")
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None


def form_answers(page: str, rng: random.Random) -> str:
    """The submit form's body with a valid (random) answer to every question on the page."""
    parser = QuizFormFields()
    parser.feed(page)
    fields: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = {}
    checkboxes: dict[str, list[str]] = {}
    for kind, name, value in parser.inputs:
        if kind == "hidden":
            fields.append((name, value))  # csrfmiddlewaretoken, next, q<n>-present
        elif kind == "radio":
            radios.setdefault(name, []).append(value)
        elif kind == "checkbox":
            checkboxes.setdefault(name, []).append(value)
        elif kind == "text":
            fields.append((name, rng.choice(["citizens", "the public", "nobody", "  Citizens "])))
    for name, values in radios.items():
        fields.append((name, rng.choice(values)))
    for name, values in checkboxes.items():
        fields += [(name, value) for value in values if rng.random() < 0.5]
    orderings: dict[str, list[str]] = {}
    for name in parser.selects:
        orderings.setdefault(name.rpartition("-pos-")[0], []).append(name)
    for names in orderings.values():
        places = [str(n) for n in range(1, len(names) + 1)]
        rng.shuffle(places)
        fields += list(zip(names, places, strict=True))
    answered = {name.partition("-")[0] for name, _ in fields if re.match(r"q\d+", name)}
    if not any(name == "csrfmiddlewaretoken" for name, _ in fields) or not answered:
        raise RuntimeError("the attempt page has no usable quiz form")
    fields.append(("action", "submit"))
    return urlencode(fields)


# ---------------------------------------------------------------------------- load


@dataclass
class Learner:
    username: str
    attempt_id: int
    body: str = ""
    questions: int = 0
    submit_status: int | None = None
    submit_seconds: float | None = None
    repeat_status: int | None = None
    repeat_seconds: float | None = None
    error: str = ""


def timed_post(browser: Browser, path: str, body: str) -> tuple[int | None, float, str]:
    started = time.perf_counter()
    try:
        status, location, _ = browser.post_form(path, body)
    except (OSError, http.client.HTTPException) as error:
        return None, time.perf_counter() - started, str(error)
    return status, time.perf_counter() - started, location


def learner_session(
    learner: Learner, port: int, barriers: tuple[threading.Barrier, threading.Barrier], delay: float = 0.0
) -> None:
    """Log in, open the attempt, then submit together with everyone else (or, with --spread, at
    this learner's moment in the window) and repeat the submit."""
    browser = Browser(port)
    submit_path = f"/quiz/attempts/{learner.attempt_id}/submit/"
    try:
        with PREPARE_AT_ONCE:
            log_in(browser, learner.username)
            status, location, page = browser.request("GET", f"/quiz/attempts/{learner.attempt_id}/")
        if status != 200:
            raise RuntimeError(f"attempt page: HTTP {status} {location}".rstrip())
        learner.questions = len(re.findall(r'<fieldset class="question', page))
        learner.body = form_answers(page, random.Random(f"{SEED}-{learner.username}"))
    except (OSError, http.client.HTTPException, RuntimeError) as error:
        learner.error = f"{learner.username}: {error}"
    for wave, barrier in enumerate(barriers):
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            learner.error = learner.error or f"{learner.username}: barrier broken"
            return
        if learner.error:
            continue  # still meet the others at the next barrier
        if wave == 0 and delay:
            time.sleep(delay)
        status, seconds, detail = timed_post(browser, submit_path, learner.body)
        if wave == 0:
            learner.submit_status, learner.submit_seconds = status, seconds
            if status != 302 or not urlsplit(detail).path.endswith("/review/"):
                learner.error = f"{learner.username}: submit HTTP {status} {detail}".rstrip()
        else:
            learner.repeat_status, learner.repeat_seconds = status, seconds
            if status != 409:
                learner.error = f"{learner.username}: repeated submit HTTP {status} {detail}".rstrip()


def run_load(port: int, learners: list[Learner], spread: float = 0.0) -> float:
    """All learners in their own threads; returns the wall time of the submit wave. With spread,
    the submits arrive evenly over that many seconds instead of all at once."""
    barriers = (threading.Barrier(len(learners) + 1), threading.Barrier(len(learners) + 1))
    threads = [
        threading.Thread(
            target=learner_session, args=(learner, port, barriers, spread * index / len(learners)), daemon=True
        )
        for index, learner in enumerate(learners)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    barriers[0].wait(timeout=BARRIER_TIMEOUT)  # everyone is logged in and has the form
    wave_started = time.perf_counter()
    print(f"  {len(learners)} learners logged in with their forms in {wave_started - started:.1f} s")
    barriers[1].wait(timeout=BARRIER_TIMEOUT)  # every submit of the first wave has its response
    wave_seconds = time.perf_counter() - wave_started
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT)
    return wave_seconds


# ---------------------------------------------------------------------------- report


def percentile_ms(values: list[float], percent: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(1, round(percent / 100 * len(ordered))) - 1] * 1000


def latency_row(label: str, values: list[float]) -> str:
    return (
        f"  {label:<34} n={len(values):<3} p50={percentile_ms(values, 50):7.1f}  p95={percentile_ms(values, 95):7.1f}"
        f"  max={percentile_ms(values, 100):7.1f} ms"
    )


def report(
    learners: list[Learner], wave_seconds: float, server: dict[int, list[float]], database: dict, workers: str
) -> None:
    submits = [learner.submit_seconds for learner in learners if learner.submit_status == 302]
    repeats = [learner.repeat_seconds for learner in learners if learner.repeat_status == 409]
    client_errors = [learner.error for learner in learners if learner.error]
    errors = len(client_errors) + database["open"]
    p50, p95 = percentile_ms(submits, 50), percentile_ms(submits, 95)
    print()
    print(f"Quiz submit burst: {len(learners)} learners, {learners[0].questions} questions each, gunicorn {workers}")
    print(latency_row("submit, client (to full response)", submits))
    print(latency_row("submit, inside the worker", server.get(302, [])))
    print(latency_row("repeated submit (409), client", repeats))
    print(latency_row("repeated submit, inside the worker", server.get(409, [])))
    print(f"  submit wave wall time: {wave_seconds * 1000:.0f} ms ({len(submits) / wave_seconds:.1f} submits/s)")
    print(f"  submits accepted (302): {len(submits)}   repeats_refused (409): {len(repeats)}")
    print(
        f"  database: {database['graded']} of {database['attempts']} attempts graded, {database['open']} still open,"
        f" {database['submitted_grades']} submitted grades, {database['duplicates']} duplicates"
    )
    print(f"  errors: {len(client_errors)} on the client side + {database['open']} attempts still open")
    for message in client_errors[:10]:
        print(f"    {message}")
    print(f"  target: submit p95 <= {P95_TARGET_MS:.0f} ms{'' if p95 <= P95_TARGET_MS else '  MISSED'}")
    print(f"submit_p50_ms={p50:.1f} submit_p95_ms={p95:.1f} duplicates={database['duplicates']} errors={errors}")


# ---------------------------------------------------------------------------- main


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--redis-url", help="cache (and sessions) in Redis (REDIS_URL) instead of per-process memory")
    parser.add_argument("--profile", action="store_true", help="also cProfile one extra submit in-process")
    parser.add_argument(
        "--spread",
        type=float,
        default=0.0,
        help="seconds over which the 50 submits arrive evenly (default 0: all at the same instant)",
    )
    # Internal steps, run in subprocesses with Django set up.
    for step in ("prepare", "count", "profile-submit"):
        parser.add_argument(f"--{step}", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.workers < 1 or arguments.threads < 1:
        parser.error("--workers and --threads must be positive")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    for step, function in (("prepare", prepare), ("count", count), ("profile_submit", profile_one_submit)):
        if getattr(arguments, step):
            function()
            return

    temp_dir = Path(tempfile.mkdtemp(prefix="egov-bench-quiz-"))
    media_root = temp_dir / "media"
    media_root.mkdir()
    created_database = False
    try:
        print(f"Recreating database {BENCH_DATABASE}")
        recreate_database()
        created_database = True
        env = django_env(str(media_root), arguments.redis_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        pairs, _ = run_django_step(env, "prepare")
        learners = [Learner(username, attempt_id) for username, attempt_id in pairs]
        print(f"  {len(learners)} learners with an open attempt each")
        print("Starting gunicorn")
        with running_gunicorn(env, arguments.workers, arguments.threads, temp_dir) as port:
            wave_seconds = run_load(port, learners, spread=arguments.spread)
        server, messages = server_times(temp_dir), server_messages(temp_dir)  # gunicorn has stopped
        database, _ = run_django_step(env, "count")
        profile = run_django_step(env, "profile-submit") if arguments.profile else None
    finally:
        if created_database and not arguments.keep_db:
            drop_database()
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(temp_dir, ignore_errors=True)
    if messages:
        print(f"gunicorn/Django log ({len(messages)} unexpected lines, first 20):")
        print("\n".join(messages[:20]))
    if profile:
        figures, text = profile
        print(text)
        print(
            f"One submit in-process (test client, one at a time): {figures['warm_ms']:.1f} ms warm,"
            f" {figures['cold_ms']:.1f} ms cold, {figures['profiled_ms']:.1f} ms under cProfile;"
            f" {figures['queries']} SQL queries taking {figures['database_ms']:.1f} ms"
        )
    report(learners, wave_seconds, server, database, f"{arguments.workers}x{arguments.threads}")


if __name__ == "__main__":
    main()
