import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

# Refresh the session's expiry at most this often, so an active user is not logged out
# after SESSION_COOKIE_AGE while we avoid a session write on every request.
REFRESH_INTERVAL_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Ends a session after SESSION_COOKIE_AGE seconds without a request (an idle timeout)."""

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
                session["last_seen"] = now
        return self.get_response(request)
