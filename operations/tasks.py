from celery import shared_task

from .health import beat_seen_now


@shared_task(name="operations.beat_alive", ignore_result=True)
def beat_alive():
    """Sent by beat every minute: /health/ready and `manage.py doctor` read when it last ran."""
    beat_seen_now()
