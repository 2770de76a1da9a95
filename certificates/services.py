"""Writes of certificates. A certificate is issued in the transaction that completes the course
(certificates.receivers) and its PDF rendered in Celery once that transaction commits."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.models import CoursePage, CourseProgress
from hours.selectors import course_hours_earned
from outbox.services import enqueue_on_commit

from .models import Certificate
from .pdf import LAYOUT_VERSION, CertificateContent, render_certificate
from .rules import new_code
from .selectors import forget_valid_certificates

REVOKED_ACTION = "certificates.revoked"
CODE_ATTEMPTS = 5


def verify_url(code: str) -> str:
    """The absolute address printed on the certificate and held by its QR code."""
    base = (getattr(settings, "SITE_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + reverse("certificates:verify", args=[code])


def _enqueue_render(certificate_id: int) -> None:
    from .tasks import render_certificate_pdf

    enqueue_on_commit(render_certificate_pdf, certificate_id)


def certificate_issue(
    *, user_id: int, course: CoursePage, completed_at: datetime.datetime, learner=None
) -> Certificate:
    """The valid certificate of a completed course: created once (saving the completed progress
    again returns the same one), with the PDF rendered after the transaction commits. `learner`:
    the user (user_id's), when the caller has it."""
    existing = Certificate.objects.filter(user_id=user_id, course=course, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    user = learner if learner is not None and learner.pk == user_id else get_user_model().objects.get(pk=user_id)
    hours = course_hours_earned(course_id=course.pk, user_ids=[user_id]).get(user_id, 0)
    for _attempt in range(CODE_ATTEMPTS):
        certificate = Certificate(
            user_id=user_id,
            course=course,
            learner_name=user.get_full_name()[:200],
            course_title=course.title[:255],
            hours=hours,
            completed_at=completed_at,
            issued_at=timezone.now(),
            code=new_code(),
        )
        forget_valid_certificates(user_ids=[user_id])
        try:
            # A savepoint: a clash (a certificate issued concurrently, or an equal code) leaves
            # the caller's transaction usable.
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            existing = Certificate.objects.filter(user_id=user_id, course=course, revoked_at__isnull=True).first()
            if existing is not None:
                return existing
            continue  # the code was taken: draw another
        _enqueue_render(certificate.pk)
        return certificate
    raise IntegrityError("Could not draw an unused certificate code.")


def certificates_sync_course_completions(*, course_id: int) -> list[Certificate]:
    """Certificates for completed progress rows that have no valid one: the demo and a progress
    recompute write progress in bulk (no post_save). No PDF is rendered here; each renders on its
    first download. A constant number of queries."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return []
    has_certificate = Certificate.objects.filter(course_id=course_id, revoked_at__isnull=True).values("user_id")
    missing = list(
        CourseProgress.objects.filter(course_id=course_id, completed_at__isnull=False)
        .exclude(user_id__in=has_certificate)
        .values_list("user_id", "completed_at")
    )
    if not missing:
        return []
    user_ids = [user_id for user_id, _completed in missing]
    hours = course_hours_earned(course_id=course_id, user_ids=user_ids)
    names = {user.pk: user.get_full_name() for user in get_user_model().objects.filter(pk__in=user_ids)}
    now = timezone.now()
    certificates = [
        Certificate(
            user_id=user_id,
            course=course,
            learner_name=names[user_id][:200],
            course_title=course.title[:255],
            hours=hours.get(user_id, 0),
            completed_at=completed_at,
            issued_at=now,
            code=new_code(),
        )
        for user_id, completed_at in missing
    ]
    # A conflict (issued concurrently, or an equal code: about 1 in 10**23) skips that row;
    # the next sync issues it.
    forget_valid_certificates(user_ids=user_ids)
    Certificate.objects.bulk_create(certificates, batch_size=500, ignore_conflicts=True)
    return certificates


def certificates_refresh_unrendered_hours(*, course_id: int) -> int:
    """Hours of a course's valid certificates not drawn yet follow the ledger (the demo writes
    final-exam bonuses after the completions). Two queries and one bulk update."""
    certificates = list(Certificate.objects.filter(course_id=course_id, revoked_at__isnull=True, rendered_at=None))
    earned = course_hours_earned(course_id=course_id, user_ids=[c.user_id for c in certificates])
    changed = [c for c in certificates if earned.get(c.user_id, c.hours) != c.hours]
    for certificate in changed:
        certificate.hours = earned[certificate.user_id]
    Certificate.objects.bulk_update(changed, ["hours"], batch_size=500)
    return len(changed)


def certificate_revoke(*, certificate: Certificate, reason: str, revoked_by=None) -> Certificate:
    """Marks the certificate revoked (kept, so its code says so) and writes Wagtail's audit log.
    Revoking a revoked certificate changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for revoking the certificate.")})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            return locked
        forget_valid_certificates(user_ids=[locked.user_id])
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:250]
        locked.revoked_by = revoked_by
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        log(
            instance=locked,
            action=REVOKED_ACTION,
            user=revoked_by,
            data={"code": locked.code, "course": locked.course_id, "reason": locked.revoked_reason},
        )
    return locked


