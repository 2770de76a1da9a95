from celery import shared_task
from django.db import OperationalError

from .services import certificate_render


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=120, time_limit=150)
def render_certificate_pdf(certificate_id: int) -> bool:
    """Draw a certificate's PDF. Idempotent: a current PDF is not drawn again."""
    return certificate_render(certificate_id=certificate_id)
