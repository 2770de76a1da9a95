from celery import shared_task
from django.db import OperationalError

from .services import course_records_repair


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=240, time_limit=300)
def recompute_course_progress(course_id: int) -> int:
    """Recompute a course's stored progress and best scores after its set of steps changed (a quiz
    step unpublished no longer counts in the best score). Idempotent."""
    return course_records_repair(course_id=course_id)
