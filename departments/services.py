import hashlib

from django.db import transaction
from django.utils.text import slugify
from wagtail.log_actions import log

from .models import Department

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
def department_add_child(*, parent: Department, name: str, code: str = "", created_by=None) -> Department:
    """Adds a unit under `parent`: a department under the city, a section below that, and an
    audit entry (`departments.created`, by `created_by`; none: the system)."""
    parent = Department.objects.select_for_update().get(pk=parent.pk)  # treebeard reads numchild
    kind = Department.Kind.DEPARTMENT if parent.depth == 1 else Department.Kind.SECTION
    child = Department(code=code or _free_code(parent, name), name=name, kind=kind)
    child.full_clean(exclude=["path", "depth", "numchild"])
    child = parent.add_child(instance=child)
    log(
        instance=child,
        action=DEPARTMENT_CREATED_ACTION,
        user=created_by,
        data={"code": child.code, "name": child.name, "parent": parent.pk, "parent_name": parent.name},
    )
    return child
