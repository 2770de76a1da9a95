"""Exam day for a city: 100 learners open a random-draw exam at once, 50 submit a 20-question
quiz at once, then 1,500 submits arrive over the city's last minute (issue 14, item 5).

The start and the end of a timed exam are the quiz engine's worst moments. This script measures
them end to end against gunicorn (production settings, 2 sync workers by default) on PostgreSQL,
and checks that they stay correct:

* a dedicated database is created and migrated; a subprocess running Django builds a 20-question
  quiz (single, multiple, true/false, fill-in-the-blank and ordering questions, created through
  quizzes.services.question_create) and a random-draw exam (two slots drawing 10 questions each
  from two categories of 30) placed as the quiz step of a course; learners are created with
  signed-in sessions made directly (so no PBKDF2 login is timed or waited for);
* start: 100 client threads each load the quiz step page, wait on a barrier and press "Start"
  together (POST to the step's quiz/start/, then GET the attempt page it redirects to). A start's
  latency is from the barrier to the attempt page received in full. A second wave presses "Start"
  again: it must resume the same attempt. The database must then hold exactly one attempt per
  learner (a second one is a duplicate; none is lost);
* who passes: on exam day most learners pass (they took the course first), and a pass is the
  costlier submit: it completes the final-exam step and so the course (progress, credit hours
  and the final exam's bonus, the certificate, required learning). So a share of the burst's and
  the city's learners (--pass-share, 0.8 by default) answer every question right; the others give
  any valid answer (most fail). The report gives the share the database actually holds;
* end (the burst): 50 learners with an open attempt at the 20-question quiz open its page, fill
  the form from its HTML, wait on a barrier and POST the submit together. A 302
  (to the review page, not followed) is a success. A second wave repeats every submit (a stale
  double-click): each must be refused with 409. gunicorn's access log gives each request's time
  inside the worker (%(D)s), which separates service time from queueing;
* the city's last minute: 1,500 more learners' submits (bodies built from each attempt's
  questions) arrive open-loop: each has a send time drawn in advance, uniformly over 60 s, and its
  latency counts from that scheduled time, not from when a client thread got round to it, so a
  slow server cannot hide its queue (no coordinated omission);
* afterwards the database is checked per phase: an attempt with more than one "submitted" grade is
  a duplicate; a submit that got no success and left no grade, or an attempt still open, is lost.

As on a real exam day, the learners belong to 25 departments (as in the demo city), each exam is
the final-exam step of a course they have started, and what the requests leave for later (the
department summaries, certificate PDFs of the courses completed by passing) runs in a real Celery
worker (solo pool) on Redis, database 13 by default (--broker-url; use one no other worker listens
to): the requests only enqueue. After the load the script waits for the worker to drain the queue,
then runs `manage.py records_verify`, so every derived record (progress, summaries, hours,
certificates) is checked against the raw facts. --eager runs the tasks inside the requests instead
(no broker, no worker), as the script did before.

Targets (issue 14): start p95 <= 1 s; burst p95 <= 600 ms and time inside the worker per submit
p50 <= 15 ms; city minute p95 <= 150 ms; duplicates 0 and lost 0 in every phase. The last line is
machine-readable:

    start_p95_ms=<n> burst_p95_ms=<n> worker_p50_ms=<n> city_minute_p95_ms=<n> duplicates=<n> lost=<n>

--quick runs 20 starts, 10 burst submits and 100 submits over 10 s (a smoke test). Before
2026-12-07 every learner gave any valid answer (almost all failed): figures from then measured
the cheaper submit only. The database
egov_bench_quiz is dropped at the end (keep it with --keep-db); uploaded media go to a temporary
directory. --profile adds a cProfile of one extra submit made in-process through Django's test
client (on the same database, after the load), with its SQL query count; --profile-start the same
for one press of Start on the random-draw exam (a learner of the course, sitting on its step).

Run from the project root:

    .venv/bin/python benchmarks/quiz_submit.py [--quick] [--workers 2] [--threads 1] [--keep-db] [--profile]
        [--profile-start] [--pass-share 0.8] [--broker-url redis://127.0.0.1:6379/13 | --eager]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import queue
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

from common import running_celery, wait_for_worker

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "egov_bench_quiz"
BENCH_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"

QUESTIONS_PER_TYPE = 4  # five types: 20 questions
QUIZ_TITLE = "Benchmark: end of the exam"
RANDOM_QUIZ_TITLE = "Benchmark: random-draw exam"
RANDOM_BANK_SIZE = 30  # per category; each of the two slots draws RANDOM_DRAW
RANDOM_DRAW = 10
LOGIN_PATH = "/accounts/login/"
SEED = 20260
BROKER_URL = "redis://127.0.0.1:6379/13"
DEPARTMENTS = 25  # as many as the demo city has
EXAM_COURSE_TITLE = "Exam day benchmark course"
SUBMIT_COURSE_TITLE = "Exam day benchmark course (end of the exam)"


@dataclass(frozen=True)
class Scale:
    starts: int
    burst: int
    city: int
    city_seconds: float


# How long the Celery worker may take to drain its queue after the load: with most learners
# passing, one solo worker renders about 1,300 certificate PDFs, which took longer than 15 min.
DRAIN_TIMEOUT = 3600.0
# The share of the burst's and the city's learners who answer every question right (and pass).
PASS_SHARE = 0.8
FULL = Scale(starts=100, burst=50, city=1500, city_seconds=60.0)
QUICK = Scale(starts=20, burst=10, city=100, city_seconds=10.0)

START_P95_TARGET_MS = 1000.0
BURST_P95_TARGET_MS = 600.0
WORKER_P50_TARGET_MS = 15.0
CITY_P95_TARGET_MS = 150.0
SOCKET_TIMEOUT = 30.0
BARRIER_TIMEOUT = 300.0
# Page fetches before a wave run a few at a time: they are set-up, not what is measured.
PREPARE_AT_ONCE = threading.BoundedSemaphore(4)
# Client threads sending the city's submits: far more than the server can have in hand at once,
# so a request waits for the server, never for a free client thread.
CITY_THREADS = 64
SERVER_START_TIMEOUT = 60.0
USER_AGENT = "egov-quiz-submit-benchmark"
SUBMIT_PATH = re.compile(r"^/quiz/attempts/(\d+)/submit/$")
ATTEMPT_PATH = re.compile(r"/quiz/attempts/(\d+)/")


# ---------------------------------------------------------------------------- environment


def django_env(media_root: str, redis_url: str | None, broker_url: str | None) -> dict[str, str]:
    """Environment for manage.py, gunicorn, Celery and the Django subprocesses: production settings
    over http. Without a broker, Celery tasks run inside the requests (eager)."""
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
    env.pop("CELERY_BROKER_URL", None)
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def eager(env: dict[str, str]) -> dict[str, str]:
    """The same environment without a broker: for the set-up, whose tasks (the summaries of the
    learners it starts) must run now, not wait in a queue the worker purges when it starts."""
    return {name: value for name, value in env.items() if name != "CELERY_BROKER_URL"}


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


def run_django_step(env: dict[str, str], step: str, *extra: str) -> tuple[object, str]:
    """Run this script in `step` mode in a subprocess (Django set up there): (its last line as JSON, the rest)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), f"--{step}", *extra],
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


