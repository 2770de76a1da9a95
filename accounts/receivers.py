"""A person's activity flag and sessions. Listens to post_save of User (as reports and
assignments do for membership), so every way of deactivating someone (the Wagtail user editor,
the bulk "set active state" action, the people import, a service or the shell) records when they
left and ends their sessions."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from . import services
from .middleware import session_signed_in

User = get_user_model()
ACTIVE = "_accounts_is_active"


@receiver(post_init, sender=User, dispatch_uid="accounts_user_loaded")
def remember_active(sender, instance, **kwargs):
    values = instance.__dict__  # never load a deferred field here
    if "is_active" in values:
        setattr(instance, ACTIVE, values["is_active"])


@receiver(post_save, sender=User, dispatch_uid="accounts_user_saved")
def active_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "is_active" not in update_fields):
        return
    before = getattr(instance, ACTIVE, None)
    setattr(instance, ACTIVE, instance.is_active)
    if created or before is None or before == instance.is_active:
        return
    services.user_active_changed(user=instance)


@receiver(user_logged_in, dispatch_uid="accounts_session_recorded")
def session_recorded(sender, request, user, **kwargs):
    session_signed_in(request.session)
    services.user_session_record(user_id=user.pk, session=request.session)


@receiver(user_logged_out, dispatch_uid="accounts_session_forgotten")
def session_forgotten(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        services.user_session_forget(session_key=key)
