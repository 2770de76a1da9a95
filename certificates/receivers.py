"""Certificates follow course completions, in the same transaction (as hours.receivers does):
certificates sits above courses and hours and listens to courses' completion events, so neither
imports certificates. Its receivers connect after hours' (INSTALLED_APPS order), so
the completion's hour entry already exists when the certificate is issued."""

from django.dispatch import receiver

from accounts.signals import people_anonymised
from courses.completion import course_completed, course_completion_revoked
from courses.models import CoursePage, CourseProgress

from . import services


@receiver(course_completed, dispatch_uid="certificates_course_completed")
def course_was_completed(sender, progress, completed_at, **kwargs):
    # Idempotent: a completion that only changed its time keeps its valid certificate.
    course = CoursePage.objects.filter(pk=progress.course_id).first()
    if course is not None:
        # The learner when the row has them at hand (a step just completed); else read if needed.
        learner = progress.user if CourseProgress.user.is_cached(progress) else None
        services.certificate_issue(user_id=progress.user_id, course=course, completed_at=completed_at, learner=learner)


@receiver(course_completion_revoked, dispatch_uid="certificates_course_completion_revoked")
def course_completion_was_revoked(sender, progress, **kwargs):
    services.certificate_course_completion_revoked(user_id=progress.user_id, course_id=progress.course_id)


@receiver(people_anonymised, dispatch_uid="certificates_people_anonymised")
def holders_were_anonymised(sender, user_ids, now, **kwargs):
    # In the anonymising transaction: the printed name goes with the person's.
    services.certificates_anonymise(user_ids=user_ids, now=now)
