"""Issue 16 item 7: `manage.py doctor` says plainly what is wrong with a production configuration."""

import io

import pytest
from django.core.management import CommandError, call_command

from operations import doctor, health

pytestmark = pytest.mark.django_db

GOOD_KEY = "k3J9-vQ2_xR8mZ4tL6pW1nB7cF5hD0sA-yE3gU9iO2qT8rV6wX4zM1"


@pytest.fixture
def production_like(settings, file_roots, monkeypatch):
    """A configuration with nothing wrong; each test spoils one thing."""
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD_KEY
    settings.ALLOWED_HOSTS = ["training.example.gov.cn"]
    settings.SITE_BASE_URL = "https://training.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "training@example.gov.cn"
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    # The broker and beat are asked of operations.health, tested against real ones there.
    monkeypatch.setattr(health, "broker_problem", lambda: None)
    monkeypatch.setattr(health, "beat_problem", lambda now=None: None)
    monkeypatch.setattr(doctor.settings, "DATABASES", {"default": {"ENGINE": "django.db.backends.postgresql"}})
    return settings


def run_doctor() -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), False
    return out.getvalue(), True


def test_a_sound_configuration_passes(production_like):
    text, passed = run_doctor()
    assert passed, text
    assert "No problem found (0 warning(s))." in text


@pytest.mark.parametrize(
    "spoil, expected",
    [
        ({"DEBUG": True}, "PROBLEM  debug: DEBUG is on"),
        ({"SECRET_KEY": ""}, "PROBLEM  secret key: DJANGO_SECRET_KEY is not set."),
        ({"SECRET_KEY": "dev-only-insecure-key-never-use-in-production"}, "a development or test key"),
        ({"SECRET_KEY": "short-key"}, "DJANGO_SECRET_KEY is weak"),
        ({"SECRET_KEY": "a" * 60}, "DJANGO_SECRET_KEY is weak"),
        ({"ALLOWED_HOSTS": ["*"]}, "DJANGO_ALLOWED_HOSTS contains '*'"),
        ({"SITE_BASE_URL": ""}, "SITE_BASE_URL is not set: certificates would print a verification link"),
        ({"SITE_BASE_URL": "http://training.example.gov.cn"}, "not https"),
        ({"SITE_BASE_URL": "https://localhost"}, "SITE_BASE_URL points to localhost"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "E-mail is not configured (the console"),
        ({"DEFAULT_FROM_EMAIL": "training@localhost"}, "DEFAULT_FROM_EMAIL is a localhost address"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE 'Mars/Olympus' is not a known time zone."),
        ({"USE_TZ": False}, "USE_TZ is off"),
        ({"CELERY_TASK_ALWAYS_EAGER": True}, "CELERY_BROKER_URL is not set"),
    ],
)
def test_each_problem_is_named_and_fails_the_command(production_like, spoil, expected):
    for name, value in spoil.items():
        setattr(production_like, name, value)
    text, passed = run_doctor()
    assert not passed
    assert expected in text
    assert "1 problem(s)" in text, text


def test_a_time_zone_other_than_shanghai_is_a_warning_only(production_like):
    production_like.TIME_ZONE = "Asia/Urumqi"
    text, passed = run_doctor()
    assert passed and "WARNING  time zone: TIME_ZONE is Asia/Urumqi" in text


def test_a_cache_that_is_not_shared_is_a_warning(production_like):
    production_like.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    text, passed = run_doctor()
    assert passed and "WARNING  cache" in text


def test_a_stopped_beat_an_unwritable_private_storage_and_missing_migrations_are_problems(
    production_like, monkeypatch, file_roots
):
    monkeypatch.setattr(health, "beat_problem", lambda now=None: "Celery beat last seen 900 s ago")
    blocker = file_roots[0].parent / "a-file"
    blocker.write_text("")
    production_like.PRIVATE_ROOT = blocker / "private"
    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["quizzes.0099_future"])
    text, passed = run_doctor()
    assert not passed
    assert "Celery beat last seen 900 s ago: start the beat service" in text
    assert "The private files storage cannot be written" in text
    assert "1 migrations are not applied: run manage.py migrate." in text
    assert "3 problem(s)" in text


def test_the_default_development_configuration_is_not_fit_for_production(settings):
    """What `make run` uses (a known key, console e-mail, no broker) is reported, not waved through."""
    settings.SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    text, passed = run_doctor()
    assert not passed
    for topic in ("secret key", "e-mail", "background jobs", "site address"):
        assert f"PROBLEM  {topic}:" in text
