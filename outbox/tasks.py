from celery import shared_task

from .services import outbox_drain


@shared_task(soft_time_limit=50, time_limit=60)
def drain_outbox() -> int:
    """Send the jobs the broker refused when they were enqueued. Idempotent."""
    return outbox_drain()
