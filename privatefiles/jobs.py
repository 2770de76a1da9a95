"""The one rule for a background job that writes a private file (a report export, a "My data"
archive) and stopped: a job waiting or running with no progress for FILE_JOB_STALE_MINUTES was
lost with its worker. It is marked failed with the error STALLED, so that its page says so and the
next request of the same person (refused while one is active) starts a new job.

The models follow one shape: `status` (queued, running, done, failed, expired), `progress_at` (set
when the job is created and claimed and at every progress update), `error`, `finished_at` and
`file` in the private storage. Finished jobs expire with their files after the retention period."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

STALLED = "stalled"
ACTIVE = ("queued", "running")
DONE = "done"
EXPIRED = "expired"


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.FILE_JOB_STALE_MINUTES)


def jobs_expire_stalled(jobs: QuerySet, *, now: datetime.datetime | None = None) -> int:
    """Mark the stalled jobs among `jobs` failed (STALLED). Idempotent; returns how many."""
    now = now or timezone.now()
    return jobs.filter(status__in=ACTIVE, progress_at__lt=stale_before(now)).update(
        status="failed", error=STALLED, finished_at=now
    )


def jobs_expire_finished(jobs: QuerySet, *, older_than: datetime.datetime) -> int:
    """Delete the files of the jobs among `jobs` finished before `older_than` and mark their rows
    expired (their pages then say the file was deleted). Idempotent: an expired job is not touched
    again. Returns how many expired."""
    due = dict(jobs.filter(status=DONE, finished_at__lt=older_than).values_list("pk", "file"))
    if not due:
        return 0
    # The rows first: a file is never deleted while its row still offers it for download.
    expired = jobs.filter(pk__in=due, status=DONE).update(status=EXPIRED, file="")
    storage = jobs.model._meta.get_field("file").storage
    for name in due.values():
        if name:
            storage.delete(name)
    return expired
