"""Required learning follows the events of the apps below, in the same transaction.

assignments sits above accounts and courses: it listens to Django's post_save of accounts.User
(a new joiner, or someone who moved or changed position) and to courses' completion events (a
completion closes the open cycle it falls in), so neither app imports assignments."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from courses.completion import course_completed, course_completion_revoked

from . import services

SEEN_USER = "_assignments_seen"
UNKNOWN = object()
User = get_user_model()


def _user_key(instance):
    # Read __dict__ so a deferred field is never loaded here.
    values = instance.__dict__
    return (values.get("department_id", UNKNOWN), values.get("position", UNKNOWN), values.get("is_active", UNKNOWN))


@receiver(post_init, sender=User, dispatch_uid="assignments_user_loaded")
def remember_user(sender, instance, **kwargs):
    setattr(instance, SEEN_USER, _user_key(instance))


@receiver(post_save, sender=User, dispatch_uid="assignments_user_saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and not {"department", "department_id", "position", "is_active"} & set(update_fields):
        return
    before = getattr(instance, SEEN_USER, UNKNOWN)
    after = _user_key(instance)
    setattr(instance, SEEN_USER, after)
    if created or before != after:
        services.assignments_sync_user(user=instance)


@receiver(course_completed, dispatch_uid="assignments_course_completed")
def course_was_completed(sender, progress, completed_at, **kwargs):
    services.assignments_course_completed(user_id=progress.user_id, course_id=progress.course_id, completed_at=completed_at)


@receiver(course_completion_revoked, dispatch_uid="assignments_course_completion_revoked")
def course_completion_was_revoked(sender, progress, previously_completed_at, **kwargs):
    services.assignments_course_completion_revoked(
        user_id=progress.user_id, course_id=progress.course_id, completed_at=previously_completed_at
    )
