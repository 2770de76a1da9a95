from django.db.models import Q, QuerySet

from .models import Department


def department_subtree(*, department: Department) -> QuerySet[Department]:
    """The department and every unit under it (one prefix query on the path index)."""
    return Department.objects.filter(path__startswith=department.path, depth__gte=department.depth)


def department_contains(*, ancestor: Department, department: Department | None) -> bool:
    """True when `department` is `ancestor` or lies under it. No query."""
    return department is not None and department.path.startswith(ancestor.path)


def department_tree(*, keeping: int | None = None) -> QuerySet[Department]:
    """Every current unit (not retired) in tree order (parents before children), for choosers
    and imports; `keeping`: a unit id offered even if retired (the one a leaver's account still
    names, so that editing the account does not drop it). One query."""
    current = Q(retired_at__isnull=True)
    if keeping is not None:
        current |= Q(pk=keeping)
    return Department.objects.filter(current).order_by("path")


def department_tree_with_retired() -> QuerySet[Department]:
    """Every unit, retired ones too, in tree order: the organisation's own admin page."""
    return Department.objects.order_by("path")


def department_path_names(*, department: Department) -> list[str]:
    """The Chinese names from the root down to `department` (one query for the ancestors)."""
    return [*department.get_ancestors().values_list("name", flat=True), department.name]


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def current_namesake(
    *, parent: Department, name: str, name_en: str, exclude_pk: int | None = None
) -> Department | None:
    """A current (not retired) unit directly under `parent` that a path segment naming `name` or
    `name_en` would also match (DepartmentIndex's rule): two such siblings make every path through
    them ambiguous, so imports could no longer place people there."""
    keys = {_key(name), _key(name_en)} - {""}
    siblings = Department.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1, retired_at__isnull=True
    ).exclude(pk=exclude_pk)
    for sibling in siblings:
        if keys & ({_key(sibling.name), _key(sibling.name_en), _key(sibling.code)} - {""}):
            return sibling
    return None


class DepartmentIndex:
    """The whole tree in memory, to resolve paths such as "市直党政机关/市财政局/预算科" without
    a query per row. A segment matches a unit's Chinese name, English name or code. The root may
    be left out when there is only one (a city's files start at its departments)."""

    def __init__(self, departments: list[Department]):
        self.children: dict[str, list[Department]] = {}
        for department in sorted(departments, key=lambda d: d.path):
            parent_path = department.path[: -Department.steplen]
            self.children.setdefault(parent_path, []).append(department)

    @classmethod
    def load(cls) -> "DepartmentIndex":
        return cls(list(department_tree()))

    def add(self, department: Department) -> None:
        self.children.setdefault(department.path[: -Department.steplen], []).append(department)

    def _matches(self, parent_path: str, segment: str) -> list[Department]:
        key = _key(segment)
        return [
            d for d in self.children.get(parent_path, []) if key in {_key(d.name), _key(d.name_en), _key(d.code)} - {""}
        ]

    def resolve(self, segments: list[str]) -> "PathResolution":
        """The deepest unit the path reaches, and the segments below it that do not exist."""
        roots = self.children.get("", [])
        parent_path, found = "", None
        if segments and not self._matches("", segments[0]) and len(roots) == 1:
            found, parent_path = roots[0], roots[0].path  # the city itself was left out
        for position, segment in enumerate(segments):
            matches = self._matches(parent_path, segment)
            if len(matches) > 1:
                return PathResolution(found, segments[position:], ambiguous=segment)
            if not matches:
                return PathResolution(found, segments[position:])
            found, parent_path = matches[0], matches[0].path
        return PathResolution(found, [])


class PathResolution:
    __slots__ = ("department", "missing", "ambiguous")

    def __init__(self, department: Department | None, missing: list[str], ambiguous: str | None = None):
        self.department = department
        self.missing = missing
        self.ambiguous = ambiguous
