"""Writes on people: roles and department (with the Wagtail groups that follow the flags and an
audit log entry), and the people import (dry run, confirmation, applying rows one by one)."""

import datetime
import logging
import secrets
from dataclasses import dataclass, field
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, ModelLogEntry, Page
from wagtail.users.models import UserProfile

from departments.models import Department
from departments.selectors import DepartmentIndex
from departments.services import department_add_child
from outbox.services import enqueue_on_commit

from .audit import UNLOCKED_ACTION, account_event_log
from .models import PeopleImport, UserSession
from .people_import import ImportFileError, PersonRow, read_people
from .roles import (
    CITY_ADMIN_COLLECTION_PERMISSIONS,
    CITY_ADMIN_PAGE_PERMISSIONS,
    CITY_ADMIN_PERMISSIONS,
    CITY_ADMINS_GROUP,
    ROLE_FLAGS,
    TRAINER_PERMISSIONS,
    TRAINERS_GROUP,
    may_manage,
)
from .signals import people_anonymised

logger = logging.getLogger(__name__)

ROLES_CHANGED_ACTION = "accounts.roles_changed"
PEOPLE_IMPORT_ACTION = "accounts.people_import"
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


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def city_admins_group_setup() -> Group:
    """The "City admins" group with everything a city administrator needs in the Wagtail admin
    without being a superuser: the model permissions of roles.CITY_ADMIN_PERMISSIONS, page
    permissions on the root page (the whole tree) and image and document permissions on the
    root collection. Idempotent (adds what is missing, removes nothing), so the demo loader or a
    deployment step can run it any number of times; a role change runs it when it creates the
    group. Page and collection permissions need the root page and collection, which exist once
    Wagtail's migrations have run."""
    group, _created = Group.objects.get_or_create(name=CITY_ADMINS_GROUP)
    group.permissions.add(*(_permission(app_label, codename) for app_label, codename in CITY_ADMIN_PERMISSIONS))
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in CITY_ADMIN_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission("wagtailcore", codename)
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codename in CITY_ADMIN_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )
    return group


def _sync_groups(user) -> None:
    """Trainers ⇔ is_trainer; City admins ⇔ is_city_admin. Other groups are left alone.
    courses.authoring gives the Trainers group its page and media permissions;
    city_admins_group_setup gives the City admins group theirs when it is first created."""
    trainers = _group(TRAINERS_GROUP, TRAINER_PERMISSIONS)
    city_admins = Group.objects.filter(name=CITY_ADMINS_GROUP).first()
    if city_admins is None:
        city_admins = city_admins_group_setup()
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


# ---------------------------------------------------------------------------- lockouts


@transaction.atomic
def account_unlock(*, username: str, unlocked_by, request=None) -> int:
    """Lifts django-axes' lockout of `username` (its failure records from every address) and
    writes an `accounts.unlocked` audit entry in the same transaction. Returns the number of
    records removed (0: nothing was locked, nothing is logged)."""
    removed = axes_reset(username=username)
    if removed:
        account_event_log(
            action=UNLOCKED_ACTION, username=username, request=request, actor=unlocked_by, data={"records": removed}
        )
    return removed


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


def _plan(
    person: PersonRow, *, user, index: DepartmentIndex, create_missing: bool, username_taken: bool, imported_by
) -> _Plan:
    """What applying `person` would change for `user` (None: a new account), imported by
    `imported_by`. Raises RowError."""
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
    if changes and not may_manage(imported_by, user):
        raise RowError("superuser_account", employee_id=person.employee_id)
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


def _covered_paths(people: list[PersonRow], index: DepartmentIndex) -> set[str]:
    """The tree paths a full import covers: for each row, the department (the unit just below
    the city) its path reaches, or the whole city ("") when it names the city itself."""
    covered = set()
    for person in people:
        if not person.department_path:
            continue
        department = index.resolve(person.department_path).department
        if department is None:
            continue
        if department.depth <= 1:
            covered.add("")
        else:
            covered.add(department.path[: 2 * Department.steplen])
    return covered


