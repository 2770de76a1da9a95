from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one person, shown on the site and (once) sent by e-mail. Title and body are
    stored already rendered in the recipient's language, so the page and any e-mail retry show
    exactly what was decided when it was created."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        DIGEST = "digest", _("Overdue digest")
        OFFLINE_DECISION = "offline_decision", _("Offline training decision")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,  # messages to the person, not records of learning: they go with them
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    # A path on this site ("/courses/…"); e-mails make it absolute with SITE_BASE_URL.
    link = models.CharField(_("link"), max_length=500, blank=True)
    # The lines of a list after the body (a digest's overdue people), rendered like the title:
    # [{"label": "张伟", "text": "预算科 · “课程” · …", "link": "/reports/learners/12/"}], link optional.
    # Stored as data, not markup, so the page and the e-mail each escape and lay it out themselves.
    items = models.JSONField(_("list"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=16)
    # What the notification is about ("reminder:<learner assignment>:<offset>", "digest:<head>:<week>"):
    # unique per recipient, so a job run twice, or by two workers at once, inserts it once.
    dedupe_key = models.CharField(_("key"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_unique_key"),
        ]
        indexes = [
            # A person's notifications page, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            # The unread count in the header.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
            # The daily retry of e-mails that were not sent.
            models.Index(
                fields=["created_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def item_lines(self) -> list[str]:
        """Each list item as one line of plain text ("- label · text")."""
        return [f"- {' · '.join(part for part in (item.get('label'), item.get('text')) if part)}" for item in self.items]

    @property
    def as_text(self) -> str:
        """The whole message as plain text: the body, then the list."""
        return "\n".join(part for part in [self.body, *self.item_lines] if part)
