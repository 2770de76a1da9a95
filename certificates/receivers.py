"""Certificates follow course completions, in the same transaction (as hours.receivers does):
certificates sits above courses and hours and listens to post_save of courses.CourseProgress,
so neither imports certificates. Its receivers connect after hours' (INSTALLED_APPS order), so
the completion's hour entry already exists when the certificate is issued."""

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from courses.models import CourseOutline, CoursePage, CourseProgress

from . import services

SEEN_COMPLETED = "_certificates_completed_at"
UNKNOWN = object()


@receiver(post_init, sender=CourseProgress, dispatch_uid="certificates_progress_loaded")
def remember_completion(sender, instance, **kwargs):
    # Read __dict__ so a deferred field is never loaded here.
    setattr(instance, SEEN_COMPLETED, instance.__dict__.get("completed_at", UNKNOWN))


@receiver(post_save, sender=CourseProgress, dispatch_uid="certificates_progress_saved")
def progress_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "completed_at" not in update_fields:
        return
    before = getattr(instance, SEEN_COMPLETED, UNKNOWN)
    after = instance.completed_at
    setattr(instance, SEEN_COMPLETED, after)
    if after is not None:
        if created or before is None or before is UNKNOWN:
            course = CoursePage.objects.filter(pk=instance.course_id).first()
            if course is not None:
                services.certificate_issue(user_id=instance.user_id, course=course, completed_at=after)
    elif not created and before is not None:
        services.certificate_course_completion_revoked(user_id=instance.user_id, course_id=instance.course_id)


@receiver(post_save, sender=CourseOutline, dispatch_uid="certificates_outline_saved")
def outline_saved(sender, instance, **kwargs):
    # A recompute writes progress in bulk and may complete a course (a step was removed).
    services.certificates_sync_course_completions(course_id=instance.course_id)