def people_import_missing(*, people: list[PersonRow], index: DepartmentIndex, imported_by) -> list[dict]:
    """The active people of the departments the file covers who are missing from it (by
    employee ID): whom a full import deactivates. Never the importing admin, a superuser or
    someone without an employee ID (nothing in a file could name them). One query."""
    covered = _covered_paths(people, index)
    if not covered:
        return []
    in_file = {person.employee_id for person in people if person.employee_id}
    candidates = get_user_model().objects.filter(is_active=True, is_superuser=False, employee_id__isnull=False)
    candidates = candidates.exclude(employee_id="").exclude(employee_id__in=in_file)
    if imported_by is not None:
        candidates = candidates.exclude(pk=imported_by.pk)
    if "" not in covered:
        within = Q()
        for path in covered:
            within |= Q(department__path__startswith=path)
        candidates = candidates.filter(within)
    else:
        candidates = candidates.filter(department__isnull=False)
    return [
        {
            "id": person.pk,
            "employee_id": person.employee_id,
            "name": person.display_name,
            "department": person.department.name if person.department else "",
            "done": False,
        }
        for person in candidates.select_related("department").order_by("department__path", "employee_id")
    ]


def people_import_check(
    *, data: bytes, filename: str, create_missing_departments: bool, created_by, full_import: bool = False
) -> PeopleImport:
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
                imported_by=created_by,
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
        full_import=full_import,
        deactivations=people_import_missing(people=people, index=index, imported_by=created_by) if full_import else [],
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
        plan = _plan(
            person,
            user=user,
            index=index,
            create_missing=create_missing,
            username_taken=taken,
            imported_by=changed_by,
        )
        action = _planned_action(plan)
        if action == "unchanged":
            return _outcome(person, action)
        department, created_units = plan.department, []
        if plan.missing:
            department = plan.parent
            for name in plan.missing:
                department = department_add_child(parent=department, name=name, created_by=changed_by)
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
    if people_import.full_import:
        _deactivate_missing(people_import, in_file={person.employee_id for person in people if person.employee_id})
    people_import.status = PeopleImport.Status.DONE
    people_import.finished_at = timezone.now()
    with transaction.atomic():
        _save_progress(
            people_import,
            ["status", "finished_at", "total", "results", "deactivated", "deactivations", *counter_fields],
        )
        # Who imported what, with its counts; each row's own changes are logged as they are applied.
        log(
            instance=people_import,
            action=PEOPLE_IMPORT_ACTION,
            user=people_import.created_by,
            data={
                "file": people_import.original_name,
                "total": people_import.total,
                **{name: getattr(people_import, name) for name in COUNTERS.values()},
                "full_import": people_import.full_import,
                "deactivated": people_import.deactivated,
            },
        )
    return people_import


def _deactivate_missing(people_import: PeopleImport, *, in_file: set[str]) -> None:
    """Deactivates the people the dry run listed (and the admin confirmed), through the leavers
    path (user_set_active: when they left, their sessions ended, member counts and required
    learning follow). Someone who meanwhile appears in the file, became a superuser, is the
    importer or has already left is skipped."""
    User = get_user_model()
    people_import.deactivated = 0
    for entry in people_import.deactivations:
        with transaction.atomic():
            person = User.objects.select_for_update(of=("self",)).filter(pk=entry.get("id")).first()
            if (
                person is None
                or person.is_superuser
                or person.pk == people_import.created_by_id
                or person.employee_id in in_file
                or not user_set_active(user=person, is_active=False)
            ):
                continue
        entry["done"] = True
        people_import.deactivated += 1


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


# ---------------------------------------------------------------------------- leavers

# The session key a session was last recorded under (see user_session_record).
RECORDED_SESSION = "_recorded_session_key"
# An anonymised person's username: this prefix and a random token (nothing about the person).
ANONYMISED_USERNAME_PREFIX = "left-"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_record(*, user_id: int, session) -> None:
    """Remembers that `session` belongs to the person, so user_sessions_end can delete it
    through the configured engine (no engine lists a person's sessions). Called at sign-in and
    by SessionRecordMiddleware when the key changed (a password change cycles it); the person's
    rows whose session has ended meanwhile are dropped."""
    if not session.session_key:
        # Signing in over another person's session flushes it, leaving no key until the response
        # is sent: create it now, so the sign-in is recorded here and not on the next request.
        session.save()
    key = session.session_key
    store = _session_store()
    for old in (
        UserSession.objects.filter(user_id=user_id).exclude(session_key=key).values_list("session_key", flat=True)
    ):
        if not store().exists(old):
            UserSession.objects.filter(session_key=old).delete()
    UserSession.objects.update_or_create(session_key=key, defaults={"user_id": user_id})
    session[RECORDED_SESSION] = key


