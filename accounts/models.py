from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.display_name or self.first_name or self.username
