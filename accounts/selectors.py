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
    """Usernames whose failures within the cool-off time reached the failure limit: axes counts
    a username's failures from every address together (AXES_LOCKOUT_PARAMETERS), and so does
    this. One query."""
    attempts = AccessAttempt.objects.exclude(username__isnull=True).exclude(username="")
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt_at=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt_at", "username")
    )
    return [Lockout(row["username"], row["failures"], row["last_attempt_at"]) for row in rows]
