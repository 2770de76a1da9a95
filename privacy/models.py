from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privatefiles.jobs import STALLED
from privatefiles.storage import DATA_ARCHIVES, private_storage, random_name


def _archive_upload_to(instance, filename: str) -> str:
    return random_name(DATA_ARCHIVES, suffix=".zip")


class DataArchive(models.Model):
    """A ZIP of everything the platform holds about one person ("My data"), written by Celery into
    the private storage. Only that person may download it, and only for EXPORT_RETENTION_DAYS; the
    row stays after the file is deleted, so the page can say so. Same life cycle as ReportExport."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_archive_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Last sign of life: created, claimed by a worker, each progress update (privatefiles.jobs).
    progress_at = models.DateTimeField(_("last progress at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data archive")
        verbose_name_plural = _("data archives")
        constraints = [
            # At most one archive per person waiting or running (two tabs, a double click).
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["queued", "running"]), name="dataarchive_one_active_per_user"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="dataarchive_progress_max_100"),
        ]
        indexes = [
            # "My data" shows the person's latest archive.
            models.Index(fields=["user", "-created_at"], name="dataarchive_user_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"

    @property
    def stalled(self) -> bool:
        """Marked failed because it made no progress for FILE_JOB_STALE_MINUTES (lost with its worker)."""
        return self.status == self.Status.FAILED and self.error == STALLED

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
