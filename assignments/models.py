from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class Assignment(models.Model):
    """A course that a department subtree (optionally only some positions) must finish by a
    date: a fixed date, or a number of days after each person is assigned or joins."""

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="assignments"
    )
    positions = models.CharField(
        _("positions"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas; leave empty for every position."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_days_after_assigned = models.PositiveIntegerField(_("days after being assigned"), null=True, blank=True)
    repeat_yearly = models.BooleanField(_("repeat every year"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(due_date__isnull=False, due_days_after_assigned__isnull=True)
                    | models.Q(due_date__isnull=True, due_days_after_assigned__isnull=False)
                ),
                name="assignment_one_due_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} → {self.department_id}"

    @property
    def position_list(self) -> list[str]:
        return rules.parse_positions(self.positions)


class LearnerAssignment(models.Model):
    """One person's cycle of an assignment: when they were assigned, when it is due, and when
    they completed it. A yearly assignment has one row per cycle."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="learner_rows")
    # CASCADE, unlike progress, hours and certificates: these rows derive from the assignment and
    # the person's membership (completed_at from their progress, which is PROTECTed), so a person
    # who can be deleted at all has nothing here that is not recomputable.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_assignments")
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateField(_("due"))
    cycle_year = models.PositiveSmallIntegerField(_("cycle"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("required course of a learner")
        verbose_name_plural = _("required courses of learners")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user", "cycle_year"], name="learnerassignment_unique_cycle"),
        ]
        indexes = [
            # "Required learning": a learner's rows by due date.
            models.Index(fields=["user", "due_at"], name="learnerassign_user_due"),
            # The overdue list: open rows past their date.
            models.Index(fields=["completed_at", "due_at"], name="learnerassign_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.assignment_id} {self.cycle_year}"
