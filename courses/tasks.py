from celery import shared_task
from django.db import OperationalError

from .services import course_progress_recompute


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=240, time_limit=300)
def recompute_course_progress(course_id: int) -> int:
    """Recompute a course's stored progress after its set of steps changed. Idempotent."""
    return course_progress_recompute(course_id=course_id)
