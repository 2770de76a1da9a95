"""Who may see which part of the organisation tree in the reports. Every report view, export,
filter list and learner look-up goes through a Scope built on the server from the user's roles,
never from anything the browser sends."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from departments.models import Department
from departments.selectors import department_contains, department_subtree


@dataclass(frozen=True)
class Unit:
    """A node the overview is drawn for: a department, or the whole city (department None)."""

    department: Department | None

    @property
    def path(self) -> str:
        return self.department.path if self.department is not None else ""

    @property
    def depth(self) -> int:
        return self.department.depth if self.department is not None else 0

    @property
    def label(self) -> str:
        return self.department.display_name if self.department is not None else _("Whole city")

    @property
    def pk(self) -> int | None:
        return self.department.pk if self.department is not None else None


@dataclass(frozen=True)
class Scope:
    """everything: city administrators and superusers. root: a head's own department, which
    covers every unit under it. Neither: the person sees no report at all."""

    everything: bool = False
    root: Department | None = None

    @property
    def allowed(self) -> bool:
        return self.everything or self.root is not None

    def contains(self, department: Department | None) -> bool:
        if self.everything:
            return True
        return self.root is not None and department_contains(ancestor=self.root, department=department)

    def top_unit(self) -> Unit:
        return Unit(department=None if self.everything else self.root)

    def departments(self) -> QuerySet[Department]:
        if self.everything:
            return Department.objects.all()
        if self.root is None:
            return Department.objects.none()
        return department_subtree(department=self.root)

    def unit_or_404(self, raw_id) -> Unit:
        """The unit a query string names, or the top of the scope when it names none. An id
        outside the scope (or not a number) is a 404: never another department's data."""
        if raw_id in (None, ""):
            return self.top_unit()
        try:
            department_id = int(raw_id)
        except (TypeError, ValueError):
            raise Http404(_("No such department.")) from None
        if self.root is not None and department_id == self.root.pk:
            return Unit(department=self.root)
        department = Department.objects.filter(pk=department_id).first()
        if department is None or not self.contains(department):
            raise Http404(_("No such department."))
        return Unit(department=department)


def unit_member_filter(unit: Unit, prefix: str = "") -> Q:
    """People (or rows reached through `prefix`) whose department is the unit or under it."""
    if unit.department is None:
        return Q(**{f"{prefix}department__isnull": False})
    return Q(**{f"{prefix}department__path__startswith": unit.path})


def report_scope(user) -> Scope:
    """City admins and superusers: the whole tree. A department head: their department and every
    unit under it. Everyone else: nothing."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.is_city_admin:
        return Scope(everything=True)
    if user.is_department_head and user.department_id is not None:
        return Scope(root=user.department)
    return Scope()
