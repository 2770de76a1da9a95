"""Writes on people: roles and department (with the Wagtail groups that follow the flags and an
audit log entry), and the people import (dry run, confirmation, applying rows one by one)."""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from departments.models import Department
from departments.selectors import DepartmentIndex
from departments.services import department_add_child
from outbox.services import enqueue_on_commit

from .models import PeopleImport
from .people_import import ImportFileError, PersonRow, read_people
from .roles import CITY_ADMIN_PERMISSIONS, CITY_ADMINS_GROUP, ROLE_FLAGS, TRAINER_PERMISSIONS, TRAINERS_GROUP

logger = logging.getLogger(__name__)

ROLES_CHANGED_ACTION = "accounts.roles_changed"
PROGRESS_EVERY = 25  # rows between progress writes during an import


# ---------------------------------------------------------------------------- roles


def _roles_snapshot(user) -> dict:
    department = user.department
    return {
        "department": department.pk if department else None,
        "department_name": department.name if department else "",
        **{flag: bool(getattr(user, flag)) for flag in ROLE_FLAGS},
    }


def _group(name: str, permissions: list[tuple[str, str]]) -> Group:
    """The group by name; permissions are given when this creates it (later edits are kept)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            )
        )
    return group


def _sync_groups(user) -> None:
    """Trainers ⇔ is_trainer; City admins ⇔ is_city_admin. Other groups are left alone.
    courses.authoring gives the Trainers group its page and media permissions."""
    trainers = _group(TRAINERS_GROUP, TRAINER_PERMISSIONS)
    city_admins = _group(CITY_ADMINS_GROUP, CITY_ADMIN_PERMISSIONS)
    for group, member in ((trainers, user.is_trainer), (city_admins, user.is_city_admin)):
        if member:
            user.groups.add(group)
        else:
            user.groups.remove(group)


@transaction.atomic
def user_roles_update(
    *,
    user,
    department: Department | None,
    is_trainer: bool,
    is_department_head: bool,
    is_city_admin: bool,
    changed_by=None,
) -> bool:
    """Sets a person's department and role flags, keeps the Trainers and City admins groups in
    step and, when anything changed, writes an `accounts.roles_changed` audit log entry with the
    before and after values. Nothing is cached: the next request reads the new flags. Returns
    whether anything changed."""
    locked = get_user_model().objects.select_for_update(of=("self",)).select_related("department").get(pk=user.pk)
    before = _roles_snapshot(locked)
    locked.department = department
    locked.is_trainer, locked.is_department_head, locked.is_city_admin = (
        bool(is_trainer),
        bool(is_department_head),
        bool(is_city_admin),
    )
    after = _roles_snapshot(locked)
    changed = before != after
    if changed:
        locked.full_clean(exclude=["password"])
        locked.save(update_fields=["department", *ROLE_FLAGS])
        log(instance=locked, action=ROLES_CHANGED_ACTION, user=changed_by, data={"before": before, "after": after})
    _sync_groups(locked)
    # The caller's instance shows the new values too.
    user.department = locked.department
    for flag in ROLE_FLAGS:
        setattr(user, flag, getattr(locked, flag))
    return changed


# ---------------------------------------------------------------------------- people import


class RowError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RowOutcome:
    row: int
    employee_id: str
    name: str
    department: str
    action: str  # "create", "update", "unchanged" or "error"
    changes: list[str] = field(default_factory=list)  # field keys, see admin_views.CHANGE_LABELS
    new_departments: list[str] = field(default_factory=list)
    errors: list[list] = field(default_factory=list)  # [code, params] pairs, see people_import.ROW_ERRORS

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class _Plan:
    user: object | None
    department: Department | None
    parent: Department | None  # where missing units are added
    missing: list[str]
    changes: list[str]


def _normal_email(email: str) -> str:
    return BaseUserManager.normalize_email(email)


def _plan(person: PersonRow, *, user, index: DepartmentIndex, create_missing: bool, username_taken: bool) -> _Plan:
    """What applying `person` would change for `user` (None: a new account). Raises RowError."""
    if user is None and username_taken:
        raise RowError("username_taken", username=person.employee_id)
    resolution = index.resolve(person.department_path)
    parent_name = resolution.department.name if resolution.department else "—"
    if resolution.ambiguous:
        raise RowError("ambiguous_department", segment=resolution.ambiguous, parent=parent_name)
    if resolution.missing and (not create_missing or resolution.department is None):
        raise RowError("unknown_department", segment=resolution.missing[0], parent=parent_name)
    department = None if resolution.missing else resolution.department
    if user is None:
        return _Plan(None, department, resolution.department, resolution.missing, [])
    changes = []
    if user.display_name != person.name:
        changes.append("name")
    if department is None or user.department_id != department.pk:
        changes.append("department")
    if person.position and user.position != person.position:
        changes.append("position")
    if person.email and user.email != _normal_email(person.email):
        changes.append("email")
    if person.roles is not None and any(getattr(user, flag) != value for flag, value in person.roles.items()):
        changes.append("roles")
    return _Plan(user, department, resolution.department, resolution.missing, changes)


def _outcome(person: PersonRow, action: str, **fields) -> RowOutcome:
    return RowOutcome(
        row=person.row,
        employee_id=person.employee_id,
        name=person.name,
        department="/".join(person.department_path),
        action=action,
        **fields,
    )


def _error_outcome(person: PersonRow, errors) -> RowOutcome:
    return _outcome(person, "error", errors=[[code, params] for code, params in errors])


def _planned_action(plan: _Plan) -> str:
    if plan.user is None:
        return "create"
    return "update" if plan.changes else "unchanged"


def people_import_check(*, data: bytes, filename: str, create_missing_departments: bool, created_by) -> PeopleImport:
    """The dry run: reads the file, works out what every row would do and stores the upload
    with that plan. Writes nothing but the PeopleImport row and its file. A constant number of
    queries whatever the file's size. Raises ImportFileError when the file cannot be used."""
    people = read_people(data, filename)
    User = get_user_model()
    ids = [person.employee_id for person in people if person.employee_id]
    users = {user.employee_id: user for user in User.objects.filter(employee_id__in=ids)}
    taken = set(User.objects.filter(username__in=ids).values_list("username", flat=True))
    index = DepartmentIndex.load()
    preview = []
    for person in people:
        if person.errors:
            preview.append(_error_outcome(person, person.errors).as_dict())
            continue
        try:
            plan = _plan(
                person,
                user=users.get(person.employee_id),
                index=index,
                create_missing=create_missing_departments,
                username_taken=person.employee_id in taken,
            )
        except RowError as error:
            preview.append(_error_outcome(person, [(error.code, error.params)]).as_dict())
            continue
        preview.append(
            _outcome(person, _planned_action(plan), changes=plan.changes, new_departments=plan.missing).as_dict()
        )
    people_import = PeopleImport(
        original_name=filename[:255],
        create_missing_departments=create_missing_departments,
        total=len(people),
        preview=preview,
        created_by=created_by,
    )
    people_import.file.save(filename, ContentFile(data), save=False)
    people_import.save()
    return people_import


