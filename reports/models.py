"""Stored aggregates the department reports read, and report exports run in the background.

The summaries are derived data: reports.services.summary_refresh rewrites one department × course
from CourseProgress after each change commits, and `manage.py reports_recompute --check` proves
every stored row equals a recompute from the raw progress rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privatefiles.jobs import STALLED
from privatefiles.storage import EXPORTS, private_storage, random_name


class DepartmentCourseSummary(models.Model):
    """Figures for the *direct* members of one department in one course (not its sub-units:
    subtree totals are sums of these rows). A row exists only while somebody has started."""

    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    members = models.PositiveIntegerField(_("members"), default=0)
    started = models.PositiveIntegerField(_("started"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    score_sum = models.DecimalField(_("sum of best scores"), max_digits=14, decimal_places=2, default=0)
    score_count = models.PositiveIntegerField(_("number of scores"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    # Learners whose pass came in a make-up sitting (补考): CourseProgress.makeup_passed.
    makeup_passed = models.PositiveIntegerField(_("passed in a make-up sitting"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("department course summary")
        verbose_name_plural = _("department course summaries")
        constraints = [
            models.UniqueConstraint(fields=["department", "course"], name="deptcoursesummary_unique_department_course")
        ]
        # The unique constraint's index (department, course) serves the refresh; the overview reads
        # a subtree by joining departments on their path index.

    def __str__(self) -> str:
        return f"{self.department_id}/{self.course_id}: {self.completed}/{self.members}"


class SummaryRefreshDue(models.Model):
    """A department × course whose summary a queued refresh will recompute. While the mark is
    here, more changes of the pair enqueue nothing: the queued refresh reads them too. Exam day
    commits dozens of grades a second in each department, and one refresh per grade made the
    Celery worker compete with the submits for the CPU. The refresh deletes the mark before it
    reads (reports.tasks.refresh_due_summary), so a change committed after that marks it again."""

    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    due_since = models.DateTimeField(_("due since"))

    class Meta:
        verbose_name = _("summary refresh due")
        verbose_name_plural = _("summary refreshes due")
        constraints = [
            models.UniqueConstraint(fields=["department", "course"], name="summaryrefreshdue_unique_department_course")
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.course_id} since {self.due_since:%Y-%m-%d %H:%M:%S}"


class DepartmentMonthlyCompletions(models.Model):
    """Completions per calendar month (in the site's time zone) by direct members of a department."""

    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    completed = models.PositiveIntegerField(_("completed"), default=0)

    class Meta:
        verbose_name = _("monthly completions")
        verbose_name_plural = _("monthly completions")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "course", "month"], name="deptmonthly_unique_department_course_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.course_id} {self.month:%Y-%m}: {self.completed}"


def _export_upload_to(instance, filename: str) -> str:
    return random_name(EXPORTS, filename)


class ReportExport(models.Model):
    """A large export written by Celery into the private storage; only the person who asked may
    download it, while they still have a report scope, and only for EXPORT_RETENTION_DAYS."""

    class Report(models.TextChoices):
        OVERVIEW_COURSES = "overview_courses", _("Department overview: courses")
        OVERVIEW_UNITS = "overview_units", _("Department overview: sub-units")
        COURSE_LEARNERS = "course_learners", _("Course: learners")
        LEARNER = "learner", _("Learner")
        DEPARTMENT_PROGRESS = "department_progress", _("Department: all courses")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        # The file was deleted after EXPORT_RETENTION_DAYS; the row stays so the page can say so.
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.CharField(_("report"), max_length=32, choices=Report.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.CSV)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_export_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Last sign of life: created, claimed by a worker, each progress update (privatefiles.jobs).
    progress_at = models.DateTimeField(_("last progress at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            # At most one export per person and report waiting or running.
            models.UniqueConstraint(
                fields=["user", "report"],
                condition=Q(status__in=["queued", "running"]),
                name="reportexport_one_active_per_user_report",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportexport_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.report} {self.status}"

    @property
    def stalled(self) -> bool:
        """Marked failed because it made no progress for FILE_JOB_STALE_MINUTES (lost with its worker)."""
        return self.status == self.Status.FAILED and self.error == STALLED

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
