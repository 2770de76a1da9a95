import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

# Refresh the session's expiry at most this often, so an active user is not logged out
# after SESSION_COOKIE_AGE while we avoid a session write on every request.
REFRESH_INTERVAL_SECONDS = 60


def session_touch(session, now: int | None = None) -> int:
    """Record activity now; returns the seconds the session has before it ends for idleness."""
    session["last_seen"] = now or int(time.time())
    return settings.SESSION_COOKIE_AGE


class IdleSessionTimeoutMiddleware:
    """Ends a session after SESSION_COOKIE_AGE seconds without a request (an idle timeout), and
    tells the page how long it has left (`request.idle_seconds_left`, for the warning before it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            last_seen = session.get("last_seen")
            if last_seen is not None and now - last_seen > settings.SESSION_COOKIE_AGE:
                session.flush()
                request.user = AnonymousUser()
            elif last_seen is None or now - last_seen > REFRESH_INTERVAL_SECONDS:
                request.idle_seconds_left = session_touch(session, now)
            else:
                request.idle_seconds_left = settings.SESSION_COOKIE_AGE - (now - last_seen)
            request.idle_warning_seconds = min(settings.SESSION_IDLE_WARNING_SECONDS, settings.SESSION_COOKIE_AGE)
            request.idle_warning_minutes = max(1, round(request.idle_warning_seconds / 60))
        return self.get_response(request)
