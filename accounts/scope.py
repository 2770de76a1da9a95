"""Who may see and act on which part of the organisation tree: the one rule, used by the reports,
required learning, hours, notifications and every view or export that shows people's records.

City administrators and superusers: the whole tree (and people without a department). A
department head: their own department and every unit under it. Anyone else: nothing. The scope is
built on the server from the signed-in user's roles, never from anything the browser sends."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from departments.models import Department
from departments.selectors import department_contains, department_subtree

from .roles import is_city_admin


@dataclass(frozen=True)
class Unit:
    """A node a report is drawn for: a department, or the whole city (department None)."""

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
    covers every unit under it. Neither: the person sees no one's records."""

    everything: bool = False
    root: Department | None = None

    @property
    def allowed(self) -> bool:
        return self.everything or self.root is not None

    def contains(self, department: Department | None) -> bool:
        """Whether the unit (None: the whole city, or a person without a department) is in scope."""
        if self.everything:
            return True
        return self.root is not None and department_contains(ancestor=self.root, department=department)

    def top_unit(self) -> Unit:
        return Unit(department=None if self.everything else self.root)

    def departments(self) -> QuerySet[Department]:
        """The current units of the scope (retired ones are history, not a choice)."""
        if self.everything:
            return Department.objects.current().order_by("path")
        if self.root is None:
            return Department.objects.none()
        return department_subtree(department=self.root).current().order_by("path")

    def department_or_404(self, raw_id) -> Department | None:
        """The department a query string names (None when it names none); an id outside the scope,
        or not a number, is a 404: never another department's data."""
        if raw_id in (None, ""):
            return None
        try:
            department_id = int(raw_id)
        except (TypeError, ValueError):
            raise Http404(_("No such department.")) from None
        if self.root is not None and department_id == self.root.pk:
            return self.root
        department = Department.objects.filter(pk=department_id).first()
        if department is None or not self.contains(department):
            raise Http404(_("No such department."))
        return department

    def unit_or_404(self, raw_id) -> Unit:
        """The unit a query string names, or the top of the scope when it names none."""
        department = self.department_or_404(raw_id)
        return self.top_unit() if department is None else Unit(department=department)


def unit_member_filter(unit: Unit, prefix: str = "") -> Q:
    """People (or rows reached through `prefix`) whose department is the unit or under it."""
    if unit.department is None:
        return Q(**{f"{prefix}department__isnull": False})
    return Q(**{f"{prefix}department__path__startswith": unit.path})


def user_scope(user) -> Scope:
    if is_city_admin(user):
        return Scope(everything=True)
    if user.is_authenticated and user.is_active and user.is_department_head and user.department_id is not None:
        return Scope(root=user.department)
    return Scope()
