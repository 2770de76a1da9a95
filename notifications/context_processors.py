"""The header's unread count on every page (templates/base.html belongs to no app, so it reads a
context variable rather than loading this app's tags)."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request) -> dict:
    """Lazy: a page that does not show the header (or a signed-out visitor) costs no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user_id=user.pk))}