def people_import_confirm(*, people_import: PeopleImport) -> bool:
    """Queues a checked import once (a second click changes nothing). The task is sent after the
    transaction commits, so the worker sees the new status."""
    from .tasks import people_import_run

    with transaction.atomic():
        locked = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
        if locked.status != PeopleImport.Status.CHECKED:
            return False
        locked.status = PeopleImport.Status.QUEUED
        locked.save(update_fields=["status"])
        enqueue_on_commit(people_import_run, locked.pk)
    people_import.status = locked.status
    return True


def _apply(person: PersonRow, *, index: DepartmentIndex, create_missing: bool, changed_by) -> RowOutcome:
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(employee_id=person.employee_id).first()
        taken = user is None and User.objects.filter(username=person.employee_id).exists()
        plan = _plan(person, user=user, index=index, create_missing=create_missing, username_taken=taken)
        action = _planned_action(plan)
        if action == "unchanged":
            return _outcome(person, action)
        department, created_units = plan.department, []
        if plan.missing:
            department = plan.parent
            for name in plan.missing:
                department = department_add_child(parent=department, name=name)
                created_units.append(department)
        if user is None:
            user = User(username=person.employee_id, employee_id=person.employee_id)
            user.set_unusable_password()  # people set it through the office's reset process
            roles = person.roles or dict.fromkeys(ROLE_FLAGS, False)
        else:
            roles = person.roles or {flag: getattr(user, flag) for flag in ROLE_FLAGS}
        user.display_name = person.name
        if person.position:
            user.position = person.position
        if person.email:
            user.email = _normal_email(person.email)
        user.full_clean(exclude=["password", "department", *ROLE_FLAGS])
        user.save()
        user_roles_update(user=user, department=department, **roles, changed_by=changed_by)
    for unit in created_units:  # committed: later rows find them
        index.add(unit)
    return _outcome(person, action, changes=plan.changes, new_departments=plan.missing)


