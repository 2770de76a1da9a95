"""A person's activity flag and sessions. Listens to post_save of User (as reports and
assignments do for membership), so every way of deactivating someone (the Wagtail user editor,
the bulk "set active state" action, the people import, a service or the shell) records when they
left and ends their sessions."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import services
from .changes import STORED_BEFORE_SAVE, TRACKED, person_change, tracked_fields_saved
from .middleware import session_signed_in

User = get_user_model()


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_saving")
def read_stored_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """The stored unit, position and activity, for the post_save receivers (accounts.changes):
    one query, only when the save writes one of them."""
    stored = None
    if not raw and not instance._state.adding and tracked_fields_saved(update_fields):
        stored = User.objects.filter(pk=instance.pk).values(*TRACKED).first()
    setattr(instance, STORED_BEFORE_SAVE, stored)


@receiver(post_save, sender=User, dispatch_uid="accounts_user_saved")
def active_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "is_active" not in update_fields):
        return
    change = person_change(instance, created=created)
    if change.created or not change.changed("is_active"):
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
