from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90)
def refresh_summaries(pairs: list[list[int]]) -> int:
    """Recompute the stored summaries of these (department id, course id) pairs. Idempotent."""
    for department_id, course_id in pairs:
        services.summary_refresh(department_id=department_id, course_id=course_id)
    return len(pairs)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90)
def refresh_learner_summaries(user_id: int, course_ids: list[int]) -> int:
    """A learner's progress changed: refresh their department's summaries of those courses (when
    the pair could not be marked due; jobs already queued before marks existed)."""
    from django.contrib.auth import get_user_model

    department_id = get_user_model().objects.filter(pk=user_id).values_list("department_id", flat=True).first()
    if department_id is None:
        return 0
    return refresh_summaries([[department_id, course_id] for course_id in course_ids])


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90)
def refresh_due_summary(department_id: int, course_id: int) -> int:
    """A learner's progress changed and the pair was marked due (services.summary_refresh_mark_due)."""
    services.summary_refresh_due(department_id=department_id, course_id=course_id)
    return 1


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def refresh_department_summaries(department_id: int) -> int:
    """The department's membership changed (someone joined, left or was deactivated)."""
    pairs = services.summary_pairs_for_department(department_id=department_id)
    return refresh_summaries(sorted(pairs))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def refresh_course_summaries(course_id: int) -> int:
    """A course's progress rows were recomputed in bulk (its outline changed)."""
    pairs = services.summary_pairs_for_course(course_id=course_id)
    return refresh_summaries(sorted(pairs))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def refresh_overdue_summaries() -> int:
    """People become overdue when a due date passes, with no row changing: refresh the pairs whose
    stored overdue figure is no longer today's (CELERY_BEAT_SCHEDULE runs it daily). Idempotent."""
    return refresh_summaries(sorted(services.summary_pairs_with_stale_overdue()))


# No retry: an export is claimed once (queued → running) and records its own failure.
@shared_task(soft_time_limit=3300, time_limit=3600)
def run_export(export_id: int) -> None:
    services.export_run(export_id=export_id)
