"""Reads of notifications: a person's list and unread count, recipients' languages, the heads
who get a digest."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.users.models import UserProfile

from config.cache import cache_read

from .models import Notification

# The header shows the count on every page. It is counted at login (receivers), cached per person
# and dropped whenever one of their notifications is created or read (services), so a page costs
# no query for it; the expiry only bounds how long a change made behind the services' back shows.
UNREAD_CACHE_SECONDS = 60 * 60


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def user_notifications(*, user) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_count(*, user_id: int) -> int:
    key = unread_cache_key(user_id)
    count = cache_read(key)  # read ahead with the others on a lesson page (home.models)
    if count is None:
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def preferred_languages(*, user_ids: Iterable[int]) -> dict[int, str]:
    """user id → the language to write to them in: the language they chose on the site (stored as
    their Wagtail profile's preferred language), otherwise the site's default. One query."""
    known = {code for code, _name in settings.LANGUAGES}
    default = settings.LANGUAGE_CODE
    ids = set(user_ids)
    chosen = dict(
        UserProfile.objects.filter(user_id__in=ids)
        .exclude(preferred_language="")
        .values_list("user_id", "preferred_language")
    )
    return {user_id: chosen[user_id] if chosen.get(user_id) in known else default for user_id in ids}


def digest_heads():
    """Active department heads with a department: who gets the weekly overdue digest."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_department_head=True, department__isnull=False)
        .select_related("department")
        .order_by("pk")
    )


def existing_keys(*, keys: Iterable[str]) -> set[tuple[int, str]]:
    """(recipient id, key) of the notifications that already exist among `keys`."""
    return set(Notification.objects.filter(dedupe_key__in=list(keys)).values_list("recipient_id", "dedupe_key"))


def unsent_email_ids(*, since, max_attempts: int) -> list[int]:
    """Notifications not yet e-mailed, created since `since`, to active people with an address,
    that have not used up their attempts: what the daily run retries."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=since,
            email_attempts__lt=max_attempts,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# A person's own notifications, for their data archive (privacy): {kind: (columns, rows as dicts)}.
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    columns = ("kind", "title", "body", "link", "items", "language", "created_at", "read_at", "emailed_at")
    rows = Notification.objects.filter(recipient_id=user.pk).order_by("created_at", "pk").values(*columns)
    return {"notifications": (columns, list(rows))}