def signed_in_sessions(users) -> list[tuple[str, str]]:
    """(session key, CSRF secret) per user: a session as a sign-in leaves it, stored (cached_db)."""
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from accounts.middleware import session_signed_in, session_touch
    from accounts.services import user_session_record

    sessions = []
    for user in users:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session_signed_in(session)
        session_touch(session)
        session.create()
        # Recorded as the sign-in's receiver does, or the first request would do it (and be slower).
        user_session_record(user_id=user.pk, session=session)
        session.save()
        sessions.append((session.session_key, _get_new_csrf_string()))
    return sessions


def benchmark_departments() -> list:
    """A city and its 25 departments: every learner belongs to one, so each progress change
    refreshes a real department summary (in the worker)."""
    from departments.models import Department

    city = Department.add_root(code="bench-city", name="基准市", name_en="Benchmark City", kind=Department.Kind.CITY)
    departments = []
    for n in range(1, DEPARTMENTS + 1):
        city.refresh_from_db()
        departments.append(city.add_child(code=f"bench-dept-{n:02d}", name=f"部门{n}", name_en=f"Department {n}"))
    return departments


def new_learners(prefix: str, count: int, departments: list) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    password = make_password(None)  # unusable: they never log in, their sessions are made
    user_model.objects.bulk_create(
        user_model(
            username=f"{prefix}{n:04d}",
            display_name=f"Learner {prefix} {n}",
            password=password,
            department=departments[n % len(departments)],
        )
        for n in range(1, count + 1)
    )
    return list(user_model.objects.filter(username__startswith=prefix).order_by("username"))


def right_fields(attempt) -> list[tuple[str, str]]:
    """The form fields that answer every question of the attempt right (full marks), from the
    versions it was drawn with, as a learner who knows them would fill the form."""
    fields: list[tuple[str, str]] = []
    for aq in attempt.questions.select_related("version").order_by("position"):
        spec, name = aq.version.spec, f"q{aq.position}"
        correct = [choice["key"] for choice in spec["choices"] if choice["correct"]]
        if spec["qtype"] in ("single", "truefalse"):
            fields.append((name, correct[0]))
        elif spec["qtype"] == "multiple":
            fields += [(f"{name}-present", "1")] + [(name, key) for key in correct]
        elif spec["qtype"] == "fillblank":
            fields.append((name, spec["accepted_answers"][0]))
        elif spec["qtype"] == "ordering":  # the right order is the order the choices are stored in
            fields += [(f"{name}-pos-{choice['key']}", str(n)) for n, choice in enumerate(spec["choices"], start=1)]
        else:
            raise RuntimeError(f"no right answer for a {spec['qtype']} question")
    return fields


def city_body(attempt, csrf: str, rng: random.Random, passing: bool) -> str:
    """The submit form's body for an attempt, built from its questions as the page would draw them
    (every answer right when `passing`, else any valid answer), without fetching 1,500 pages first."""
    from quizzes.selectors import attempt_questions_for_learner
    from quizzes.services import attempt_answers_version

    fields = [("csrfmiddlewaretoken", csrf), ("answers_version", str(attempt_answers_version(attempt.pk)))]
    if passing:
        fields += right_fields(attempt) + [("action", "submit")]
        return urlencode(fields)
    for question in attempt_questions_for_learner(attempt=attempt, responses={}):
        name, keys = f"q{question.position}", [option.key for option in question.options]
        if question.qtype in ("single", "truefalse"):
            fields.append((name, rng.choice(keys)))
        elif question.qtype == "multiple":
            fields += [(f"{name}-present", "1")] + [(name, key) for key in keys if rng.random() < 0.5]
        elif question.qtype == "fillblank":
            fields.append((name, rng.choice(["citizens", "the public", "nobody"])))
        elif question.qtype == "ordering":
            places = [str(n) for n in range(1, len(keys) + 1)]
            rng.shuffle(places)
            fields += [(f"{name}-pos-{key}", place) for key, place in zip(keys, places, strict=True)]
    fields.append(("action", "submit"))
    return urlencode(fields)


