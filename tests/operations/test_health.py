"""Issue 16 item 1: /health/live and /health/ready for load balancers and monitoring."""

import datetime
import os

import pytest
from django.core.cache import cache
from django.utils import timezone

from operations import health
from tests.conftest import skip_or_fail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERY_CHECK = {"database", "migrations", "cache", "broker", "media_storage", "private_storage", "beat"}


@pytest.fixture
def with_broker(settings):
    """Celery as in production (a broker, not eager); returns a function that points it at a URL."""

    def point_at(url: str):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url

    return point_at


def _closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_live_answers_without_login_uncached_and_without_a_cookie(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_ready_runs_every_check_and_says_ok(client, file_roots):
    response = client.get("/health/ready")
    body = response.json()
    assert response.status_code == 200, body
    assert body == {"status": "ok", "checks": dict.fromkeys(EVERY_CHECK, "ok")}
    assert "max-age=0" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert not list(file_roots[1].rglob("*.txt")), "the probe file is deleted"


def test_ready_is_json_whatever_the_client_accepts(client, file_roots):
    for accept in ("text/html", "text/plain", "nonsense;;", "application/xml"):
        response = client.get("/health/ready", HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response["Content-Type"] == "application/json", accept


def test_a_private_storage_that_cannot_be_written_makes_ready_fail(client, file_roots, settings):
    blocker = file_roots[0].parent / "a-file"
    blocker.write_text("not a directory")
    settings.PRIVATE_ROOT = blocker / "private"
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["private_storage"] != "ok"
    assert {name for name, value in body["checks"].items() if value != "ok"} == {"private_storage"}
    assert str(settings.PRIVATE_ROOT) not in response.content.decode(), "no path is revealed"


def test_a_broker_that_does_not_answer_and_an_unseen_beat_make_ready_fail(client, file_roots, with_broker):
    with_broker(_closed_port_url())
    cache.delete(health.BEAT_SEEN_KEY)
    response = client.get("/health/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("Celery broker unreachable")
    assert checks["beat"] == "Celery beat has not been seen (its beat_alive job never ran)"
    assert "127.0.0.1" not in response.content.decode()


def test_the_real_broker_answers_when_there_is_one(client, file_roots, with_broker):
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        skip_or_fail("needs a broker: set CELERY_BROKER_URL")
    with_broker(url)
    health.beat_seen_now()
    checks = client.get("/health/ready").json()["checks"]
    assert checks["broker"] == "ok" and checks["beat"] == "ok"


def test_beat_is_seen_for_three_intervals_after_its_job_ran(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(health.BEAT_SEEN_KEY)
    assert "never ran" in health.beat_problem()
    from operations.tasks import beat_alive

    beat_alive.apply()
    now = timezone.now()
    assert health.beat_problem(now) is None
    assert health.beat_problem(now + datetime.timedelta(seconds=179)) is None
    assert health.beat_problem(now + datetime.timedelta(seconds=200)) == "Celery beat last seen 200 s ago"


def test_beat_alive_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-alive"]
    assert entry == {"task": "operations.beat_alive", "schedule": float(health.BEAT_ALIVE_SECONDS)}


def test_beat_sends_beat_alive_as_it_starts(monkeypatch):
    """Not one interval later: a freshly started site is ready as soon as a worker ran the job."""
    from celery.signals import beat_init

    from config.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, *args, **kwargs: sent.append(name))
    beat_init.send(sender=type("Service", (), {"app": app})())
    assert sent == ["operations.beat_alive"]


def test_unapplied_migrations_make_ready_fail(client, file_roots, monkeypatch):
    assert health.unapplied_migrations() == []
    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["quizzes.0099_future"])
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "migrations not applied"
    assert "0099" not in response.content.decode()


def test_a_signed_in_person_gets_the_same_answer_and_nothing_about_them(client, file_roots):
    person = UserFactory(username="zhangsan", display_name="张三")
    client.force_login(person)
    response = client.get("/health/ready")
    text = response.content.decode()
    assert response.status_code == 200
    assert "zhangsan" not in text and "张三" not in text and str(person.pk) not in response.json()["checks"].values()


def test_only_get(client):
    assert client.post("/health/live").status_code == 405
