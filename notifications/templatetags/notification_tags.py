from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The signed-in person's unread notifications, for the header (cached: see selectors)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user_id=user.pk)
