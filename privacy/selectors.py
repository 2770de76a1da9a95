"""Reads of the privacy app."""

from .models import DataArchive


def latest_archive(*, user) -> DataArchive | None:
    """The person's most recent archive request (served by dataarchive_user_latest)."""
    return DataArchive.objects.filter(user=user).order_by("-created_at", "-pk").first()


def archive_for_owner_or_none(*, user, archive_id: int) -> DataArchive | None:
    return DataArchive.objects.filter(user=user, pk=archive_id).first()
