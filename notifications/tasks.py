from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def send_due_reminders() -> int:
    """The daily reminders (CELERY_BEAT_SCHEDULE): first the e-mails that failed earlier, then
    today's reminders. Idempotent: a second run the same day creates and sends nothing."""
    services.notification_emails_retry()
    return services.reminders_send()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=600, time_limit=660)
def send_overdue_digests() -> int:
    """The heads' weekly digest (CELERY_BEAT_SCHEDULE); once per head and ISO week."""
    return services.digests_send()


# No automatic retry: a failed e-mail is counted on its row and retried by the next daily run.
@shared_task(soft_time_limit=60, time_limit=90)
def send_notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)
