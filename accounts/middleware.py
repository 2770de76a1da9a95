import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as BaseAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control

from .backends import UPGRADED_BACKENDS
from .services import RECORDED_SESSION, user_session_record

# Refresh the session's expiry at most this often, so an active user is not logged out
# after SESSION_COOKIE_AGE while we avoid a session write on every request.
REFRESH_INTERVAL_SECONDS = 60
# The session key holding when the person signed in (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"


def session_touch(session, now: int | None = None) -> int:
    """Record activity now; returns the seconds the session has before it ends for idleness."""
    session["last_seen"] = now or int(time.time())
    return settings.SESSION_COOKIE_AGE


def session_signed_in(session, now: int | None = None) -> None:
    """Record the sign-in time that SESSION_ABSOLUTE_LIFETIME counts from (user_logged_in)."""
    session[SIGNED_IN_AT] = now or int(time.time())


class AuthenticationMiddleware(BaseAuthenticationMiddleware):
    """Django's, after moving a session signed in through Django's or axes's backend class to
    ours of the same kind (accounts.backends: the same authentication, a cheaper read of the
    person on every request). Django signs out a session whose backend is no longer configured."""

    def process_request(self, request):
        session = getattr(request, "session", None)
        if session is not None:
            upgraded = UPGRADED_BACKENDS.get(session.get(BACKEND_SESSION_KEY))
            if upgraded is not None:
                session[BACKEND_SESSION_KEY] = upgraded
        super().process_request(request)


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_LIFETIME seconds after its sign-in, however active it was,
    and sends the person to the sign-in page (then back where they were). A session signed in
    before this was deployed counts from its first request after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                session_signed_in(session, now)
            elif now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME:
                session.flush()
                request.user = AnonymousUser()
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Every response to a signed-in person (or to the request that signed them out) is
    `Cache-Control: private, no-store`, so neither a shared cache nor the browser's back button
    shows their pages after they leave. Anonymous responses (public pages) are left as they are;
    static files are answered by WhiteNoise above this middleware and never reach it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if signed_in or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response


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
