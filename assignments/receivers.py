"""Required learning follows the events of the apps below, in the same transaction.

assignments sits above accounts and courses: it listens to Django's post_save of accounts.User
(a new joiner, or someone who moved or changed position) and of courses.CourseProgress (a
completion closes the open cycle it falls in), so neither app imports assignments."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from courses.models import CourseProgress

from . import services

SEEN_USER = "_assignments_seen"
SEEN_COMPLETED = "_assignments_completed_at"
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


@receiver(post_init, sender=CourseProgress, dispatch_uid="assignments_progress_loaded")
def remember_completion(sender, instance, **kwargs):
    setattr(instance, SEEN_COMPLETED, instance.__dict__.get("completed_at", UNKNOWN))


@receiver(post_save, sender=CourseProgress, dispatch_uid="assignments_progress_saved")
def progress_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "completed_at" not in update_fields:
        return
    before = getattr(instance, SEEN_COMPLETED, UNKNOWN)
    after = instance.completed_at
    setattr(instance, SEEN_COMPLETED, after)
    if after is not None and after != before:
        services.assignments_course_completed(
            user_id=instance.user_id, course_id=instance.course_id, completed_at=after
        )
    elif after is None and not created and before not in (None, UNKNOWN):
        services.assignments_course_completion_revoked(
            user_id=instance.user_id, course_id=instance.course_id, completed_at=before
        )
