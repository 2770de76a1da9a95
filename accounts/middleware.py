import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser

from .services import RECORDED_SESSION, user_session_record

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


class SessionRecordMiddleware:
    """Records the session a signed-in person uses when its key is new to us (at sign-in the
    user_logged_in receiver has done it; after a password change the key was cycled), so that
    accounts.services.user_sessions_end can end it. A marker in the session makes this a
    dictionary lookup on every other request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None:
            user_id = session.get(SESSION_KEY)
            key = session.session_key
            if user_id and key and session.get(RECORDED_SESSION) != key:
                user_session_record(user_id=int(user_id), session=session)
        return response
