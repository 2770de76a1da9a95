from celery import shared_task

from . import services


# No retry: an archive is claimed once (queued → running) and records its own failure.
@shared_task(soft_time_limit=600, time_limit=660)
def build_archive(archive_id: int) -> None:
    services.data_archive_build(archive_id=archive_id)
