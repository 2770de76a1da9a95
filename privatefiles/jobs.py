"""The one rule for a background job that writes a private file (a report export, a "My data"
archive) and stopped: a job waiting or running with no progress for FILE_JOB_STALE_MINUTES was
lost with its worker. It is marked failed with the error STALLED, so that its page says so and the
next request of the same person (refused while one is active) starts a new job.

The models follow one shape: `status` (queued, running, failed, …), `progress_at` (set when the
job is created and claimed and at every progress update), `error` and `finished_at`."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

STALLED = "stalled"
ACTIVE = ("queued", "running")


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.FILE_JOB_STALE_MINUTES)


def jobs_expire_stalled(jobs: QuerySet, *, now: datetime.datetime | None = None) -> int:
    """Mark the stalled jobs among `jobs` failed (STALLED). Idempotent; returns how many."""
    now = now or timezone.now()
    return jobs.filter(status__in=ACTIVE, progress_at__lt=stale_before(now)).update(
        status="failed", error=STALLED, finished_at=now
    )
