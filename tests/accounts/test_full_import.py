"""A full people import: the people of the departments the file covers who are missing from it
are listed by the dry run under "to deactivate", and deactivated on confirm through the leavers
path (when they left, sessions ended), with the count in the import's audit entry. Never the
importing admin, a superuser, someone outside the covered departments or without an employee ID."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.models import PeopleImport
from accounts.services import PEOPLE_IMPORT_ACTION, people_import_check, user_roles_update
from departments.models import Department
from tests.accounts.test_people_import import csv_file, run
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

ROWS = [
    ["XT10001", "赵预算", "市直党政机关/市财政局/预算科", "科员", "学员", ""],
    ["XT10003", "孙信息", "市直党政机关/市财政局", "主任", "", ""],
]


@pytest.fixture(autouse=True)
def _media(file_roots):
    pass


@pytest.fixture
def tree():
    city = DepartmentFactory(code="city", name="市直党政机关", name_en="City", kind=Department.Kind.CITY)
    finance = DepartmentFactory(parent=city, code="finance", name="市财政局", name_en="Finance Bureau")
    budget = DepartmentFactory(parent=finance, code="finance-budget", name="预算科", name_en="Budget Section")
    police = DepartmentFactory(parent=city, code="public-security", name="市公安局", name_en="Public Security Bureau")
    return {"city": city, "finance": finance, "budget": budget, "police": police}


@pytest.fixture
def city_admin(tree):
    user = UserFactory(username="cityadmin", department=tree["city"])
    user_roles_update(user=user, department=tree["city"], is_trainer=False, is_department_head=False, is_city_admin=True)
    return user


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


@pytest.fixture
def people(tree, city_admin):
    city_admin.employee_id = "ADMIN1"
    city_admin.department = tree["finance"]
    city_admin.save()
    return {
        "kept": UserFactory(employee_id="XT10001", display_name="赵预算", department=tree["budget"]),
        "kept_too": UserFactory(employee_id="XT10003", display_name="孙信息", department=tree["finance"]),
        "missing": UserFactory(employee_id="XT19999", display_name="钱离职", department=tree["budget"]),
        "missing_top": UserFactory(employee_id="XT18888", display_name="李离职", department=tree["finance"]),
        "other_department": UserFactory(employee_id="XT20000", department=tree["police"]),
        "superuser": UserFactory(employee_id="XT30000", department=tree["finance"], is_superuser=True),
        "no_employee_id": UserFactory(employee_id=None, department=tree["finance"]),
        "already_left": UserFactory(employee_id="XT40000", department=tree["finance"], is_active=False),
    }


def full_check(user, rows=ROWS):
    return people_import_check(
        data=csv_file(rows), filename="people.csv", create_missing_departments=False, created_by=user, full_import=True
    )


def test_the_dry_run_lists_exactly_the_missing_people_of_the_covered_departments(city_admin, people):
    checked = full_check(city_admin)
    assert sorted(entry["employee_id"] for entry in checked.deactivations) == ["XT18888", "XT19999"]
    assert User.objects.get(pk=people["missing"].pk).is_active  # nothing written yet


def test_an_ordinary_import_deactivates_nobody(city_admin, people):
    checked = people_import_check(
        data=csv_file(ROWS), filename="people.csv", create_missing_departments=False, created_by=city_admin
    )
    assert checked.deactivations == []
    run(checked)
    assert User.objects.filter(is_active=False).count() == 1  # only who had already left


def test_confirming_deactivates_them_as_leavers_and_counts_them_in_the_audit_entry(city_admin, people):
    done = run(full_check(city_admin))
    gone = {person.employee_id for person in User.objects.filter(is_active=False)}
    assert gone == {"XT19999", "XT18888", "XT40000"}
    assert User.objects.get(pk=people["missing"].pk).deactivated_at is not None
    for key in ("kept", "kept_too", "other_department", "superuser", "no_employee_id"):
        assert User.objects.get(pk=people[key].pk).is_active, key
    assert User.objects.get(pk=city_admin.pk).is_active
    assert done.deactivated == 2 and all(entry["done"] for entry in done.deactivations)
    [entry] = ModelLogEntry.objects.filter(action=PEOPLE_IMPORT_ACTION)
    assert entry.data["deactivated"] == 2 and entry.data["full_import"] is True


def test_a_row_naming_the_city_covers_the_whole_city(city_admin, people):
    rows = [*ROWS, ["XT50000", "周全市", "市直党政机关", "", "", ""]]
    checked = full_check(city_admin, rows)
    assert "XT20000" in {entry["employee_id"] for entry in checked.deactivations}


def test_the_admin_pages_list_then_deactivate(admin_client, city_admin, people, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("people.csv", csv_file(ROWS), content_type="text/csv")
    response = admin_client.post(reverse("accounts_admin:people_import"), {"file": upload, "full_import": "on"})
    people_import = PeopleImport.objects.get()
    assert response.status_code == 302 and people_import.full_import
    page = admin_client.get(reverse("accounts_admin:people_import_detail", args=[people_import.pk]))
    assert "XT19999" in page.text and "钱离职" in page.text
    assert page.text.index("XT19999") < page.text.index("XT10001")  # listed first
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("accounts_admin:people_import_confirm", args=[people_import.pk]))
    assert not User.objects.get(pk=people["missing"].pk).is_active
    assert User.objects.get(pk=people["kept"].pk).is_active