def prepare(scale: Scale, pass_share: float) -> None:
    """Both quizzes, the course placing the random-draw exam, the learners with their sessions and
    (burst and city) open attempts; prints them as JSON on the last line."""
    setup_django()
    import dataclasses

    from django.urls import reverse

    from courses.models import QuizStepPage
    from courses.services import course_start
    from quizzes.models import QuestionCategory, Quiz, QuizSlot
    from quizzes.services import attempt_start, question_create
    from tests.factories import build_course, build_site

    category = QuestionCategory.objects.create(name="Benchmark bank")
    questions = [question_create(spec=spec, category=category) for spec in question_specs()]
    quiz = Quiz.objects.create(title=QUIZ_TITLE, shuffle_choices=True, layout=Quiz.Layout.ALL_ON_ONE)
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=question, sort_order=index) for index, question in enumerate(questions)
    )

    # The random-draw exam: each learner gets 2 x 10 of 2 x 30 questions, choices shuffled.
    exam = Quiz.objects.create(
        title=RANDOM_QUIZ_TITLE, shuffle_choices=True, shuffle_questions=True, layout=Quiz.Layout.ALL_ON_ONE
    )
    for slot in range(2):
        bank = QuestionCategory.objects.create(name=f"Benchmark random bank {slot + 1}")
        for n, spec in enumerate(question_specs() * (RANDOM_BANK_SIZE // 20 + 1)):
            if n < RANDOM_BANK_SIZE:
                question_create(spec=dataclasses.replace(spec, stem=f"{spec.stem} ({slot + 1}.{n})"), category=bank)
        QuizSlot.objects.create(quiz=exam, random_category=bank, random_count=RANDOM_DRAW, sort_order=slot)
    # Each exam is the final-exam step of a course: passing the 20-question one completes its
    # course (progress, credit hours, a certificate whose PDF the worker draws).
    _home, catalogue = build_site()
    course = build_course(catalogue, steps=0, title=EXAM_COURSE_TITLE)
    step = QuizStepPage(title="Final exam", slug="final-exam", quiz=exam, kind=QuizStepPage.Kind.FINAL_EXAM)
    course.add_child(instance=step)
    submit_course = build_course(catalogue, steps=0, title=SUBMIT_COURSE_TITLE, slug="exam-day-end")
    submit_course.add_child(
        instance=QuizStepPage(title="Final exam", slug="final-exam", quiz=quiz, kind=QuizStepPage.Kind.FINAL_EXAM)
    )

    rng = random.Random(SEED)
    departments = benchmark_departments()
    starters = new_learners("start", scale.starts, departments)
    burst = new_learners("burst", scale.burst, departments)
    city = new_learners("city", scale.city, departments)
    # They started their course before exam day (its summaries are refreshed now: no broker here).
    for user in starters:
        course_start(user=user, course=course)
    for user in burst + city:
        course_start(user=user, course=submit_course)
    output = {
        "step_url": urlsplit(step.get_url()).path,
        "start_path": reverse("courses:quiz_start", args=[step.pk]),
        "start": [],
        "burst": [],
        "city": [],
    }
    for user, (session, csrf) in zip(starters, signed_in_sessions(starters), strict=True):
        output["start"].append([user.username, session, csrf])
    for user, (session, csrf) in zip(burst, signed_in_sessions(burst), strict=True):
        attempt = attempt_start(quiz=quiz, user=user, rng=rng)
        # A passer's right answers; the others fill the page's form with any valid answer.
        answers = right_fields(attempt) if rng.random() < pass_share else None
        output["burst"].append([user.username, attempt.pk, session, csrf, answers])
    for user, (session, csrf) in zip(city, signed_in_sessions(city), strict=True):
        attempt = attempt_start(quiz=quiz, user=user, rng=rng)
        body = city_body(attempt, csrf, rng, passing=rng.random() < pass_share)
        output["city"].append([user.username, attempt.pk, session, csrf, body])
    print(json.dumps(output))


def count() -> None:
    """Database check after the load, per phase; prints a JSON object as the last line."""
    setup_django()
    from django.db.models import Count, Q

    from quizzes.models import Attempt, AttemptGrade

    exam_attempts = Attempt.objects.filter(quiz__title=RANDOM_QUIZ_TITLE, user__username__startswith="start")
    per_learner = dict(
        exam_attempts.values("user__username").annotate(n=Count("pk")).values_list("user__username", "n")
    )
    result = {"start": {"attempts": exam_attempts.count(), "per_learner": per_learner}}
    submitted = Count("grades", filter=Q(grades__reason=AttemptGrade.Reason.SUBMITTED))
    for phase in ("burst", "city"):
        attempts = Attempt.objects.filter(quiz__title=QUIZ_TITLE, user__username__startswith=phase).annotate(
            submitted=submitted
        )
        result[phase] = {
            "attempts": attempts.count(),
            "open": list(attempts.filter(status=Attempt.Status.OPEN).values_list("pk", flat=True)),
            "graded": list(attempts.filter(submitted__gte=1).values_list("pk", flat=True)),
            "passed": attempts.filter(grades__reason=AttemptGrade.Reason.SUBMITTED, grades__passed=True).count(),
            "duplicates": attempts.filter(submitted__gt=1).count(),
        }
    from reports.models import SummaryRefreshDue

    # After the worker drained its queue, no department summary may still be waiting for a refresh.
    result["summary_refreshes_due"] = SummaryRefreshDue.objects.count()
    print(json.dumps(result))


def profile_one_submit() -> None:
    """One submit at a time through the real view (test client), by learners of the course whose
    final exam the quiz is: the median CPU time, wall time and SQL query count of several that
    fail (any valid answer) and several that pass (every answer right: the course is completed),
    then a cProfile of one more pass, with its SQL."""
    setup_django()
    import cProfile
    import io
    import pstats
    import statistics

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import QuizStepPage
    from courses.services import course_start
    from departments.models import Department
    from quizzes.models import AttemptGrade, Quiz
    from quizzes.services import attempt_start

    quiz = Quiz.objects.get(title=QUIZ_TITLE)
    # As in the load: a learner of a department who started the course whose final exam this is,
    # so the grade's receivers (progress, completion, hours, summaries) do all their work.
    course = QuizStepPage.objects.get(quiz=quiz).get_parent().specific
    department = Department.objects.filter(code__startswith="bench-dept-").first()
    run_id = secrets.token_hex(3)  # a kept database (--keep-db) can be profiled again
    profiler = cProfile.Profile()
    runs = 7
    figures: dict[str, float] = {}
    for outcome in ("failed", "passed", "profiled"):
        cpu, wall, queries = [], [], []
        for n in range(1 if outcome == "profiled" else runs + 1):  # a warm-up first
            user = get_user_model().objects.create(
                username=f"profile-{outcome}{n}-{run_id}", password=make_password(None), department=department
            )
            course_start(user=user, course=course)
            attempt = attempt_start(quiz=quiz, user=user, rng=random.Random(n))
            client = Client()
            client.force_login(user)
            page = client.get(f"/quiz/attempts/{attempt.pk}/").content.decode()
            right = None if outcome == "failed" else right_fields(attempt)
            body = form_answers(page, random.Random(n), right)
            with CaptureQueriesContext(connection) as captured:
                if outcome == "profiled":
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.thread_time()
                response = client.post(
                    f"/quiz/attempts/{attempt.pk}/submit/", body, content_type="application/x-www-form-urlencoded"
                )
                # CPU time of this thread: what the submit costs the worker whatever else the machine runs.
                spent_wall, spent_cpu = time.perf_counter() - started, time.thread_time() - cpu_started
                profiler.disable()
            if response.status_code != 302:
                raise SystemExit(f"profiled submit: HTTP {response.status_code}")
            grade = AttemptGrade.objects.get(attempt=attempt)
            if outcome != "failed" and not grade.passed:
                raise SystemExit(f"a submit with every answer right did not pass ({grade.percent} %)")
            if n > 0 or outcome == "profiled":
                cpu.append(spent_cpu * 1000)
                wall.append(spent_wall * 1000)
                queries.append(len(captured.captured_queries))
        figures[f"{outcome}_cpu_ms"] = statistics.median(cpu)
        figures[f"{outcome}_wall_ms"] = statistics.median(wall)
        figures[f"{outcome}_queries"] = max(queries)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(re.escape(str(ROOT)) + r"/(?!\.venv)", 30)  # our code
    stats.sort_stats("tottime").print_stats(15)
    print(stream.getvalue())
    print("The profiled (passing) submit's SQL:")
    for query in captured.captured_queries:
        print(f"  {query['sql'][:130]}")
    print(json.dumps(figures))


def profile_one_start() -> None:
    """cProfile of one press of Start on the random-draw exam through the real view (test client),
    by a learner of its course sitting on the step's page, with its CPU time and query count:
    the median of several presses (each a new learner), then one more under the profiler."""
    setup_django()
    import cProfile
    import io
    import pstats
    import statistics

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from courses.models import QuizStepPage
    from courses.services import course_start
    from departments.models import Department

    step = QuizStepPage.objects.select_related("quiz").get(quiz__title=RANDOM_QUIZ_TITLE)
    course = step.get_parent().specific
    department = Department.objects.filter(code__startswith="bench-dept-").first()
    start_path = reverse("courses:quiz_start", args=[step.pk])
    run_id = secrets.token_hex(3)  # a kept database (--keep-db) can be profiled again
    profiler, page_profiler = cProfile.Profile(), cProfile.Profile()
    cpu, queries, database, page_cpu, page_queries = [], [], [], [], []
    runs = 7
    for n in range(runs + 2):  # a warm-up, the timed ones, the profiled one
        user = get_user_model().objects.create(
            username=f"profile-start{n}-{run_id}", password=make_password(None), department=department
        )
        course_start(user=user, course=course)
        client = Client()
        client.force_login(user)
        client.get(step.get_url())
        with CaptureQueriesContext(connection) as captured:
            if n == runs + 1:
                profiler.enable()
            cpu_started = time.thread_time()
            response = client.post(start_path)
            spent = time.thread_time() - cpu_started
            profiler.disable()
        if response.status_code != 302 or "/quiz/attempts/" not in response["Location"]:
            raise SystemExit(f"profiled start: HTTP {response.status_code}")
        # The exam page the Start redirects to: the other half of "open" in the load test.
        with CaptureQueriesContext(connection) as page_captured:
            if n == runs + 1:
                page_profiler.enable()
            cpu_started = time.thread_time()
            page = client.get(response["Location"])
            page_spent = time.thread_time() - cpu_started
            page_profiler.disable()
        if page.status_code != 200:
            raise SystemExit(f"profiled exam page: HTTP {page.status_code}")
        if 0 < n <= runs:
            cpu.append(spent * 1000)
            queries.append(len(captured.captured_queries))
            database.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
            page_cpu.append(page_spent * 1000)
            page_queries.append(len(page_captured.captured_queries))
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(r"courses|quizzes|accounts|reports", 20)
    stats.sort_stats("tottime").print_stats(15)
    stream.write("The exam page after Start:\n")
    page_stats = pstats.Stats(page_profiler, stream=stream)
    page_stats.sort_stats("cumulative").print_stats(r"courses|quizzes|accounts|config|templates", 20)
    page_stats.sort_stats("tottime").print_stats(15)
    print(stream.getvalue())
    print(
        json.dumps(
            {
                "page_cpu_ms": statistics.median(page_cpu),
                "page_queries": max(page_queries),
                "cpu_ms": statistics.median(cpu),
                "cpu_all_ms": sorted(round(value, 1) for value in cpu),
                "queries": max(queries),
                "database_ms": statistics.median(database),
            }
        )
    )


def records_verify(env: dict[str, str]) -> tuple[int | None, str]:
    """`manage.py records_verify`: (the number of mismatches, 0 when every derived record matches
    the raw facts, or None when it could not say; its output)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "records_verify"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    output = (result.stdout + result.stderr).strip()
    print(f"  manage.py records_verify: {time.perf_counter() - started:.1f} s")
    if result.returncode == 0:
        return 0, output
    match = re.search(r"(\d+) mismatches", output)
    return (int(match.group(1)) if match else None), output


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


def server_times(log_dir: Path, phases: dict[int, str]) -> dict[tuple[str, int], list[float]]:
    """Seconds each submit POST spent in a worker, by (phase of its attempt, response status)."""
    times: dict[tuple[str, int], list[float]] = {}
    with contextlib.suppress(FileNotFoundError), (log_dir / "access.log").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            match = SUBMIT_PATH.match(parts[1]) if len(parts) == 4 and parts[0] == "POST" else None
            if match:
                key = (phases.get(int(match.group(1)), "other"), int(parts[2]))
                times.setdefault(key, []).append(int(parts[3]) / 1e6)
    return times


def celery_errors(log_path: Path) -> list[str]:
    """The worker's ERROR and CRITICAL lines (a task that failed), none when there was no worker."""
    with contextlib.suppress(FileNotFoundError), log_path.open(encoding="utf-8", errors="replace") as lines:
        return [line.rstrip() for line in lines if "ERROR" in line or "CRITICAL" in line]
    return []


def celery_tasks_done(log_path: Path) -> dict[str, int]:
    """How many jobs of each task the worker finished (its INFO lines "Task <name>[id] succeeded")."""
    done: dict[str, int] = {}
    with contextlib.suppress(FileNotFoundError), log_path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            found = re.search(r"Task ([\w.]+)\[[^\]]+\] succeeded", line)
            if found:
                done[found.group(1)] = done.get(found.group(1), 0) + 1
    return done


def server_messages(log_dir: Path) -> list[str]:
    """gunicorn's and Django's log lines, less the request log's INFO lines (config.logs, JSON) and
    the expected warning for each refused repeat (409)."""
    unexpected = []
    with contextlib.suppress(FileNotFoundError), (log_dir / "gunicorn.log").open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict):
                record = {"message": line}
            if record.get("level") == "INFO" or not line.strip():
                continue
            if not str(record.get("message")).startswith("Conflict: /quiz/attempts/"):
                unexpected.append(line.rstrip())
    return unexpected


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


def form_answers(page: str, rng: random.Random, right: list[tuple[str, str]] | None = None) -> str:
    """The submit form's body with a valid (random) answer to every question on the page, or with
    the `right` answers (right_fields) and the page's own hidden fields."""
    parser = QuizFormFields()
    parser.feed(page)
    if right is not None:
        hidden = [(name, value) for kind, name, value in parser.inputs if kind == "hidden"]
        present = {name for name, _ in right if name.endswith("-present")}
        return urlencode([pair for pair in hidden if pair[0] not in present] + right + [("action", "submit")])
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
    session: str
    csrf: str
    attempt_id: int | None = None
    body: str = ""
    right_answers: list | None = None  # burst: the form fields of a passer (right_fields), else None
    questions: int = 0
    status: int | None = None  # of the measured request (the start's POST, or the submit)
    seconds: float | None = None  # the measured latency
    post_seconds: float | None = None  # start: the POST alone, without the attempt page
    repeat_status: int | None = None
    repeat_seconds: float | None = None
    error: str = ""

    def browser(self, port: int) -> Browser:
        return Browser(port, cookies={"sessionid": self.session, "csrftoken": self.csrf})


def timed_post(browser: Browser, path: str, body: str) -> tuple[int | None, float, str]:
    started = time.perf_counter()
    try:
        status, location, _ = browser.post_form(path, body)
    except (OSError, http.client.HTTPException) as error:
        return None, time.perf_counter() - started, str(error)
    return status, time.perf_counter() - started, location


def wait(barrier: threading.Barrier, learner: Learner) -> bool:
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT)
    except threading.BrokenBarrierError:
        learner.error = learner.error or f"{learner.username}: barrier broken"
        return False
    return True


