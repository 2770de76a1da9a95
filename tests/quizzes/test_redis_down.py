"""Issue 12 "Hardening", item 5: grading depends on neither the Celery broker nor the cache.

A private redis-server is both the broker and the cache. With it stopped, a learner autosaves and
submits: the grade is committed and the learner is sent to the result, and the side effects
(the certificate's PDF, the report refreshes) wait in the outbox. With it back, the outbox is
drained into the broker and a real worker runs each job exactly once.

Needs PostgreSQL (DATABASE_URL) and redis-server on the PATH; skips (or fails under
REQUIRE_SERVICES) without them."""

import json
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest
from celery.signals import task_postrun
from django.db import connections
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import needs_render
from config.celery import app as celery_app
from courses.models import QuizStepPage
from courses.services import step_complete
from outbox.models import OutboxJob
from outbox.services import outbox_drain
from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from quizzes.services import attempt_answers_version, attempt_start
from tests.conftest import skip_or_fail
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz, right_answers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes"],
            check=True, capture_output=True,
        )
        for _ in range(100):
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def ping(self) -> bool:
        done = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return done.stdout.strip() == "PONG"

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        for _ in range(100):
            if not self.ping():
                return
            time.sleep(0.05)


@pytest.fixture
def private_redis():
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        skip_or_fail("needs redis-server and redis-cli")
    redis = PrivateRedis(_free_port())
    redis.start()
    yield redis
    redis.stop()


def _reset_producers():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def ran_tasks():
    """Names of the tasks a worker finished, in this process."""
    ran: list[str] = []

    def record(sender=None, **_kwargs):
        ran.append(sender.name)
        connections.close_all()  # the worker thread's own database connection

    task_postrun.connect(record, weak=False)
    yield ran
    task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_down_the_grade_is_committed_and_side_effects_run_once_it_is_back(
    require_postgres, private_redis, catalogue, client, ran_tasks, settings, file_roots, monkeypatch
):
    # The course and the learner's way to its final exam are set up with eager tasks, as usual.
    course = build_course(catalogue, steps=1, sequential=True, slug="broker-down")
    step = course.add_child(
        instance=QuizStepPage(title="结业测验", slug="final", quiz=make_quiz(pass_mark_percent=60), kind="final_exam")
    )
    learner = UserFactory()
    step_complete(user=learner, step=course_steps(course)[0])
    attempt = attempt_start(quiz=step.quiz, user=learner)
    answers = right_answers(attempt)
    # Celery reads the CELERY_BROKER_URL environment variable before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", f"{private_redis.url}/0")
    _run_with_redis(private_redis, settings, client, learner, attempt, answers, ran_tasks)


def _run_with_redis(redis, settings, client, learner, attempt, answers, ran_tasks):
    cache = {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": f"{redis.url}/1",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": cache, "renditions": {**cache, "KEY_PREFIX": "renditions"}}
    settings.CELERY_BROKER_URL = f"{redis.url}/0"
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=settings.CELERY_BROKER_URL, task_always_eager=False)
    _reset_producers()
    try:
        client.force_login(learner)  # the session is in Redis (cached_db) and the database
        redis.stop()

        # Autosave and submit with neither broker nor cache.
        first, *rest = sorted(answers)
        saved_response = client.post(
            reverse("quizzes:autosave", args=[attempt.pk]),
            data=json.dumps({"answers": {first: answers[first]}}),
            content_type="application/json",
        )
        assert saved_response.status_code == 200 and saved_response.json()["saved"] == 1
        form = {"action": "submit", "answers_version": str(attempt_answers_version(attempt.pk))}
        for position in rest:
            answer = answers[position]
            if "choice" in answer:
                form[f"q{position}"] = answer["choice"]
            elif "choices" in answer:
                form[f"q{position}"] = answer["choices"]
            elif "text" in answer:
                form[f"q{position}"] = answer["text"]
            else:
                for number, key in enumerate(answer["order"], start=1):
                    form[f"q{position}-pos-{key}"] = str(number)
        started = time.monotonic()
        response = client.post(reverse("quizzes:submit", args=[attempt.pk]), form)
        assert time.monotonic() - started < 10  # a dead broker does not hold the learner for long
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("quizzes:review", args=[attempt.pk]))
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.GRADED
        grade = AttemptGrade.objects.get(attempt=attempt)
        assert grade.passed and grade.percent == 100
        assert SavedAnswer.objects.filter(attempt_question__attempt=attempt).count() == len(answers)
        result = client.get(response["Location"])
        assert result.status_code == 200 and "100" in result.content.decode()

        # The side effects wait in the outbox: the certificate's PDF among them.
        certificate = Certificate.objects.get(user=learner)
        assert needs_render(certificate)
        waiting = Counter(OutboxJob.objects.values_list("task_name", flat=True))
        assert waiting["certificates.tasks.render_certificate_pdf"] == 1, waiting
        assert outbox_drain() == 0  # the broker is still down: nothing is lost either
        assert Counter(OutboxJob.objects.values_list("task_name", flat=True)) == waiting

        # Redis is back: the drain hands every job to the broker once, and a worker runs them.
        redis.start()
        _reset_producers()
        assert outbox_drain() == sum(waiting.values())
        assert not OutboxJob.objects.exists()
        assert outbox_drain() == 0
        _run_worker_until(lambda: len(ran_tasks) >= sum(waiting.values()))
        assert Counter(ran_tasks) == waiting
        certificate.refresh_from_db()
        assert not needs_render(certificate)
    finally:
        celery_app.conf.update(saved)
        _reset_producers()


def _run_worker_until(done, timeout: float = 60.0):
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # anything sent twice would run now
    assert done(), "the worker did not run the drained jobs"
