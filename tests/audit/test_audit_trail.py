"""The audit trail: every audited action writes its Wagtail log entry (in the transaction of
the change), a city administrator who is not a superuser reads them all under Reports → Audit
trail, and trainers and heads read none of them (neither there nor in Wagtail's Site history)."""

import datetime
import io
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from wagtail.models import ModelLogEntry

from accounts.audit import LOCKED_OUT_ACTION, LOGIN_ACTION, LOGIN_FAILED_ACTION, NO_ACCOUNT, UNLOCKED_ACTION
from accounts.models import PeopleImport
from accounts.services import PEOPLE_IMPORT_ACTION, people_import_check, people_import_run, user_roles_update
from assignments.models import Assignment
from assignments.services import (
    ASSIGNMENT_CHANGED_ACTION,
    ASSIGNMENT_CREATED_ACTION,
    ASSIGNMENT_WITHDRAWN_ACTION,
    assignment_create,
    assignment_update,
    assignment_withdraw,
)
from certificates.models import Certificate
from courses.services import step_complete
from departments.models import Department
from departments.services import DEPARTMENT_CREATED_ACTION, department_add_child
from hours.models import OfflineTraining
from privatefiles.audit import DOWNLOAD_ACTION
from reports.models import ReportExport
from tests.factories import UserFactory, course_steps
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
AUDIT = "/admin/audit/"
LOCKOUTS = "/admin/audit/lockouts/"


@pytest.fixture(autouse=True)
def _files_and_axes(file_roots):
    AccessAttempt.objects.all().delete()


@pytest.fixture
def city(catalogue):
    built = build_city(catalogue)
    # The city admin is a city admin the proper way: the flag and the City admins group.
    user_roles_update(
        user=built.admin, department=built.city, is_trainer=False, is_department_head=False, is_city_admin=True
    )
    built.admin.refresh_from_db()
    assert not built.admin.is_superuser
    return built


@pytest.fixture
def trainer(city):
    user = UserFactory(username="trainer1", department=city.city)
    user_roles_update(user=user, department=city.city, is_trainer=True, is_department_head=False, is_city_admin=False)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries(action, **filters):
    return ModelLogEntry.objects.filter(action=action, **filters)


def the_entry(action, instance):
    return entries(action).get(content_type__model=instance._meta.model_name, object_id=str(instance.pk))


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------------------- sign-ins


def test_a_sign_in_is_recorded_on_the_account_by_its_owner():
    user = UserFactory(username="wang")
    assert Client(REMOTE_ADDR="10.1.2.3").post(LOGIN, {"username": "wang", "password": PASSWORD}).status_code == 302
    entry = the_entry(LOGIN_ACTION, user)
    assert entry.user_id == user.pk and entry.data["ip_address"] == "10.1.2.3"


def test_a_failed_sign_in_is_recorded_on_the_account_without_an_actor():
    user = UserFactory(username="li")
    Client().post(LOGIN, {"username": "li", "password": "wrong-password"})
    entry = the_entry(LOGIN_FAILED_ACTION, user)
    assert entry.user_id is None and entry.data["username"] == "li"
    assert not entries(LOGIN_ACTION).exists()


def test_a_failed_sign_in_for_an_unknown_username_is_recorded_without_creating_anyone():
    before = User.objects.count()
    Client().post(LOGIN, {"username": "nobody-here", "password": "wrong-password"})
    entry = entries(LOGIN_FAILED_ACTION).get()
    assert (entry.object_id, entry.label, entry.content_type.model) == (NO_ACCOUNT, "nobody-here", "user")
    assert User.objects.count() == before
    assert not User.objects.filter(username="nobody-here").exists()


def test_a_lockout_is_recorded(settings):
    user = UserFactory(username="zhao")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}").post(LOGIN, {"username": "zhao", "password": "wrong-password"})
    assert Client().post(LOGIN, {"username": "zhao", "password": PASSWORD}).status_code == 429
    assert entries(LOCKED_OUT_ACTION, object_id=str(user.pk)).exists()
    assert not entries(LOGIN_ACTION).exists()


