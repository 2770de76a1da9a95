from celery import shared_task
from django.db import OperationalError

from . import services


# Longer limits than the default: a city's file of ~1,500 rows takes seconds, a province's more.
@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=1800, time_limit=1900
)
def people_import_run(import_id: int) -> str:
    """Apply a confirmed people import. Idempotent (see services.people_import_run)."""
    return services.people_import_run(import_id=import_id).status


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def anonymise_leavers() -> int:
    """Anonymise the people who left more than LEAVER_RETENTION_DAYS ago (CELERY_BEAT_SCHEDULE,
    daily). Idempotent. Returns the number anonymised (also logged)."""
    return services.leavers_anonymise()
