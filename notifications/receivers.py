from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from hours.signals import offline_training_decided

from . import selectors, services


@receiver(user_logged_in, dispatch_uid="notifications_count_unread_at_login")
def count_unread_at_login(sender, request, user, **kwargs):
    """Count the header's unread notifications once at login, so the pages after it read the
    count from the cache instead of adding a query to each page's budget."""
    selectors.unread_count(user_id=user.pk)


@receiver(offline_training_decided, dispatch_uid="notifications_offline_training_decided")
def tell_the_learner_the_decision(sender, declaration, **kwargs):
    """Inside the deciding transaction: the notification commits with the decision, its e-mail after."""
    services.offline_decision_notify(declaration=declaration)