def people_import_row_apply(
    person: PersonRow, *, index: DepartmentIndex, create_missing: bool, changed_by
) -> RowOutcome:
    """Applies one row in its own transaction: all of it or, on any error, none of it."""
    if person.errors:
        return _error_outcome(person, person.errors)
    try:
        return _apply(person, index=index, create_missing=create_missing, changed_by=changed_by)
    except RowError as error:
        return _error_outcome(person, [(error.code, error.params)])
    except Exception:
        # Rolled back; the other rows go on. The traceback goes to the log, not to the page.
        logger.exception("people import: row %s could not be applied", person.row)
        return _error_outcome(person, [("unexpected", {})])


def _save_progress(people_import: PeopleImport, fields: list[str]) -> None:
    PeopleImport.objects.filter(pk=people_import.pk).update(**{name: getattr(people_import, name) for name in fields})


COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged", "error": "failed"}


def people_import_run(*, import_id: int) -> PeopleImport:
    """Applies a confirmed import row by row, recording progress as it goes. Idempotent: a
    finished import is left alone; a rerun of an interrupted one finds applied rows unchanged."""
    people_import = PeopleImport.objects.select_related("created_by").get(pk=import_id)
    if people_import.status not in {PeopleImport.Status.QUEUED, PeopleImport.Status.RUNNING}:
        return people_import
    people_import.status = PeopleImport.Status.RUNNING
    people_import.started_at = timezone.now()
    people_import.done = people_import.created = people_import.updated = 0
    people_import.unchanged = people_import.failed = 0
    people_import.results = []
    counter_fields = ["done", *COUNTERS.values()]
    _save_progress(people_import, ["status", "started_at", "results", *counter_fields])
    try:
        with people_import.file.open("rb") as handle:
            people = read_people(handle.read(), people_import.original_name)
    except (ImportFileError, OSError):
        logger.exception("people import %s: the stored file could not be read", import_id)
        people_import.status = PeopleImport.Status.FAILED
        people_import.finished_at = timezone.now()
        _save_progress(people_import, ["status", "finished_at"])
        return people_import
    people_import.total = len(people)
    index = DepartmentIndex.load()
    for person in people:
        outcome = people_import_row_apply(
            person,
            index=index,
            create_missing=people_import.create_missing_departments,
            changed_by=people_import.created_by,
        )
        people_import.results.append(outcome.as_dict())
        people_import.done += 1
        counter = COUNTERS[outcome.action]
        setattr(people_import, counter, getattr(people_import, counter) + 1)
        if people_import.done % PROGRESS_EVERY == 0:
            _save_progress(people_import, ["total", *counter_fields])
    people_import.status = PeopleImport.Status.DONE
    people_import.finished_at = timezone.now()
    _save_progress(people_import, ["status", "finished_at", "total", "results", *counter_fields])
    return people_import


def people_imports_purge(*, older_than: datetime.datetime) -> tuple[int, int]:
    """Retention of people imports uploaded before `older_than`: a dry run never confirmed is
    deleted with its file (its plan lists people); a finished import loses its uploaded file and
    keeps its row (counts and the outcome of each row). Queued or running imports are left alone.
    Idempotent. Returns (unconfirmed dry runs deleted, uploaded files deleted)."""
    storage = PeopleImport._meta.get_field("file").storage
    with transaction.atomic():
        # Locked as people_import_confirm locks them: a dry run confirmed meanwhile is not deleted.
        unconfirmed = list(
            PeopleImport.objects.select_for_update()
            .filter(created_at__lt=older_than, status=PeopleImport.Status.CHECKED)
            .values_list("pk", "file")
        )
        PeopleImport.objects.filter(pk__in=[pk for pk, _name in unconfirmed]).delete()
        finished = list(
            PeopleImport.objects.filter(
                created_at__lt=older_than, status__in=[PeopleImport.Status.DONE, PeopleImport.Status.FAILED]
            )
            .exclude(file="")
            .values_list("pk", "file")
        )
        PeopleImport.objects.filter(pk__in=[pk for pk, _name in finished]).update(file="")
    # The rows first: no page offers a file that is gone.
    for _pk, name in [*unconfirmed, *finished]:
        if name:
            storage.delete(name)
    return len(unconfirmed), len(finished)
