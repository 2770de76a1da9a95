from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class DepartmentQuerySet(MP_NodeQuerySet):
    def current(self):
        """Units not retired: what choosers, forms, scope pickers and report listings offer."""
        return self.filter(retired_at__isnull=True)


class DepartmentManager(MP_NodeManager):
    def get_queryset(self):
        return DepartmentQuerySet(self.model, using=self._db).order_by("path")

    def current(self):
        return self.get_queryset().current()


class Department(MP_Node):
    """A unit of the organisation tree: city → department → section, any depth.

    Materialised paths make "this unit and everything under it" one indexed prefix
    query, which is what every head's report asks."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        DEPARTMENT = "department", _("Department")
        SECTION = "section", _("Section")

    code = models.SlugField(_("code"), max_length=64, unique=True, help_text=_("Stable identifier used by imports."))
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    # Set by departments.services.department_retire: the unit is gone from the organisation, its
    # rows stay so that the history of its former people (progress, hours, certificates) keeps its unit.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = DepartmentManager()

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name
