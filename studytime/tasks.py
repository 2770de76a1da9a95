from celery import shared_task

from .services import study_time_flush


@shared_task(time_limit=120, soft_time_limit=100)
def flush_study_time() -> int:
    """Write the heartbeats' credit to the database. Idempotent: a batch is written once however
    often the task runs, and a run that died leaves its batch for the next (services)."""
    return study_time_flush()
