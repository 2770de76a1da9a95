"""`manage.py doctor`: what is wrong with this configuration for production, said plainly.

Each finding is a problem (the site would misbehave: a dead verification link on printed
certificates, no e-mail, no periodic jobs, files that cannot be written) or a warning (allowed,
but say so). The checks shared with /health/ready (migrations, broker, beat, storages) are the
same functions (operations.health)."""

import dataclasses
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import health

PROBLEM = "problem"
WARNING = "warning"

# Keys that ship in this repository (development and tests): never good enough for production.
KNOWN_KEYS_PREFIXES = ("dev-only-insecure", "test-secret-key", "django-insecure")
SHANGHAI = "Asia/Shanghai"


@dataclasses.dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    message: str


def _secret_key() -> list[Finding]:
    try:
        key = settings.SECRET_KEY or ""
    except ImproperlyConfigured:  # Django refuses to read an empty one
        key = ""
    if not key:
        return [Finding(PROBLEM, "secret key", "DJANGO_SECRET_KEY is not set.")]
    if key.startswith(KNOWN_KEYS_PREFIXES):
        return [Finding(PROBLEM, "secret key", "DJANGO_SECRET_KEY is a development or test key from the repository.")]
    if len(key) < 50 or len(set(key)) < 5:
        return [
            Finding(
                PROBLEM,
                "secret key",
                "DJANGO_SECRET_KEY is weak: use at least 50 random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))').",
            )
        ]
    return []


def _debug() -> list[Finding]:
    if settings.DEBUG:
        return [Finding(PROBLEM, "debug", "DEBUG is on: error pages would show settings and code to anyone.")]
    return []


def _allowed_hosts() -> list[Finding]:
    if "*" in settings.ALLOWED_HOSTS:
        return [Finding(PROBLEM, "allowed hosts", "DJANGO_ALLOWED_HOSTS contains '*': name the site's host names.")]
    if not settings.ALLOWED_HOSTS:
        return [Finding(PROBLEM, "allowed hosts", "DJANGO_ALLOWED_HOSTS is empty: every request would be refused.")]
    return []


def _site_base_url() -> list[Finding]:
    url = getattr(settings, "SITE_BASE_URL", "") or ""
    parts = urlsplit(url)
    if not url or not parts.netloc:
        return [
            Finding(
                PROBLEM,
                "site address",
                "SITE_BASE_URL is not set: certificates would print a verification link that leads nowhere.",
            )
        ]
    if parts.scheme != "https":
        return [
            Finding(
                PROBLEM,
                "site address",
                f"SITE_BASE_URL is {url!r}, not https: certificates' verification links and e-mailed links "
                "would be plain http.",
            )
        ]
    if parts.hostname in {"localhost", "127.0.0.1", "testserver"}:
        return [Finding(PROBLEM, "site address", f"SITE_BASE_URL points to {parts.hostname}: nobody else can open it.")]
    return []


def _email() -> list[Finding]:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else settings.EMAIL_BACKEND
    if backend in {"console", "locmem", "dummy", "filebased"}:
        return [
            Finding(
                PROBLEM,
                "e-mail",
                f"E-mail is not configured (the {backend} backend): reminders and notifications are not sent. "
                "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
            )
        ]
    findings = []
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        findings.append(Finding(PROBLEM, "e-mail", "DEFAULT_FROM_EMAIL is a localhost address: mail would bounce."))
    return findings


def _time_zone() -> list[Finding]:
    if not settings.USE_TZ:
        return [Finding(PROBLEM, "time zone", "USE_TZ is off: deadlines would be stored without their time zone.")]
    try:
        zoneinfo.ZoneInfo(settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Finding(PROBLEM, "time zone", f"TIME_ZONE {settings.TIME_ZONE!r} is not a known time zone.")]
    if settings.TIME_ZONE != SHANGHAI:
        return [
            Finding(
                WARNING,
                "time zone",
                f"TIME_ZONE is {settings.TIME_ZONE}, not {SHANGHAI}: deadlines, reminders at 08:00 and "
                "certificate dates follow it.",
            )
        ]
    return []


def _celery() -> list[Finding]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return [
            Finding(
                PROBLEM,
                "background jobs",
                "CELERY_BROKER_URL is not set: jobs run inside web requests and no periodic job "
                "(reminders, retention, overdue quizzes) ever runs.",
            )
        ]
    findings = []
    problem = health.broker_problem()
    if problem:
        findings.append(Finding(PROBLEM, "background jobs", problem + "."))
    problem = health.beat_problem()
    if problem:
        findings.append(
            Finding(PROBLEM, "background jobs", problem + ": start the beat service (deploy/systemd) and a worker.")
        )
    return findings


def _database() -> list[Finding]:
    findings = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        findings.append(
            Finding(WARNING, "database", "The database is SQLite: use PostgreSQL (DATABASE_URL) for more than a demo.")
        )
    try:
        missing = health.unapplied_migrations()
    except Exception as error:  # the database does not answer
        return [Finding(PROBLEM, "database", f"The database does not answer ({type(error).__name__}).")]
    if missing:
        findings.append(
            Finding(PROBLEM, "database", f"{len(missing)} migrations are not applied: run manage.py migrate.")
        )
    return findings


def _cache() -> list[Finding]:
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        return [
            Finding(
                WARNING,
                "cache",
                "The cache is not Redis (REDIS_URL): with more than one web process each keeps its own, "
                "and login lockouts and unread counts are not shared.",
            )
        ]
    return []


def _storages() -> list[Finding]:
    findings = []
    for name, check in (("media", health.Storage()), ("private files", health.PrivateStorage())):
        try:
            check.run()
        except Exception as error:
            findings.append(Finding(PROBLEM, "storage", f"The {name} storage cannot be written ({error})."))
    return findings


CHECKS = (_debug, _secret_key, _allowed_hosts, _site_base_url, _email, _time_zone, _database, _cache, _celery, _storages)


def diagnose() -> list[Finding]:
    return [finding for check in CHECKS for finding in check()]