def start_session(
    learner: Learner, port: int, step_url: str, start_path: str, barriers: tuple[threading.Barrier, ...]
) -> None:
    """Sit on the quiz step page; at the barrier press Start and open the exam; then press Start again."""
    browser = learner.browser(port)
    try:
        with PREPARE_AT_ONCE:
            status, location, _page = browser.request("GET", step_url)
        if status not in (200, 302):
            raise RuntimeError(f"step page: HTTP {status} {location}".rstrip())
    except (OSError, http.client.HTTPException, RuntimeError) as error:
        learner.error = f"{learner.username}: {error}"
    body = urlencode({"csrfmiddlewaretoken": learner.csrf})
    for wave, barrier in enumerate(barriers[:2]):
        if not wait(barrier, learner) or learner.error:
            continue  # still meet the others at the next barrier
        started = time.perf_counter()
        status, seconds, location = timed_post(browser, start_path, body)
        match = ATTEMPT_PATH.match(urlsplit(location).path) if status == 302 else None
        if wave == 1:
            learner.repeat_status, learner.repeat_seconds = status, seconds
            if match is None or int(match.group(1)) != learner.attempt_id:
                learner.error = f"{learner.username}: start again: HTTP {status} {location}".rstrip()
            continue
        learner.status, learner.post_seconds = status, seconds
        if match is None:
            learner.error = f"{learner.username}: start HTTP {status} {location}".rstrip()
            continue
        learner.attempt_id = int(match.group(1))
        try:
            page_status, _location, page = browser.request("GET", urlsplit(location).path)
        except (OSError, http.client.HTTPException) as error:
            learner.error = f"{learner.username}: attempt page: {error}"
            continue
        learner.seconds = time.perf_counter() - started
        learner.questions = len(re.findall(r'<fieldset class="question', page))
        if page_status != 200:
            learner.error = f"{learner.username}: attempt page HTTP {page_status}"
    wait(barriers[2], learner)


