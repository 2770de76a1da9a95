from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privatefiles.storage import CERTIFICATES, private_storage, random_name

from .rules import grouped


def _pdf_upload_to(instance, filename: str) -> str:
    # Not the code: it is printed on the certificate and in the verification address.
    return random_name(CERTIFICATES, suffix=".pdf")


class Certificate(models.Model):
    """Issued when a person completes a course. The name, title and hours are a snapshot taken
    at issue (a later rename changes nothing printed); the PDF is rendered afterwards in Celery.
    Never deleted: a revoked certificate stays, marked revoked, so its code still answers."""

    # PROTECT: deleting a person never deletes their certificates (deactivate them instead).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    # Kept when the course page is deleted: the certificate still verifies by its snapshot.
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    learner_name = models.CharField(_("learner name"), max_length=200)
    course_title = models.CharField(_("course title"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    completed_at = models.DateTimeField(_("completed at"))
    issued_at = models.DateTimeField(_("issued at"))
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=_pdf_upload_to, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # The layout the PDF was drawn with (certificates.pdf.LAYOUT_VERSION); an older one is re-rendered.
    layout_version = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set when its holder was anonymised (accounts.services.leavers_anonymise): learner_name is
    # then empty, the PDF (which printed the name) deleted and never drawn again; the code still
    # verifies, showing the course and the date.
    anonymised_at = models.DateTimeField(_("holder anonymised at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=250, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One valid certificate per person and course; completing again after a revocation issues a new one.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(revoked_at__isnull=True),
                name="certificate_one_active_per_user_course",
            ),
        ]
        indexes = [
            # "My certificates": a person's certificates, latest first.
            models.Index(fields=["user", "-issued_at"], name="certificate_user_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_name} · {self.course_title} ({self.code})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return grouped(self.code)