def lock_out(username: str, limit: int) -> None:
    # From an address of its own: axes also locks an address that failed too often.
    address = f"10.8.{sum(username.encode()) % 250}.{len(username)}"
    for _attempt in range(limit):
        Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": "wrong-password"})


def test_a_city_admin_unlocks_a_locked_out_account_and_the_unlock_is_audited(city, settings):
    person = UserFactory(username="sun", department=city.finance)
    lock_out("sun", settings.AXES_FAILURE_LIMIT)
    lock_out("ghost", settings.AXES_FAILURE_LIMIT)  # no such account: listed and unlockable too
    admin = client_for(city.admin)
    page = admin.get(LOCKOUTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-lockout="sun"' in html and 'data-lockout="ghost"' in html
    assert admin.post(LOCKOUTS, {"username": "sun"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="sun").exists()
    assert AccessAttempt.objects.filter(username="ghost").exists()
    entry = the_entry(UNLOCKED_ACTION, person)
    assert entry.user_id == city.admin.pk
    assert Client().post(LOGIN, {"username": "sun", "password": PASSWORD}).status_code == 302


def test_unlocking_what_is_not_locked_writes_nothing(city):
    assert client_for(city.admin).post(LOCKOUTS, {"username": "nobody"}).status_code == 302
    assert not entries(UNLOCKED_ACTION).exists()


def test_trainers_and_heads_can_neither_see_nor_lift_lockouts(city, trainer, settings):
    lock_out("sun", settings.AXES_FAILURE_LIMIT)
    for user in (trainer, city.finance_head):
        client = client_for(user)
        assert client.get(LOCKOUTS).status_code in (302, 403)
        assert client.post(LOCKOUTS, {"username": "sun"}).status_code in (302, 403)
    assert AccessAttempt.objects.filter(username="sun").exists()
    assert not entries(UNLOCKED_ACTION).exists()


# ---------------------------------------------------------------------------- people and departments


def test_a_people_import_is_recorded_with_its_counts_and_the_departments_it_added(city):
    UserFactory(username="XT1", employee_id="XT1", display_name="老人", department=city.finance)
    UserFactory(username="XT4", employee_id="XT4", display_name="原样", department=city.finance)
    rows = "工号,姓名,部门路径\nXT1,改名,市/财政局\nXT2,新人,市/财政局/新科室\nXT3,,市/财政局\nXT4,原样,市/财政局\n"
    people_import = people_import_check(
        data=rows.encode(), filename="people.csv", create_missing_departments=True, created_by=city.admin
    )
    people_import.status = PeopleImport.Status.QUEUED
    people_import.save(update_fields=["status"])
    people_import_run(import_id=people_import.pk)
    entry = the_entry(PEOPLE_IMPORT_ACTION, people_import)
    assert entry.user_id == city.admin.pk
    counts = {key: entry.data[key] for key in ("total", "created", "updated", "unchanged", "failed")}
    assert counts == {"total": 4, "created": 1, "updated": 1, "unchanged": 1, "failed": 1}
    assert entry.data["file"] == "people.csv"
    added = Department.objects.filter(name="新科室")
    assert added.exists()
    department_entry = the_entry(DEPARTMENT_CREATED_ACTION, added.get())
    assert department_entry.user_id == city.admin.pk and department_entry.data["parent"] == city.finance.pk


def test_adding_a_department_writes_its_entry_in_the_same_transaction(city):
    with pytest.raises(RuntimeError), transaction.atomic():
        department_add_child(parent=city.finance, name="回滚科", created_by=city.admin)
        raise RuntimeError
    assert not entries(DEPARTMENT_CREATED_ACTION).exists()
    unit = department_add_child(parent=city.police, name="网安支队", created_by=city.admin)
    assert the_entry(DEPARTMENT_CREATED_ACTION, unit).user_id == city.admin.pk


# ---------------------------------------------------------------------------- assignments


def test_assignments_created_changed_and_withdrawn_are_recorded(city):
    due = datetime.date.today() + datetime.timedelta(days=30)
    assignment = assignment_create(
        course=city.courses[0], department=city.finance, due_date=due, created_by=city.finance_head
    )
    created = the_entry(ASSIGNMENT_CREATED_ACTION, assignment)
    assert created.user_id == city.finance_head.pk and created.data["people"] > 0
    assert assignment_update(assignment=assignment, changed_by=city.admin, due_days=14)
    changed = the_entry(ASSIGNMENT_CHANGED_ACTION, assignment)
    assert changed.data["before"]["due_date"] == due.isoformat() and changed.data["after"]["due_days"] == 14
    assert changed.user_id == city.admin.pk
    assert assignment_withdraw(assignment=assignment, withdrawn_by=city.admin)
    assert not Assignment.objects.get(pk=assignment.pk).active
    assert the_entry(ASSIGNMENT_WITHDRAWN_ACTION, assignment).user_id == city.admin.pk
    assert not assignment_withdraw(assignment=assignment, withdrawn_by=city.admin)  # once
    assert entries(ASSIGNMENT_WITHDRAWN_ACTION).count() == 1


# ---------------------------------------------------------------------------- downloads of personal data


def test_a_certificate_download_is_recorded(city, django_capture_on_commit_callbacks):
    learner = city.learners["budget"][0]
    with django_capture_on_commit_callbacks(execute=True):
        for step in course_steps(city.courses[0]):
            step_complete(user=learner, step=step)
    certificate = Certificate.objects.get(user=learner)
    response = client_for(learner).get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    entry = the_entry(DOWNLOAD_ACTION, certificate)
    assert entry.user_id == learner.pk and entry.data["filename"] == f"certificate-{certificate.code}.pdf"


def test_a_refused_download_writes_nothing(city):
    declaration = OfflineTraining.objects.create(
        user=city.learners["budget"][0],
        course_name="线下培训",
        start_date="2026-03-01",
        end_date="2026-03-02",
        hours=Decimal("6"),
        attachment=SimpleUploadedFile("a.png", png_bytes()),
    )
    assert client_for(city.police_head).get(reverse("hours:attachment", args=[declaration.pk])).status_code == 404
    assert not entries(DOWNLOAD_ACTION).exists()
    assert client_for(city.finance_head).get(reverse("hours:attachment", args=[declaration.pk])).status_code == 200
    assert the_entry(DOWNLOAD_ACTION, declaration).user_id == city.finance_head.pk


def test_a_report_exported_at_once_is_recorded_against_its_unit(city):
    response = client_for(city.finance_head).get(
        reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk}
    )
    assert response.status_code == 200
    entry = the_entry(DOWNLOAD_ACTION, city.finance)
    assert entry.user_id == city.finance_head.pk and entry.data["report"] == "course_learners"
    hours = client_for(city.admin).get(reverse("hours:compliance_export", args=["xlsx"]))
    assert hours.status_code == 200
    assert the_entry(DOWNLOAD_ACTION, city.city).data["report"] == "hours_compliance"


def test_a_stored_export_download_is_recorded(city, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 0
    client = client_for(city.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk})
    export = ReportExport.objects.get()
    response = client.get(reverse("reports:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert the_entry(DOWNLOAD_ACTION, export).user_id == city.admin.pk


# ---------------------------------------------------------------------------- who reads the trail


@pytest.fixture
def personal_entries(city, settings):
    """A sign-in, a lockout and a download of someone's data."""
    Client().post(LOGIN, {"username": "plain", "password": PASSWORD})
    lock_out("head.police", settings.AXES_FAILURE_LIMIT)
    client_for(city.finance_head).get(
        reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk}
    )
    assert entries(DOWNLOAD_ACTION).exists() and entries(LOCKED_OUT_ACTION).exists()
    assert entries(LOGIN_ACTION).exists()
    return ModelLogEntry.objects.filter(action__in=[DOWNLOAD_ACTION, LOCKED_OUT_ACTION, LOGIN_ACTION])


def test_a_city_admin_who_is_not_a_superuser_reads_every_entry_in_the_audit_trail(city, personal_entries):
    client = client_for(city.admin)
    response = client.get(AUDIT)
    assert response.status_code == 200
    html = response.content.decode()
    for action in (DOWNLOAD_ACTION, LOCKED_OUT_ACTION, LOGIN_ACTION, LOGIN_FAILED_ACTION):
        assert f'data-audit-action="{action}"' in html
    assert "Download personal data" in html and "Account locked out" in html
    assert "Downloaded course_learners-" in html


def test_the_audit_trail_filters_by_action_user_and_date(city, personal_entries):
    client = client_for(city.admin)
    only_downloads = client.get(AUDIT, {"action": DOWNLOAD_ACTION}).content.decode()
    assert f'data-audit-action="{DOWNLOAD_ACTION}"' in only_downloads
    assert f'data-audit-action="{LOGIN_ACTION}"' not in only_downloads
    by_head = client.get(AUDIT, {"user": "head.finance"}).content.decode()
    assert f'data-audit-action="{DOWNLOAD_ACTION}"' in by_head
    assert f'data-audit-action="{LOCKED_OUT_ACTION}"' not in by_head  # nobody's doing
    assert f"<td>{city.plain_learner.display_name}</td>" not in by_head  # the learner's own sign-in
    later = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert "data-audit-action=" not in client.get(AUDIT, {"timestamp_from": later}).content.decode()
    earlier = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    assert "data-audit-action=" in client.get(AUDIT, {"timestamp_from": earlier}).content.decode()


def test_trainers_and_heads_see_no_audit_entries_of_others(city, trainer, personal_entries):
    for user in (trainer, city.finance_head):
        response = client_for(user).get(AUDIT)
        assert response.status_code in (302, 403)
        assert "data-audit-action" not in response.content.decode()
    # Wagtail's own Site history filters by model permissions: a trainer has none on these.
    site_history = client_for(trainer).get("/admin/reports/site-history/")
    assert site_history.status_code == 200
    html = site_history.content.decode()
    assert "Download personal data" not in html and "Account locked out" not in html and "Sign in" not in html
    for entry in personal_entries:
        assert f">{entry.label}<" not in html


# The actions audited before this trail existed (their services' own tests check that they are
# written): the city admin's listing shows them whatever model they are logged on, because it asks
# the role, not model permissions, and a trainer still gets none of them.
EARLIER_ACTIONS = {
    "accounts.roles_changed": "Change department or roles",
    "quizzes.grade_override": "Override grade",
    "quizzes.regrade": "Regrade",
    "certificates.revoked": "Revoke certificate",
    "hours.offline_approved": "Approve offline training",
    "hours.offline_rejected": "Reject offline training",
    "hours.revoked": "Revoke credit hours",
    "records.repaired": "Repair a learning record",
}


@pytest.mark.parametrize(("action", "label"), EARLIER_ACTIONS.items())
def test_the_city_admin_reads_the_actions_audited_before(city, trainer, action, label):
    from wagtail.log_actions import log

    log(instance=city.finance, action=action, user=city.finance_head, data={})
    html = client_for(city.admin).get(AUDIT, {"action": action}).content.decode()
    assert f'data-audit-action="{action}"' in html and f"<td>{label}</td>" in html
    assert client_for(trainer).get(AUDIT, {"action": action}).status_code == 403


def test_exporting_the_audit_trail_is_itself_a_recorded_download(city, personal_entries):
    response = client_for(city.admin).get(AUDIT, {"export": "csv", "action": DOWNLOAD_ACTION})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = data.decode("utf-8-sig")
    assert "Download personal data" in text and "course_learners" not in text.split("\n")[0]
    entry = entries(DOWNLOAD_ACTION, user=city.admin).get()
    assert entry.object_id == str(city.admin.pk) and entry.data["report"] == "audit_trail"
    assert entry.data["filename"].startswith("audit-trail-") and entry.data["filename"].endswith(".csv")


def test_a_typed_username_is_shown_escaped_in_the_lockouts_and_the_trail(city, settings):
    lock_out("<b>x</b>", settings.AXES_FAILURE_LIMIT)
    client = client_for(city.admin)
    for page in (client.get(LOCKOUTS), client.get(AUDIT)):
        html = page.content.decode()
        assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
