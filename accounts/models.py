from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from privatefiles.storage import PEOPLE_IMPORTS, private_storage, random_name


class User(AbstractUser):
    """A civil servant. Every learner belongs to one department; roles are flags because
    one person may hold several (a head is also a learner, a trainer may review)."""

    class Rank(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        SECTION_DEPUTY = "section_deputy", _("Deputy section chief")
        SECTION_CHIEF = "section_chief", _("Section chief")
        DIVISION_DEPUTY = "division_deputy", _("Deputy division chief")
        DIVISION_CHIEF = "division_chief", _("Division chief")
        BUREAU_DEPUTY = "bureau_deputy", _("Deputy bureau director")
        BUREAU_CHIEF = "bureau_chief", _("Bureau director")

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    employee_id = models.CharField(_("employee id"), max_length=32, unique=True, null=True, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.CharField(_("rank"), max_length=32, choices=Rank.choices, blank=True)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    is_trainer = models.BooleanField(_("trainer"), default=False)
    is_department_head = models.BooleanField(
        _("department head"), default=False, help_text=_("Heads see their own department and every unit under it.")
    )
    is_city_admin = models.BooleanField(_("city administrator"), default=False)
    # When the person left (is_active turned False; cleared on reactivation), set by
    # accounts.services.user_active_changed; after LEAVER_RETENTION_DAYS their personal fields are
    # anonymised (accounts.services.leavers_anonymise) and anonymised_at is set.
    deactivated_at = models.DateTimeField(_("left on"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The daily leaver job: inactive people not yet anonymised, by the day they left.
            models.Index(
                fields=["deactivated_at"],
                condition=models.Q(is_active=False, anonymised_at__isnull=True),
                name="user_leaver_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.display_name or self.first_name or self.username


class UserSession(models.Model):
    """A session a person signed in with, so that deactivating them can end every one of their
    sessions through the configured session engine (database, cache or both): no engine can list
    a person's sessions. Recorded at sign-in and when the key changes (password change); removed
    at sign-out and when the sessions are ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        # The user's rows are read through the FK's index when their sessions are ended.

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_key[:6]}…"


def _import_upload_to(instance, filename: str) -> str:
    # The file holds personal data: private storage, a random name, only the suffix kept.
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return random_name(PEOPLE_IMPORTS, suffix=suffix)


class PeopleImport(models.Model):
    """One upload of people: its dry run, then (once confirmed) the import's progress and the
    outcome of every row. Rows are applied one by one, each in its own transaction."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Emptied once the upload is deleted after UPLOAD_RETENTION_DAYS; the outcome of each row stays.
    file = models.FileField(_("file"), storage=private_storage, upload_to=_import_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    create_missing_departments = models.BooleanField(_("create missing departments"), default=False)
    # A full import deactivates the active people of the departments the file covers who are
    # missing from it (services.people_import_check lists them, people_import_run deactivates).
    full_import = models.BooleanField(_("full import"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)
    # One entry per row: {"row", "employee_id", "name", "department", "action", "changes", "errors"}.
    preview = models.JSONField(_("dry run"), default=list, blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    # A full import's people missing from the file: {"id", "employee_id", "name", "department",
    # "done"}; listed by the dry run, "done" once the run has deactivated them.
    deactivations = models.JSONField(_("people to deactivate"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
