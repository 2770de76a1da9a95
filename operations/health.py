"""Health of a running site, for load balancers and the office's monitoring (and `manage.py doctor`).

`/health/live`: the process answers (no check at all, so a slow database never gets a healthy web
process restarted). `/health/ready`: every service a request may need answers: the database (with
every migration applied), the cache, the Celery broker, the media and private storages (a file is
written, read back and deleted) and Celery beat (its `beat_alive` job ran within the interval).
Both answer JSON, are never cached, need no login and name no person and no setting's value."""

import asyncio
import contextvars
import dataclasses
import datetime
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from privatefiles.storage import private_storage

BEAT_SEEN_KEY = "health:beat-seen"
# beat_alive runs every BEAT_ALIVE_SECONDS; beat is "seen" while its last run is younger than
# this many intervals (one missed run, e.g. a worker restart, is not yet an alarm).
BEAT_ALIVE_SECONDS = 60
BEAT_GRACE_INTERVALS = 3


def beat_seen_now() -> None:
    """Called by the beat_alive job (operations.tasks): the instant beat (and a worker) last did their work."""
    # Kept well past the grace period, so "last seen 20 minutes ago" can still be said.
    cache.set(BEAT_SEEN_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)


def beat_last_seen() -> datetime.datetime | None:
    value = cache.get(BEAT_SEEN_KEY)
    return datetime.datetime.fromisoformat(value) if value else None


def beat_problem(now: datetime.datetime | None = None) -> str | None:
    """Why beat does not look alive, or None. Without a broker (the embedded default) there is no
    beat: the periodic jobs are run by hand, so nothing is expected."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    seen = beat_last_seen()
    if seen is None:
        return "Celery beat has not been seen (its beat_alive job never ran)"
    age = (now or timezone.now()) - seen
    if age > datetime.timedelta(seconds=BEAT_ALIVE_SECONDS * BEAT_GRACE_INTERVALS):
        return f"Celery beat last seen {int(age.total_seconds())} s ago"
    return None


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def broker_problem() -> str | None:
    """Why the Celery broker does not take connections, or None (None too without a broker)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from config.celery import app

    try:
        # The URL from the settings: Celery's own conf prefers the CELERY_BROKER_URL variable.
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # whatever kombu raises for a broker that is down
        return f"Celery broker unreachable ({type(error).__name__})"
    return None


@dataclasses.dataclass
class Migrations(HealthCheck):
    def run(self):
        try:
            if unapplied_migrations():
                raise ServiceUnavailable("migrations not applied")
        finally:
            connection.close()  # this thread's own connection (the checks run in a thread pool)


@dataclasses.dataclass
class Broker(HealthCheck):
    def run(self):
        problem = broker_problem()
        if problem:
            raise ServiceUnavailable(problem)


@dataclasses.dataclass
class Beat(HealthCheck):
    def run(self):
        problem = beat_problem()
        if problem:
            raise ServiceUnavailable(problem)


@dataclasses.dataclass
class PrivateStorage(Storage):
    """The private files' storage is not one of STORAGES (it must never get a URL); same probe."""

    alias: str = "private"

    @property
    def storage(self):
        return private_storage()


# The name each check has in the JSON answer.
READY_CHECKS = {
    "database": Database,
    "migrations": Migrations,
    "cache": Cache,
    "broker": Broker,
    "media_storage": Storage,
    "private_storage": PrivateStorage,
    "beat": Beat,
}


class _ContextThreadPool(ThreadPoolExecutor):
    """Runs each synchronous check with the request's context variables (its request id for the
    log lines a failing check writes); a plain executor thread would not have them."""

    def submit(self, fn, /, *args, **kwargs):
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


class ReadyView(HealthCheckView):
    """django-health-check runs the checks (in parallel, each with a timeout, an unexpected error
    reported as "unknown error"); the answer is always our JSON, 503 when anything failed."""

    checks = tuple(READY_CHECKS.values())
    http_method_names = ["get", "head"]

    def get_executor(self):
        return _ContextThreadPool(max_workers=len(READY_CHECKS))

    async def get(self, request, *args, **kwargs):
        # The library's own get() would also negotiate a format from the Accept header (and fail
        # on a malformed one); here the answer is always JSON.
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        names = {check: name for name, check in READY_CHECKS.items()}
        checks = {
            names[type(result.check)]: "ok" if result.error is None else getattr(result.error, "message", "failed")
            for result in self.results
        }
        healthy = all(value == "ok" for value in checks.values())
        return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@require_safe
@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


ready = ReadyView.as_view()
