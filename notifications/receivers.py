from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import selectors


@receiver(user_logged_in, dispatch_uid="notifications_count_unread_at_login")
def count_unread_at_login(sender, request, user, **kwargs):
    """Count the header's unread notifications once at login, so the pages after it read the
    count from the cache instead of adding a query to each page's budget."""
    selectors.unread_count(user_id=user.pk)
