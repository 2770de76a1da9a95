"""Changes of the organisation tree that reach people and required learning: moving a unit with
its subtree, retiring a unit. `departments` sits below `accounts` and `assignments` and sees
neither people nor assignments, so these orchestrate its services with theirs, in one
transaction: departments.services changes the tree (and writes its audit entry),
accounts.services moves people (audited, with the receivers that keep member counts, required
learning and the reports right), assignments.services withdraws or moves assignments (audited)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_city_admin
from accounts.services import user_roles_update
from departments.models import Department
from departments.selectors import department_subtree
from departments.services import DepartmentChangeRefused, department_move, department_retire

from .models import Assignment
from .services import assignment_department_change, assignment_withdraw, assignments_sync_user
from .signals import organisation_changed

ASSIGNMENTS_WITHDRAW = "withdraw"
ASSIGNMENTS_MOVE = "move"


def _require_city_admin(user) -> None:
    if not is_city_admin(user):
        raise PermissionDenied(_("Only city administrators maintain the organisation."))


def _people_of(departments) -> list:
    return list(
        get_user_model()
        .objects.select_for_update(of=("self",))
        .filter(department__in=departments, is_active=True)
        .order_by("pk")
    )


@transaction.atomic
def department_move_with_people(*, department: Department, parent: Department, moved_by) -> bool:
    """Moves the unit and its subtree under `parent`, then brings required learning in line for
    every active person of the subtree (assignments of their old ancestors no longer apply,
    those of the new ones do; completed rows stay as history). Member counts and department
    summaries are per unit and need no change; overdue figures follow `organisation_changed`."""
    _require_city_admin(moved_by)
    if not department_move(department=department, parent=parent, moved_by=moved_by):
        return False
    subtree = list(department_subtree(department=Department.objects.get(pk=department.pk)))
    for person in _people_of(subtree):
        assignments_sync_user(user=person)
    organisation_changed.send(sender=Department, department_ids=[unit.pk for unit in subtree])
    return True


@dataclass(frozen=True)
class RetirePlan:
    """What retiring a unit would touch, shown on the form before anyone confirms."""

    department: Department
    sub_units: list
    people: int
    heads: int
    assignments: list


def department_retire_plan(*, department: Department) -> RetirePlan:
    subtree = department_subtree(department=department)
    return RetirePlan(
        department=department,
        sub_units=list(subtree.current().exclude(pk=department.pk)),
        people=get_user_model().objects.filter(department=department, is_active=True).count(),
        heads=get_user_model().objects.filter(department=department, is_active=True, is_department_head=True).count(),
        assignments=list(
            Assignment.objects.filter(department=department, active=True).select_related("course").order_by("pk")
        ),
    )


@transaction.atomic
def department_retire_with_people(
    *, department: Department, receiving: Department | None, assignments_action: str, retired_by
) -> dict:
    """Retires a unit, explicitly handling what hangs on it:
    - refused while it has sub-units that are not retired (move or retire them first);
    - its active people move to `receiving` (required while it has any) through
      accounts.services.user_roles_update, audited per person; a head among them loses the head
      role (they would otherwise head the receiving unit);
    - its active assignments are withdrawn (`withdraw`) or moved to `receiving` (`move`), both
      audited;
    - then the unit is marked retired (`departments.retired`, with these counts).
    People who already left stay in the unit, as does everyone's history. Returns the counts."""
    _require_city_admin(retired_by)
    plan = department_retire_plan(department=department)
    if plan.sub_units:
        raise DepartmentChangeRefused(_("Move or retire its sub-units first."))
    if assignments_action not in {ASSIGNMENTS_WITHDRAW, ASSIGNMENTS_MOVE}:
        raise ValidationError(_("Choose what happens to its assignments."))
    if receiving is not None:
        receiving = Department.objects.get(pk=receiving.pk)
        if receiving.retired_at or receiving.path.startswith(department.path):
            raise DepartmentChangeRefused(_("Choose a current unit outside the one being retired."))
    if receiving is None and (plan.people or (plan.assignments and assignments_action == ASSIGNMENTS_MOVE)):
        raise DepartmentChangeRefused(
            _("Choose the unit its people and assignments move to: it still has active people or assignments.")
        )
    for assignment in plan.assignments:
        if assignments_action == ASSIGNMENTS_MOVE:
            assignment_department_change(assignment=assignment, department=receiving, changed_by=retired_by)
        else:
            assignment_withdraw(assignment=assignment, withdrawn_by=retired_by)
    people = _people_of([department])
    for person in people:
        user_roles_update(
            user=person,
            department=receiving,
            is_trainer=person.is_trainer,
            is_department_head=False,
            is_city_admin=person.is_city_admin,
            changed_by=retired_by,
        )
    if plan.assignments and assignments_action == ASSIGNMENTS_MOVE:
        # People already in the receiving unit who now match a moved assignment get their rows.
        for person in _people_of(list(department_subtree(department=receiving))):
            assignments_sync_user(user=person)
    counts = {
        "people_moved": len(people),
        "receiving": receiving.pk if receiving else None,
        "receiving_name": receiving.name if receiving else "",
        "assignments": len(plan.assignments),
        "assignments_action": assignments_action,
    }
    department_retire(department=department, retired_by=retired_by, data=counts)
    organisation_changed.send(
        sender=Department, department_ids=[department.pk, *([receiving.pk] if receiving else [])]
    )
    return counts