def user_session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user_id: int) -> int:
    """Deletes every recorded session of the person from the session store (database, cache or
    both, whichever SESSION_ENGINE is), so their next request is anonymous; a reactivation does
    not bring a session back. Returns the number of sessions ended."""
    store = _session_store()
    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def user_active_changed(*, user, now: datetime.datetime | None = None) -> None:
    """The one rule for a person's activity flag, called (by accounts.receivers) whenever a save
    flips is_active: leaving records `deactivated_at` and ends every session of the person at
    once; coming back clears `deactivated_at` (the retention period starts again at the next
    departure). Written with update(), so the membership receivers of other apps, which the
    save that flipped the flag has already informed, are not called twice."""
    deactivated_at = None if user.is_active else (now or timezone.now())
    get_user_model().objects.filter(pk=user.pk).update(deactivated_at=deactivated_at)
    user.deactivated_at = deactivated_at
    if not user.is_active:
        user_sessions_end(user_id=user.pk)


def user_set_active(*, user, is_active: bool) -> bool:
    """Activates or deactivates a person with an ordinary save, so that every receiver of the
    change runs (departments' member counts, required learning, the leaver record and the end of
    their sessions). Returns whether anything changed."""
    if user.is_active == bool(is_active):
        return False
    user.is_active = bool(is_active)
    user.save(update_fields=["is_active"])
    return True


def _scrub_import_rows(rows: list, employee_ids: set[str]) -> bool:
    changed = False
    for row in rows:
        if isinstance(row, dict) and row.get("employee_id") in employee_ids:
            row["employee_id"], row["name"] = "", ""
            changed = True
    return changed


@transaction.atomic
def leavers_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Anonymises the people who left (is_active False) more than LEAVER_RETENTION_DAYS ago and
    are not anonymised yet: their names, e-mail, employee ID, position and rank are cleared, the
    username becomes a random token and the password unusable. Their department, progress,
    attempts and grades, hour entries and certificates stay (records of learning; the people are
    inactive, so no report counts them as members), so figures and record checks are unchanged.
    The labels of Wagtail log entries about them, their admin avatar and the rows of people
    imports that name them are cleared too, and `people_anonymised` lets certificates drop the printed name. Idempotent:
    a second run finds nobody. Returns the number of people anonymised."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.LEAVER_RETENTION_DAYS)
    User = get_user_model()
    people = list(
        User.objects.select_for_update()
        .filter(is_active=False, anonymised_at__isnull=True, deactivated_at__lte=cutoff)
        .only("pk", "employee_id")
        .order_by("pk")
    )
    if not people:
        logger.info("leavers anonymised: 0")
        return 0
    employee_ids = {person.employee_id for person in people if person.employee_id}
    unusable = make_password(None)
    for person in people:
        person.username = f"{ANONYMISED_USERNAME_PREFIX}{secrets.token_hex(8)}"
        person.first_name = person.last_name = person.display_name = ""
        person.email = person.position = person.rank = ""
        person.employee_id = None
        person.password = unusable
        person.anonymised_at = now
    # bulk_update sends no post_save: nothing another app derives from a person changes here.
    User.objects.bulk_update(
        people,
        [
            "username",
            "first_name",
            "last_name",
            "display_name",
            "email",
            "position",
            "rank",
            "employee_id",
            "password",
            "anonymised_at",
        ],
        batch_size=500,
    )
    user_ids = [person.pk for person in people]
    UserSession.objects.filter(user_id__in=user_ids).delete()
    entries_about_them = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id__in=[str(pk) for pk in user_ids]
    )
    entries_about_them.update(label="")
    # Sign-in entries (accounts.audit) keep the typed username in their data: it names the person.
    for pk, data in entries_about_them.filter(data__has_key="username").values_list("pk", "data"):
        ModelLogEntry.objects.filter(pk=pk).update(data={**data, "username": ""})  # save() refuses a blank label
    if employee_ids:
        for people_import in PeopleImport.objects.select_for_update().only("pk", "preview", "results", "deactivations"):
            preview = _scrub_import_rows(people_import.preview, employee_ids)
            results = _scrub_import_rows(people_import.results, employee_ids)
            deactivations = _scrub_import_rows(people_import.deactivations, employee_ids)
            if preview or results or deactivations:
                people_import.save(update_fields=["preview", "results", "deactivations"])
    # A photo uploaded as the admin avatar is personal data too.
    avatars = list(UserProfile.objects.filter(user_id__in=user_ids).exclude(avatar="").values_list("avatar", flat=True))
    UserProfile.objects.filter(user_id__in=user_ids).update(avatar="")
    storage = UserProfile._meta.get_field("avatar").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in avatars])
    people_anonymised.send(sender=User, user_ids=user_ids, now=now)
    logger.info("leavers anonymised: %d", len(user_ids))
    return len(user_ids)
