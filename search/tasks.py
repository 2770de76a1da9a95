from celery import shared_task
from django.db import OperationalError

from .services import index_refresh


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90)
def refresh_index_entry(model_label: str, pk: str) -> bool:
    """Bring one object's index entry in line with its committed row (see search.services). Idempotent."""
    return index_refresh(model_label=model_label, pk=pk)