def burst_session(learner: Learner, port: int, barriers: tuple[threading.Barrier, ...]) -> None:
    """Open the attempt, then submit together with everyone else, then repeat the submit."""
    browser = learner.browser(port)
    submit_path = f"/quiz/attempts/{learner.attempt_id}/submit/"
    try:
        with PREPARE_AT_ONCE:
            status, location, page = browser.request("GET", f"/quiz/attempts/{learner.attempt_id}/")
        if status != 200:
            raise RuntimeError(f"attempt page: HTTP {status} {location}".rstrip())
        learner.questions = len(re.findall(r'<fieldset class="question', page))
        learner.body = form_answers(page, random.Random(f"{SEED}-{learner.username}"), learner.right_answers)
    except (OSError, http.client.HTTPException, RuntimeError) as error:
        learner.error = f"{learner.username}: {error}"
    for wave, barrier in enumerate(barriers[:2]):
        if not wait(barrier, learner) or learner.error:
            continue
        status, seconds, detail = timed_post(browser, submit_path, learner.body)
        if wave == 0:
            learner.status, learner.seconds = status, seconds
            if status != 302 or not urlsplit(detail).path.endswith("/review/"):
                learner.error = f"{learner.username}: submit HTTP {status} {detail}".rstrip()
        else:
            learner.repeat_status, learner.repeat_seconds = status, seconds
            if status != 409:
                learner.error = f"{learner.username}: repeated submit HTTP {status} {detail}".rstrip()
    wait(barriers[2], learner)


