"""Who may assign courses and see overdue people for which part of the tree.

The same rule as reports.scope (city admins and superusers: everything; a head: their own
department and every unit under it; anyone else: nothing), kept here because assignments sits
below reports in the import order (reports reads the overdue counts from here)."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from departments.models import Department
from departments.selectors import department_contains, department_subtree


@dataclass(frozen=True)
class AssignmentScope:
    everything: bool = False
    root: Department | None = None

    @property
    def allowed(self) -> bool:
        return self.everything or self.root is not None

    def contains(self, department: Department | None) -> bool:
        if self.everything:
            return department is not None
        return self.root is not None and department_contains(ancestor=self.root, department=department)

    def departments(self):
        if self.everything:
            return Department.objects.order_by("path")
        if self.root is None:
            return Department.objects.none()
        return department_subtree(department=self.root).order_by("path")

    def department_or_404(self, raw_id) -> Department | None:
        """The unit a query string names (None: the whole scope); outside the scope is a 404."""
        if raw_id in (None, ""):
            return None
        try:
            department_id = int(raw_id)
        except (TypeError, ValueError):
            raise Http404(_("No such department.")) from None
        department = Department.objects.filter(pk=department_id).first()
        if department is None or not self.contains(department):
            raise Http404(_("No such department."))
        return department


def assignment_scope(user) -> AssignmentScope:
    if not user.is_authenticated or not user.is_active:
        return AssignmentScope()
    if user.is_superuser or user.is_city_admin:
        return AssignmentScope(everything=True)
    if user.is_department_head and user.department_id is not None:
        return AssignmentScope(root=user.department)
    return AssignmentScope()
