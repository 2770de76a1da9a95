from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def roll_over_assignments() -> int:
    """Open the next cycle of yearly assignments (CELERY_BEAT_SCHEDULE runs it daily)."""
    return services.assignments_roll_over()
