from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from privatefiles.storage import OFFLINE_EVIDENCE, private_storage, random_name


def _attachment_upload_to(instance, filename: str) -> str:
    # A random name: the learner's file name never reaches the disk or a URL.
    return random_name(OFFLINE_EVIDENCE, filename)


DECLARED_ONCE_MESSAGE = _(
    "You have already declared this training for these dates; it is waiting for a decision or was approved."
)


class OfflineTraining(models.Model):
    """A class attended away from the platform that a learner declares; it earns hours once one
    of the learner's heads (or a city administrator) approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # PROTECT: a declaration is the raw fact behind offline hours; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offline_trainings")
    course_name = models.CharField(_("course name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0.25)])
    # Evidence of a record (the hours it earned): kept, unlike uploads, and never in public media.
    attachment = models.FileField(_("attachment"), storage=private_storage, upload_to=_attachment_upload_to)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline training")
        verbose_name_plural = _("offline trainings")
        indexes = [
            # "My hours": a learner's declarations, latest first.
            models.Index(fields=["user", "-created_at"], name="offline_user_created"),
            # The heads' list of declarations waiting for a decision.
            models.Index(fields=["status", "created_at"], name="offline_status_created"),
        ]
        constraints = [
            # One class attended once: the same form sent twice (a double click, a retry) must not
            # wait twice for a decision and, approved twice, count its hours twice. A rejected
            # declaration may be sent again (with better evidence).
            models.UniqueConstraint(
                fields=["user", "course_name", "start_date", "end_date"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="offline_declared_once",
                violation_error_message=DECLARED_ONCE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.course_name}"


class HourEntry(models.Model):
    """One line of a person's credit-hour ledger. Written when the event happens, never edited
    except to revoke it (revoked_at, revoke_reason); each entry says where it came from."""

    class Kind(models.TextChoices):
        REQUIRED = "required", _("Required")
        ELECTIVE = "elective", _("Elective")

    class Review(models.TextChoices):
        # Counted: EARNED (the verified time met the rule, or the entry is not a completion's) and
        # APPROVED; PENDING and REJECTED are shown to the learner but count nowhere.
        EARNED = "earned", _("Earned")
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved by the head")
        REJECTED = "rejected", _("Rejected by the head")

    class Source(models.TextChoices):
        COURSE_COMPLETION = "course_completion", _("Course completion")
        QUIZ_BONUS = "quiz_bonus", _("Final exam passed")
        OFFLINE = "offline", _("Offline training")

    # PROTECT: the credit-hour ledger is a record; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hour_entries")
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ELECTIVE)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offline = models.ForeignKey(
        OfflineTraining,
        verbose_name=_("offline training"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="entries",
    )
    # The day of the event that earned the hours (completion, pass, end of the offline training);
    # created_at is only when the row was written, which can be later (a backfill, a recompute).
    earned_on = models.DateField(_("earned on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=250, blank=True)
    # The verified-time rule behind a course completion's entry (hours.rules.verified_time_review),
    # as it stood when the entry was written: the person's verified active seconds on the course,
    # the course's expected seconds and the share asked for (percent). Null for other sources.
    review = models.CharField(_("review"), max_length=16, choices=Review.choices, default=Review.EARNED)
    active_seconds = models.PositiveIntegerField(_("verified active time (s)"), null=True, blank=True)
    expected_seconds = models.PositiveIntegerField(_("expected time (s)"), null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(_("share asked for (%)"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)

    COUNTED_REVIEWS = (Review.EARNED, Review.APPROVED)

    class Meta:
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        constraints = [
            # Completing a course (or passing its final exam) twice gives one entry.
            models.UniqueConstraint(
                fields=["user", "course", "source"],
                condition=models.Q(course__isnull=False),
                name="hourentry_unique_user_course_source",
            ),
            models.UniqueConstraint(
                fields=["offline"], condition=models.Q(offline__isnull=False), name="hourentry_unique_offline"
            ),
        ]
        indexes = [
            # "My hours" and the compliance report: a person's entries of one year.
            models.Index(fields=["user", "year"], name="hourentry_user_year"),
            # The heads' list of completions waiting for review.
            models.Index(fields=["review", "created_at"], name="hourentry_review_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.year} {self.hours} ({self.source})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_counted(self) -> bool:
        return self.revoked_at is None and self.review in self.COUNTED_REVIEWS

    @property
    def active_minutes(self) -> int | None:
        return None if self.active_seconds is None else self.active_seconds // 60

    @property
    def expected_minutes(self) -> int | None:
        return None if self.expected_seconds is None else self.expected_seconds // 60


class IntegrityReview(models.Model):
    """A head's decision on one finding of the integrity report (hours.integrity): the study
    behind a learner's hours looked implausible, and the head accepted it or rejected the hours."""

    class Kind(models.TextChoices):
        TOO_FAST = "too_fast", _("Completed faster than the content allows")
        ONE_SITTING = "one_sitting", _("Many courses finished in one sitting")
        OVERLAP = "overlap", _("Overlapping sessions")
        REGULAR = "regular_beats", _("Heartbeats at machine-regular intervals")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        HOURS_REJECTED = "hours_rejected", _("Hours rejected")

    # PROTECT: a decision on a person's record is part of the record.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the finding is about, stable across runs: the course id (completed too fast, regular
    # heartbeats), the sitting's first completion, or the day of the overlapping sessions.
    key = models.CharField(_("finding"), max_length=64)
    course_ids = models.JSONField(_("courses"), default=list)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("integrity review")
        verbose_name_plural = _("integrity reviews")
        constraints = [
            # A finding is decided once.
            models.UniqueConstraint(fields=["user", "kind", "key"], name="integrityreview_unique_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.key}: {self.decision}"
