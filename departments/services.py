import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import Department
from .selectors import current_namesake

CODE_MAX_LENGTH = Department._meta.get_field("code").max_length

# Audit log actions of the department tree (labels in departments.wagtail_hooks). Every change
# of the tree goes through a service here and writes its entry in the same transaction.
DEPARTMENT_CREATED_ACTION = "departments.created"


def _free_code(parent: Department, name: str) -> str:
    """A code for a unit created without one: its name as a slug when it is Latin, otherwise the
    parent's code and a short hash of the name (the same name always gives the same code)."""
    base = slugify(name) or f"{parent.code}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"  # noqa: S324
    base = base[: CODE_MAX_LENGTH - 4]
    code, number = base, 1
    while Department.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


@transaction.atomic
def department_add_child(
    *, parent: Department, name: str, name_en: str = "", code: str = "", created_by=None
) -> Department:
    """Adds a unit under `parent`: a department under the city, a section below that, and an
    audit entry (`departments.created`, by `created_by`; none: the system)."""
    parent = Department.objects.select_for_update().get(pk=parent.pk)  # treebeard reads numchild
    if parent.retired_at:
        raise DepartmentChangeRefused(_("Retired units cannot receive units."))
    _refuse_a_namesake(parent=parent, name=name, name_en=name_en)  # under the parent's lock: one at a time
    kind = Department.Kind.DEPARTMENT if parent.depth == 1 else Department.Kind.SECTION
    child = Department(code=code or _free_code(parent, name), name=name, name_en=name_en, kind=kind)
    child.full_clean(exclude=["path", "depth", "numchild"])
    child = parent.add_child(instance=child)
    log(
        instance=child,
        action=DEPARTMENT_CREATED_ACTION,
        user=created_by,
        data={"code": child.code, "name": child.name, "parent": parent.pk, "parent_name": parent.name},
    )
    return child


DEPARTMENT_RENAMED_ACTION = "departments.renamed"
DEPARTMENT_MOVED_ACTION = "departments.moved"
DEPARTMENT_RETIRED_ACTION = "departments.retired"


class DepartmentChangeRefused(ValidationError):
    """A change of the tree that would break it (a move into its own subtree, a retired unit as
    a parent, retiring a unit that still has current sub-units)."""


def _locked(department: Department) -> Department:
    return Department.objects.select_for_update().get(pk=department.pk)


def _refuse_a_namesake(*, parent: Department, name: str, name_en: str, exclude_pk: int | None = None) -> None:
    """Refuses a second current unit of the same name under one parent (a form sent twice, two
    administrators at once): the caller holds the parent's lock."""
    namesake = current_namesake(parent=parent, name=name, name_en=name_en, exclude_pk=exclude_pk)
    if namesake is not None:
        raise DepartmentChangeRefused(
            _("%(parent)s already has a current unit called %(name)s.")
            % {"parent": parent.display_name, "name": namesake.display_name}
        )


@transaction.atomic
def department_rename(*, department: Department, name: str, name_en: str, renamed_by) -> bool:
    """Sets the unit's Chinese and English names; `departments.renamed` (before and after) when
    anything changed. Returns whether anything changed."""
    locked = _locked(department)
    # Then its parent (the order a move takes), which adding a unit under it takes too: two
    # siblings renamed to one name at once, or a rename beside an add, wait for each other.
    parent = locked.get_parent()
    if parent is not None:
        parent = _locked(parent)
    before = {"name": locked.name, "name_en": locked.name_en}
    locked.name, locked.name_en = name.strip(), name_en.strip()
    after = {"name": locked.name, "name_en": locked.name_en}
    if before == after:
        return False
    if parent is not None:
        _refuse_a_namesake(parent=parent, name=locked.name, name_en=locked.name_en, exclude_pk=locked.pk)
    locked.full_clean(exclude=["path", "depth", "numchild"])
    locked.save(update_fields=["name", "name_en"])
    log(instance=locked, action=DEPARTMENT_RENAMED_ACTION, user=renamed_by, data={"before": before, "after": after})
    department.name, department.name_en = locked.name, locked.name_en
    return True


@transaction.atomic
def department_move(*, department: Department, parent: Department, moved_by) -> bool:
    """Moves the unit, with every unit under it, under `parent` (treebeard's `move`, which
    rewrites the paths of the subtree). Refused into its own subtree, under a retired unit, or
    for the root. `departments.moved` with the old and new parent. People keep their unit;
    what follows from the new place (required learning) is for the caller above this app
    (assignments.organisation.department_move_with_people). Returns whether it moved."""
    locked, new_parent = _locked(department), _locked(parent)
    if locked.depth == 1:
        raise DepartmentChangeRefused(_("The top of the tree cannot be moved."))
    if new_parent.path.startswith(locked.path):
        raise DepartmentChangeRefused(_("A unit cannot be moved under itself or one of its own sub-units."))
    if locked.retired_at or new_parent.retired_at:
        raise DepartmentChangeRefused(_("Retired units cannot be moved or receive units."))
    old_parent = locked.get_parent()
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return False
    _refuse_a_namesake(parent=new_parent, name=locked.name, name_en=locked.name_en, exclude_pk=locked.pk)
    locked.move(new_parent, pos="sorted-child")
    moved = Department.objects.get(pk=locked.pk)
    if moved.kind != Department.Kind.CITY:
        kind = Department.Kind.DEPARTMENT if moved.depth == 2 else Department.Kind.SECTION
        if moved.kind != kind:
            Department.objects.filter(pk=moved.pk).update(kind=kind)
    log(
        instance=moved,
        action=DEPARTMENT_MOVED_ACTION,
        user=moved_by,
        data={
            "from": old_parent.pk if old_parent else None,
            "from_name": old_parent.name if old_parent else "",
            "to": new_parent.pk,
            "to_name": new_parent.name,
        },
    )
    department.path, department.depth = moved.path, moved.depth
    return True


@transaction.atomic
def department_retire(*, department: Department, retired_by, data: dict | None = None, now=None) -> Department:
    """Marks the unit retired (`departments.retired`, with `data`: what the caller did with its
    people and assignments). Refused while it has sub-units that are not retired. The caller
    (assignments.organisation.department_retire_with_people) moves its people and settles its
    assignments first, in the same transaction; this app cannot see either."""
    locked = _locked(department)
    if locked.retired_at:
        raise DepartmentChangeRefused(_("This unit is already retired."))
    if locked.depth == 1:
        raise DepartmentChangeRefused(_("The top of the tree cannot be retired."))
    if Department.objects.current().filter(path__startswith=locked.path, depth__gt=locked.depth).exists():
        raise DepartmentChangeRefused(_("Move or retire its sub-units first."))
    locked.retired_at = now or timezone.now()
    locked.save(update_fields=["retired_at"])
    log(instance=locked, action=DEPARTMENT_RETIRED_ACTION, user=retired_by, data=data or {})
    department.retired_at = locked.retired_at
    return locked
