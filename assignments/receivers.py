"""Required learning follows the events of the apps below, in the same transaction.

assignments sits above accounts and courses: it listens to Django's post_save of accounts.User
(a new joiner, or someone who moved or changed position) and to courses' completion events (a
completion closes the open cycle it falls in), so neither app imports assignments."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.changes import person_change, tracked_fields_saved
from courses.completion import course_completed, course_completion_revoked

from . import services

User = get_user_model()


@receiver(post_save, sender=User, dispatch_uid="assignments_user_saved")
def user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or not tracked_fields_saved(update_fields):
        return
    if person_change(instance, created=created).changed("department_id", "position", "is_active"):
        services.assignments_sync_user(user=instance)


@receiver(course_completed, dispatch_uid="assignments_course_completed")
def course_was_completed(sender, progress, completed_at, **kwargs):
    services.assignments_course_completed(
        user_id=progress.user_id, course_id=progress.course_id, completed_at=completed_at
    )


@receiver(course_completion_revoked, dispatch_uid="assignments_course_completion_revoked")
def course_completion_was_revoked(sender, progress, previously_completed_at, **kwargs):
    services.assignments_course_completion_revoked(
        user_id=progress.user_id, course_id=progress.course_id, completed_at=previously_completed_at
    )
