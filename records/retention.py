"""Retention of personal data that is not a record: report exports and "My data" archives after
EXPORT_RETENTION_DAYS; uploaded import files (people, questions) and people-import dry runs never
confirmed after UPLOAD_RETENTION_DAYS. Certificates and offline-training evidence are records and stay.

Each app deletes its own files and rows (its services know what may go); this module only says
when, and sits above them in the import order, as the learning-record check does. Every run logs
one count per kind, and a second run finds nothing more to delete."""

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.services import people_imports_purge
from privacy.services import data_archives_expire
from quizzes.services import question_import_uploads_purge
from reports.services import exports_expire

logger = logging.getLogger(__name__)


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention period; returns the count per kind."""
    now = now or timezone.now()
    export_cutoff = now - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    upload_cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    unconfirmed, people_uploads = people_imports_purge(older_than=upload_cutoff)
    counts = {
        "report exports": exports_expire(older_than=export_cutoff),
        "data archives": data_archives_expire(older_than=export_cutoff),
        "unconfirmed people-import dry runs": unconfirmed,
        "people-import uploads": people_uploads,
        "question-import uploads": question_import_uploads_purge(older_than=upload_cutoff),
    }
    for kind, count in counts.items():
        logger.info("retention: deleted %d %s", count, kind)
    return counts