def certificate_course_completion_revoked(*, user_id: int, course_id: int) -> Certificate | None:
    """A completion set back to not completed revokes its valid certificate."""
    certificate = Certificate.objects.filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True).first()
    if certificate is None:
        return None
    return certificate_revoke(certificate=certificate, reason=_("The course completion was revoked."))


def needs_render(certificate: Certificate) -> bool:
    """No PDF yet, one drawn with an older layout, or its file is gone from the storage."""
    if not certificate.pdf or certificate.rendered_at is None or certificate.layout_version < LAYOUT_VERSION:
        return True
    return not certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_content(certificate: Certificate) -> CertificateContent:
    zh, en = getattr(settings, "CERTIFICATE_ISSUER", ("市信息化办公室", "Municipal Informatization Office"))
    return CertificateContent(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        hours=certificate.hours,
        completed_on=timezone.localtime(certificate.completed_at).date(),
        code=certificate.display_code,
        verify_url=verify_url(certificate.code),
        issuer_zh=zh,
        issuer_en=en,
    )


def certificate_render(*, certificate_id: int, force: bool = False) -> bool:
    """Draws the PDF and stores it. Idempotent: a certificate whose PDF is current, or that was
    revoked, is left alone (returns False). The row is locked while drawing (about a second), so
    two workers never draw the same certificate at once."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate.revoked_at is not None or certificate.anonymised_at is not None:
            return False
        if not force and not needs_render(certificate):
            return False
        if certificate.rendered_at is None and certificate.course_id is not None:
            # A final exam passed as the last step adds its bonus hours after the completion
            # (in the same transaction, which has committed by now): print them too.
            hours = course_hours_earned(course_id=certificate.course_id, user_ids=[certificate.user_id])
            certificate.hours = hours.get(certificate.user_id, certificate.hours)
        data = render_certificate(certificate_content(certificate))
        previous = certificate.pdf.name
        certificate.pdf.save("certificate.pdf", ContentFile(data), save=False)  # a new random name
        certificate.rendered_at = timezone.now()
        certificate.layout_version = LAYOUT_VERSION
        certificate.save(update_fields=["pdf", "rendered_at", "layout_version", "hours"])
        if previous:
            # The drawing it replaces goes once the new name is committed (a rollback keeps it).
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return True


def certificates_anonymise(*, user_ids: list[int], now: datetime.datetime) -> int:
    """The certificates of people being anonymised lose the name printed on them: learner_name
    is emptied and the PDF deleted (once the transaction commits); certificate_render never
    draws them again. Code, course, hours, dates and validity stay, so the verification page
    still confirms the course and the date, without a name. Idempotent. Returns the number of
    certificates changed."""
    rows = list(
        Certificate.objects.select_for_update()
        .filter(user_id__in=user_ids, anonymised_at__isnull=True)
        .values_list("pk", "pdf")
    )
    Certificate.objects.filter(pk__in=[pk for pk, _name in rows]).update(
        learner_name="", pdf="", rendered_at=None, anonymised_at=now
    )
    storage = Certificate._meta.get_field("pdf").storage
    names = [name for _pk, name in rows if name]
    # The files go once the emptied rows are committed (a rollback keeps both).
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(rows)


def certificate_record_repair(*, user_id: int, course_id: int) -> int:
    """Bring one person's certificate of a course in line with their completion (see
    certificates.verify): issue it for a standing completion, revoke it for one withdrawn."""
    progress = CourseProgress.objects.filter(user_id=user_id, course_id=course_id, completed_at__isnull=False).first()
    with transaction.atomic():
        if progress is None:
            return int(certificate_course_completion_revoked(user_id=user_id, course_id=course_id) is not None)
        certificate_issue(user_id=user_id, course=progress.course, completed_at=progress.completed_at)
        return 1