def run_waves(learners: list[Learner], target, *arguments) -> float:
    """Each learner in its own thread through two waves: barrier 0 releases the first (everyone
    ready), barrier 1 the second (every first-wave request answered), barrier 2 marks the end.
    Returns the first wave's wall time."""
    barriers = tuple(threading.Barrier(len(learners) + 1) for _ in range(3))
    threads = [
        threading.Thread(target=target, args=(learner, *arguments, barriers), daemon=True) for learner in learners
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    barriers[0].wait(timeout=BARRIER_TIMEOUT)  # everyone has the page
    wave_started = time.perf_counter()
    print(f"  {len(learners)} learners ready in {wave_started - started:.1f} s")
    barriers[1].wait(timeout=BARRIER_TIMEOUT)  # every request of the first wave has its answer
    wave_seconds = time.perf_counter() - wave_started
    barriers[2].wait(timeout=BARRIER_TIMEOUT)  # ... and of the second
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT)
    return wave_seconds


def run_city(port: int, learners: list[Learner], seconds: float) -> float:
    """Open loop: every submit has a send time fixed in advance (uniform over `seconds`); a client
    thread sends it when due, and its latency is counted from that time, whether or not a thread
    was free then. Returns the wall time from the first send time to the last answer."""
    rng = random.Random(f"{SEED}-city")
    offsets = sorted(rng.uniform(0, seconds) for _ in learners)
    jobs: queue.Queue = queue.Queue()

    def sender() -> None:
        while (job := jobs.get()) is not None:
            learner, scheduled = job
            status, _seconds, detail = timed_post(
                learner.browser(port), f"/quiz/attempts/{learner.attempt_id}/submit/", learner.body
            )
            learner.status, learner.seconds = status, time.perf_counter() - scheduled
            if status != 302 or not urlsplit(detail).path.endswith("/review/"):
                learner.error = f"{learner.username}: submit HTTP {status} {detail}".rstrip()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(CITY_THREADS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter() + 0.5
    for learner, offset in zip(learners, offsets, strict=True):
        scheduled = began + offset
        time.sleep(max(0.0, scheduled - time.perf_counter()))
        jobs.put((learner, scheduled))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(timeout=SOCKET_TIMEOUT * 2 + seconds)
    return time.perf_counter() - began


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


def lost_submits(learners: list[Learner], database: dict) -> int:
    """Submits that got no success and left no grade, and attempts still open (each counted once)."""
    graded = set(database["graded"])
    failed = {learner.attempt_id for learner in learners if learner.status != 302 and learner.attempt_id not in graded}
    return len(failed | set(database["open"]))


def report(
    scale: Scale,
    phases: dict[str, list[Learner]],
    walls: dict[str, float],
    server: dict[tuple[str, int], list[float]],
    database: dict,
    workers: str,
) -> None:
    start, burst, city = phases["start"], phases["burst"], phases["city"]
    print()
    print(f"Exam day, gunicorn {workers}")

    opened = [learner.seconds for learner in start if learner.seconds is not None and not learner.error]
    per_learner = database["start"]["per_learner"]
    start_duplicates = sum(1 for learner in start if per_learner.get(learner.username, 0) > 1)
    start_lost = sum(1 for learner in start if per_learner.get(learner.username, 0) == 0)
    print(f"Start: {len(start)} learners open the random-draw exam ({start[0].questions} questions drawn) at once")
    print(latency_row("open (Start pressed -> exam page)", opened))
    print(latency_row("the Start POST alone", [x.post_seconds for x in start if x.post_seconds is not None]))
    print(latency_row("Start pressed again (resumes)", [x.repeat_seconds for x in start if x.repeat_status == 302]))
    print(f"  wave wall time {walls['start'] * 1000:.0f} ms; database: {database['start']['attempts']} attempts,")
    print(f"  learners with more than one: {start_duplicates}, with none: {start_lost}")

    submits = [learner.seconds for learner in burst if learner.status == 302]
    repeats = [learner.repeat_seconds for learner in burst if learner.repeat_status == 409]
    worker = server.get(("burst", 302), [])
    burst_lost = lost_submits(burst, database["burst"])
    print(f"End: {len(burst)} learners submit {burst[0].questions} questions each at one instant")
    print(latency_row("submit, client (to full response)", submits))
    print(latency_row("submit, inside the worker", worker))
    print(latency_row("repeated submit (409), client", repeats))
    print(latency_row("repeated submit, inside the worker", server.get(("burst", 409), [])))
    print(
        f"  wave wall time {walls['burst'] * 1000:.0f} ms ({len(submits) / walls['burst']:.1f} submits/s);"
        f" accepted {len(submits)}, repeats refused {len(repeats)}"
    )
    print(
        f"  database: {len(database['burst']['graded'])} of {database['burst']['attempts']} graded,"
        f" ({database['burst']['passed']} passed), {len(database['burst']['open'])} open,"
        f" {database['burst']['duplicates']} duplicates, {burst_lost} lost"
    )

    city_ok = [learner.seconds for learner in city if learner.status == 302]
    city_all = [learner.seconds for learner in city if learner.seconds is not None]
    city_lost = lost_submits(city, database["city"])
    print(
        f"City minute: {len(city)} submits open-loop over {scale.city_seconds:.0f} s"
        f" ({len(city) / scale.city_seconds:.0f}/s on average)"
    )
    print(latency_row("submit, from its scheduled time", city_all))
    print(latency_row("submit, inside the worker", server.get(("city", 302), [])))
    print(
        f"  wall time {walls['city']:.1f} s; accepted {len(city_ok)}; database:"
        f" {len(database['city']['graded'])} of {database['city']['attempts']} graded,"
        f" ({database['city']['passed']} passed), {len(database['city']['open'])} open,"
        f" {database['city']['duplicates']} duplicates, {city_lost} lost"
    )

    errors = [learner.error for group in (start, burst, city) for learner in group if learner.error]
    print(f"Client-side errors: {len(errors)}")
    for message in errors[:10]:
        print(f"  {message}")
    # Start and burst: p95 over the successful requests; the city minute: over every submit sent,
    # a failed one with its time to failure. Every failure is listed above (and counted as lost
    # when it left no attempt or no grade).
    figures = {
        "start_p95_ms": percentile_ms(opened, 95),
        "burst_p95_ms": percentile_ms(submits, 95),
        "worker_p50_ms": percentile_ms(worker, 50),
        "city_minute_p95_ms": percentile_ms(city_all, 95),
    }
    targets = {
        "start_p95_ms": START_P95_TARGET_MS,
        "burst_p95_ms": BURST_P95_TARGET_MS,
        "worker_p50_ms": WORKER_P50_TARGET_MS,
        "city_minute_p95_ms": CITY_P95_TARGET_MS,
    }
    for name, value in figures.items():
        verdict = "met" if value <= targets[name] else "MISSED"
        print(f"  target {name} <= {targets[name]:.0f}: {value:.1f} {verdict}")
    duplicates = start_duplicates + database["burst"]["duplicates"] + database["city"]["duplicates"]
    lost = start_lost + burst_lost + city_lost
    line = " ".join(f"{name}={value:.1f}" for name, value in figures.items())
    print(f"{line} duplicates={duplicates} lost={lost}")


# ---------------------------------------------------------------------------- main


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: 20 starts, 10 submits, 100 over 10 s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--redis-url", help="cache (and sessions) in Redis (REDIS_URL) instead of per-process memory")
    parser.add_argument("--profile", action="store_true", help="also cProfile one extra submit in-process")
    parser.add_argument(
        "--pass-share",
        type=float,
        default=PASS_SHARE,
        help=f"share of the burst's and the city's learners who answer right and pass (default {PASS_SHARE})",
    )
    parser.add_argument(
        "--profile-start", action="store_true", help="also cProfile one press of Start on the exam in-process"
    )
    broker = parser.add_mutually_exclusive_group()
    broker.add_argument("--broker-url", default=BROKER_URL, help=f"Celery broker (default {BROKER_URL})")
    broker.add_argument("--eager", action="store_true", help="no broker: tasks run inside the requests (no worker)")
    # Internal steps, run in subprocesses with Django set up.
    for step in ("prepare", "count", "profile-submit", "profile-start-step"):
        parser.add_argument(f"--{step}", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.workers < 1 or arguments.threads < 1:
        parser.error("--workers and --threads must be positive")
    if not 0 <= arguments.pass_share <= 1:
        parser.error("--pass-share must be between 0 and 1")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    scale = QUICK if arguments.quick else FULL
    if arguments.prepare:
        prepare(scale, arguments.pass_share)
        return
    for step, function in (
        ("count", count),
        ("profile_submit", profile_one_submit),
        ("profile_start_step", profile_one_start),
    ):
        if getattr(arguments, step):
            function()
            return

    temp_dir = Path(tempfile.mkdtemp(prefix="egov-bench-quiz-"))
    media_root = temp_dir / "media"
    media_root.mkdir()
    created_database = False
    walls: dict[str, float] = {}
    broker_url = None if arguments.eager else arguments.broker_url
    try:
        print(f"Recreating database {BENCH_DATABASE}")
        recreate_database()
        created_database = True
        env = django_env(str(media_root), arguments.redis_url, broker_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        prepared, _ = run_django_step(
            eager(env),
            "prepare",
            f"--pass-share={arguments.pass_share}",
            *(["--quick"] if arguments.quick else []),
        )
        phases = {
            "start": [Learner(name, session, csrf) for name, session, csrf in prepared["start"]],
            "burst": [
                Learner(name, session, csrf, attempt, right_answers=answers)
                for name, attempt, session, csrf, answers in prepared["burst"]
            ],
            "city": [
                Learner(name, session, csrf, attempt, body) for name, attempt, session, csrf, body in prepared["city"]
            ],
        }
        print(f"  learners: {', '.join(f'{len(group)} {name}' for name, group in phases.items())}")
        with contextlib.ExitStack() as worker:
            if broker_url:
                print("Starting the Celery worker")
                worker.enter_context(running_celery(env, temp_dir / "celery.log"))
            else:
                print("No broker (--eager): tasks run inside the requests")
            print("Starting gunicorn")
            with running_gunicorn(env, arguments.workers, arguments.threads, temp_dir) as port:
                print("Start: the random-draw exam")
                walls["start"] = run_waves(
                    phases["start"], start_session, port, prepared["step_url"], prepared["start_path"]
                )
                print("End: the burst")
                walls["burst"] = run_waves(phases["burst"], burst_session, port)
                print(f"The city's last minute ({scale.city_seconds:.0f} s)")
                walls["city"] = run_city(port, phases["city"], scale.city_seconds)
            if broker_url:
                drained = wait_for_worker(broker_url, timeout=DRAIN_TIMEOUT)
                print(f"  the worker drained its queue {drained:.1f} s after the last request")
            # In-process profiles against the same broker: their tasks are only enqueued, as a request's are.
            profile = run_django_step(env, "profile-submit") if arguments.profile else None
            start_profile = run_django_step(env, "profile-start-step") if arguments.profile_start else None
            if broker_url:
                wait_for_worker(broker_url)
            mismatches, verify_output = records_verify(env)
        attempt_phase = {learner.attempt_id: name for name in ("burst", "city") for learner in phases[name]}
        server, messages = server_times(temp_dir, attempt_phase), server_messages(temp_dir)  # gunicorn has stopped
        database, _ = run_django_step(env, "count")
        worker_errors = celery_errors(temp_dir / "celery.log")
        tasks_done = celery_tasks_done(temp_dir / "celery.log")
    finally:
        if created_database and not arguments.keep_db:
            drop_database()
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(temp_dir, ignore_errors=True)
    if messages:
        print(f"gunicorn/Django log ({len(messages)} unexpected lines, first 20):")
        print("\n".join(messages[:20]))
    if tasks_done:
        print("Jobs the Celery worker ran: " + ", ".join(f"{name} {n}" for name, n in sorted(tasks_done.items())))
    print(f"Department summaries still marked due after the drain: {database['summary_refreshes_due']}")
    if worker_errors:
        print(f"Celery worker log ({len(worker_errors)} errors, first 10):")
        print("\n".join(worker_errors[:10]))
    if profile:
        figures, text = profile
        print(text)
        print(
            "One submit at a time in-process (test client; medians of 7, CPU time of this process):"
            f" a fail {figures['failed_cpu_ms']:.1f} ms CPU, {figures['failed_wall_ms']:.1f} ms in all,"
            f" {figures['failed_queries']:.0f} SQL queries; a pass (the course completed)"
            f" {figures['passed_cpu_ms']:.1f} ms CPU, {figures['passed_wall_ms']:.1f} ms in all,"
            f" {figures['passed_queries']:.0f} SQL queries ({figures['profiled_wall_ms']:.1f} ms under cProfile)"
        )
    if start_profile:
        figures, text = start_profile
        print(text)
        print(
            f"One press of Start in-process (test client, one at a time, a learner of the course):"
            f" {figures['cpu_ms']:.1f} ms CPU (median; {figures['cpu_all_ms']}),"
            f" {figures['queries']} SQL queries taking {figures['database_ms']:.1f} ms;"
            f" the exam page it opens: {figures['page_cpu_ms']:.1f} ms CPU (median),"
            f" {figures['page_queries']} SQL queries"
        )
    print(
        "Derived records (records_verify): "
        + ("every one matches the raw facts" if mismatches == 0 else f"{mismatches} MISMATCHES")
    )
    if mismatches:
        print("\n".join(verify_output.splitlines()[:20]))
    report(scale, phases, walls, server, database, f"{arguments.workers}x{arguments.threads}")


if __name__ == "__main__":
    main()
