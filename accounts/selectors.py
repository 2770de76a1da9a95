"""Reads of accounts for the admin: the accounts django-axes has locked out now."""

from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_attempt_at: object  # datetime


def lockouts_current() -> list[Lockout]:
    """Usernames with a lockout in force: an axes attempt record that reached the failure limit
    within the cool-off time (all addresses of a username together). One query."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).exclude(
        username__isnull=True
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt_at=Max("attempt_time"))
        .order_by("-last_attempt_at", "username")
    )
    return [Lockout(row["username"], row["failures"], row["last_attempt_at"]) for row in rows]
