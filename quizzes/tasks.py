from celery import shared_task
from django.db import OperationalError

from .services import attempts_finalise_overdue


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, soft_time_limit=240, time_limit=300)
def finalise_overdue_attempts() -> int:
    """Grade attempts left open past their deadline and grace period. Idempotent."""
    return attempts_finalise_overdue()
