from celery import shared_task
from django.db import OperationalError

from .retention import retention_apply
from .services import summaries_reconcile


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def apply_retention() -> dict[str, int]:
    """Delete expired exports, uploads and dry runs (CELERY_BEAT_SCHEDULE, daily). Idempotent."""
    return retention_apply()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=600, time_limit=660)
def reconcile_summaries() -> int:
    """Repair the department summaries a lost task left wrong (CELERY_BEAT_SCHEDULE, every 15
    minutes). Idempotent. Returns the number of (department, course) pairs repaired (also logged)."""
    return len(summaries_reconcile())
