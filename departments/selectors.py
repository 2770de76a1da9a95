from django.db.models import QuerySet

from .models import Department


def department_subtree(*, department: Department) -> QuerySet[Department]:
    """The department and every unit under it (one prefix query on the path index)."""
    return Department.objects.filter(path__startswith=department.path, depth__gte=department.depth)


def department_contains(*, ancestor: Department, department: Department | None) -> bool:
    """True when `department` is `ancestor` or lies under it. No query."""
    return department is not None and department.path.startswith(ancestor.path)
