"""Writes of the privacy app: a person's request for their data archive, its preparation (in
Celery) and its expiry (the retention job). The same life cycle as report exports
(reports.services.export_request / export_run / exports_expire)."""

import datetime
import logging
import tempfile

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox.services import enqueue_on_commit
from privatefiles.jobs import jobs_expire_finished, jobs_expire_stalled

from .models import DataArchive

logger = logging.getLogger(__name__)



class ArchiveRefused(Exception):
    """The person already has an archive waiting or being prepared."""

    def __init__(self, active: DataArchive | None):
        super().__init__("an archive is already being prepared")
        self.active = active


def data_archive_request(*, user) -> DataArchive:
    """Queue the preparation of the person's archive. At most one may wait or run per person (a
    partial unique constraint, which also settles two requests at the same instant); the task is
    enqueued once the row is committed."""
    from .tasks import build_archive

    with transaction.atomic():
        # One lost with its worker no longer blocks a new one (privatefiles.jobs).
        jobs_expire_stalled(DataArchive.objects.filter(user=user))
        active = DataArchive.objects.filter(user=user, status__in=DataArchive.ACTIVE).first()
        if active is not None:
            raise ArchiveRefused(active)
        archive = DataArchive(user=user)
        archive.full_clean(exclude=["file", "user"], validate_constraints=False)
        try:
            with transaction.atomic():
                archive.save()
        except IntegrityError:
            raise ArchiveRefused(DataArchive.objects.filter(user=user, status__in=DataArchive.ACTIVE).first()) from None
        archive_id = archive.pk
        enqueue_on_commit(build_archive, archive_id)
    return archive


def data_archive_build(*, archive_id: int) -> DataArchive | None:
    """Write the archive's ZIP, updating its progress as each kind of data is written. Idempotent:
    only a queued archive runs. It holds the rows of the archive's owner, read now."""
    from .archive import archive_write

    claimed = DataArchive.objects.filter(pk=archive_id, status=DataArchive.Status.QUEUED).update(
        status=DataArchive.Status.RUNNING, progress_at=timezone.now()
    )
    if not claimed:
        return None
    archive = DataArchive.objects.select_related("user__department").get(pk=archive_id)

    def progress(percent: int) -> None:
        DataArchive.objects.filter(pk=archive_id).update(progress=percent, progress_at=timezone.now())

    try:
        with tempfile.TemporaryFile() as handle:
            archive_write(user=archive.user, handle=handle, on_progress=progress)
            handle.seek(0)
            # Stored under a random name (DataArchive.file's upload_to).
            archive.file.save("my-data.zip", File(handle), save=False)
        archive.progress = 100
        archive.status = DataArchive.Status.DONE
    except Exception as error:  # noqa: BLE001  (recorded on the row; the person sees "failed")
        logger.exception("data archive %s failed", archive_id)
        archive.status = DataArchive.Status.FAILED
        archive.error = str(error)[:2000]
    archive.finished_at = timezone.now()
    archive.save(update_fields=["progress", "status", "file", "error", "finished_at"])
    return archive


def data_archive_expire_if_stalled(*, archive: DataArchive) -> DataArchive:
    """Mark the archive failed if it made no progress for FILE_JOB_STALE_MINUTES (its worker
    died); the page then says so. Returns the archive as it is now."""
    if jobs_expire_stalled(DataArchive.objects.filter(pk=archive.pk)):
        archive.refresh_from_db()
    return archive


def data_archives_expire(*, older_than: datetime.datetime) -> int:
    """Delete the files of archives finished before `older_than` and mark their rows expired.
    Idempotent: an expired archive is not touched again. Returns the number expired."""
    return jobs_expire_finished(DataArchive.objects.all(), older_than=older_than)
