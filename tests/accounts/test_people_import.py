import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import PeopleImport
from accounts.people_import import ImportFileError, parse_roles, read_people, template_csv, template_xlsx
from accounts.roles import TRAINERS_GROUP
from accounts.services import ROLES_CHANGED_ACTION, people_import_check, people_import_run, user_roles_update
from departments.models import Department
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = ["工号 Employee ID", "姓名 Name", "部门路径 Department path", "职务 Position", "角色 Role", "邮箱 E-mail"]
ROWS = [
    ["XT10001", "赵预算", "市直党政机关/市财政局/预算科", "科员", "学员", "zhao@example.gov.cn"],
    ["XT10002", "钱安全", "市公安局", "科长", "培训师、部门负责人", ""],
    ["XT10003", "孙信息", "市直党政机关/市财政局", "主任", "", "sun@example.gov.cn"],
]


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
    user_roles_update(
        user=user, department=tree["city"], is_trainer=False, is_department_head=False, is_city_admin=True
    )
    return user


@pytest.fixture
def admin_client(city_admin):
    client = Client()
    client.force_login(city_admin)
    return client


@pytest.fixture(autouse=True)
def _media(file_roots):
    pass


def csv_file(rows, *, encoding="utf-8", header=HEADER) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(data: bytes, user, *, filename="people.csv", create_missing=False) -> PeopleImport:
    return people_import_check(data=data, filename=filename, create_missing_departments=create_missing, created_by=user)


def run(people_import: PeopleImport) -> PeopleImport:
    people_import.status = PeopleImport.Status.QUEUED
    people_import.save(update_fields=["status"])
    return people_import_run(import_id=people_import.pk)


def actions(rows):
    return [row["action"] for row in rows]


def error_codes(row):
    return [code for code, _params in row["errors"]]


def roles_entries():
    return ModelLogEntry.objects.filter(action=ROLES_CHANGED_ACTION)


# ---------------------------------------------------------------------------- reading files


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_reads_the_same_people(encoding):
    people = read_people(csv_file(ROWS, encoding=encoding), "people.csv")
    assert [(p.employee_id, p.name, p.department_path) for p in people] == [
        ("XT10001", "赵预算", ["市直党政机关", "市财政局", "预算科"]),
        ("XT10002", "钱安全", ["市公安局"]),
        ("XT10003", "孙信息", ["市直党政机关", "市财政局"]),
    ]
    assert people[1].roles == {"is_trainer": True, "is_department_head": True, "is_city_admin": False}
    assert people[2].roles is None  # blank cell: no change


def test_xlsx_is_read_and_numeric_employee_ids_lose_their_decimal_point():
    people = read_people(xlsx_file([[10001, "赵预算", "市财政局", None, "learner", None]]), "people.xlsx")
    assert (people[0].row, people[0].employee_id, people[0].name, people[0].position) == (2, "10001", "赵预算", "")


@pytest.mark.parametrize(
    "header",
    [
        ["Employee ID", "Name", "Department path"],
        ["工号", "姓名", "部门路径"],
        ["工号 Employee ID", "Name", "部门路径"],
        ["employee id", "姓名 name", "Department Path 部门路径"],
    ],
)
def test_headers_are_matched_by_either_half(header):
    people = read_people(csv_file([["XT1", "甲", "市财政局"]], header=header), "people.csv")
    assert (people[0].employee_id, people[0].name, people[0].department_path) == ("XT1", "甲", ["市财政局"])


def test_a_missing_required_column_is_a_file_error():
    with pytest.raises(ImportFileError) as error:
        read_people(csv_file([["XT1", "甲"]], header=["工号", "姓名"]), "people.csv")
    assert error.value.code == "missing_columns"
    assert "Department path" in error.value.message


def test_a_file_that_is_neither_utf8_nor_gbk_is_refused():
    with pytest.raises(ImportFileError) as error:
        read_people(b"\xff\xfe\x00\xd8\x00\x00\x81", "people.csv")
    assert error.value.code in {"encoding", "empty", "missing_columns"}


def test_a_broken_xlsx_is_refused():
    with pytest.raises(ImportFileError) as error:
        read_people(b"PK\x03\x04 not really a zip", "people.xlsx")
    assert error.value.code == "unreadable"


@pytest.mark.parametrize(
    ("cell", "flags", "unknown"),
    [
        ("", None, []),
        ("learner", {"is_trainer": False, "is_department_head": False, "is_city_admin": False}, []),
        ("Trainer, head", {"is_trainer": True, "is_department_head": True, "is_city_admin": False}, []),
        ("学员、管理员", {"is_trainer": False, "is_department_head": False, "is_city_admin": True}, []),
        ("trainer，boss", {"is_trainer": True, "is_department_head": False, "is_city_admin": False}, ["boss"]),
    ],
)
def test_role_cells_in_either_language(cell, flags, unknown):
    assert parse_roles(cell) == (flags, unknown)


# ---------------------------------------------------------------------------- dry run


def test_dry_run_shows_what_each_row_would_do_and_writes_nothing(tree, city_admin):
    UserFactory(
        username="xt10003",
        employee_id="XT10003",
        display_name="孙信息",
        department=tree["finance"],
        position="主任",
        email="sun@example.gov.cn",
    )
    UserFactory(
        username="xt10002", employee_id="XT10002", display_name="钱某", department=tree["police"], position="科长"
    )
    users_before = User.objects.count()

    people_import = check(csv_file(ROWS), city_admin)

    assert User.objects.count() == users_before
    assert not roles_entries().exclude(object_id=str(city_admin.pk)).exists()
    assert people_import.status == PeopleImport.Status.CHECKED
    assert actions(people_import.preview) == ["create", "update", "unchanged"]
    assert people_import.preview[1]["changes"] == ["name", "roles"]
    assert people_import.file.name.startswith("people-imports/")  # in the private storage (tests/privatefiles)


def test_per_row_errors_are_reported_with_their_reason(tree, city_admin):
    rows = [
        ["XT20001", "甲", "市直党政机关/市档案局", "", "", ""],  # unknown department
        ["XT20002", "乙", "市财政局", "", "", ""],
        ["XT20002", "丙", "市财政局", "", "", ""],  # duplicate employee id (both rows)
        ["XT20003", "丁", "市财政局", "", "boss", ""],  # bad role
        ["XT20004", "", "市财政局", "", "", ""],  # missing name
        ["XT20005", "戊", "市财政局", "", "", "not-an-address"],  # invalid e-mail
        ["XT 20006", "己", "市财政局", "", "", ""],  # bad employee id
        ["XT20007", "庚", "市财政局", "", "", ""],  # fine
    ]
    preview = check(csv_file(rows), city_admin).preview
    assert [error_codes(row) for row in preview] == [
        ["unknown_department"],
        ["duplicate_employee_id"],
        ["duplicate_employee_id"],
        ["bad_role"],
        ["missing_name"],
        ["bad_email"],
        ["bad_employee_id"],
        [],
    ]
    assert preview[0]["errors"][0][1] == {"segment": "市档案局", "parent": "市直党政机关"}
    assert actions(preview)[-1] == "create"


def test_upload_view_runs_the_dry_run_and_lists_errors_in_the_readers_language(admin_client, tree):
    upload = SimpleUploadedFile(
        "people.csv", csv_file([*ROWS, ["XT10009", "", "市财政局", "", "", ""]], encoding="gbk")
    )
    response = admin_client.post(reverse("accounts_admin:people_import"), {"file": upload})
    assert response.status_code == 302
    people_import = PeopleImport.objects.get()
    page = admin_client.get(response.url).content.decode()
    assert "3 to create, 0 to update, 0 unchanged, 1 with errors." in page
    assert "The name is missing." in page
    assert "Confirm the import" in page
    assert "no password" in page
    assert people_import.created_by.username == "cityadmin"


def test_upload_view_refuses_large_and_unknown_files(admin_client, tree):
    url = reverse("accounts_admin:people_import")
    big = SimpleUploadedFile("people.csv", b"x" * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MB" in admin_client.post(url, {"file": big}).content.decode()
    other = SimpleUploadedFile("people.txt", csv_file(ROWS))
    assert "Upload a .csv or .xlsx file." in admin_client.post(url, {"file": other}).content.decode()
    headless = SimpleUploadedFile("people.csv", csv_file([["a", "b"]], header=["x", "y"]))
    assert "Required columns are missing" in admin_client.post(url, {"file": headless}).content.decode()
    assert not PeopleImport.objects.exists()


# ---------------------------------------------------------------------------- applying


def test_confirm_runs_the_import_in_celery_and_creates_people_without_passwords(
    admin_client, tree, city_admin, django_capture_on_commit_callbacks
):
    people_import = check(csv_file(ROWS), city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("accounts_admin:people_import_confirm", args=[people_import.pk]))
    assert response.status_code == 302
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.DONE
    assert (people_import.total, people_import.done, people_import.created) == (3, 3, 3)
    zhao = User.objects.get(employee_id="XT10001")
    assert (zhao.username, zhao.display_name, zhao.department, zhao.position, zhao.email) == (
        "XT10001",
        "赵预算",
        tree["budget"],
        "科员",
        "zhao@example.gov.cn",
    )
    assert not zhao.has_usable_password()
    qian = User.objects.get(employee_id="XT10002")
    assert qian.is_trainer and qian.is_department_head and not qian.is_city_admin
    assert qian.groups.filter(name=TRAINERS_GROUP).exists()
    assert roles_entries().filter(object_id=str(qian.pk), user_id=city_admin.pk).count() == 1

    status = admin_client.get(reverse("accounts_admin:people_import_status", args=[people_import.pk])).json()
    assert status == {
        "status": "done",
        "total": 3,
        "done": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "deactivated": 0,
        "finished": True,
    }
    page = admin_client.get(reverse("accounts_admin:people_import_detail", args=[people_import.pk])).content.decode()
    assert "<progress" in page and "js/people_import.js" in page


def test_a_second_confirm_does_not_run_the_import_again(
    admin_client, tree, city_admin, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts import tasks

    sent = []
    monkeypatch.setattr(tasks.people_import_run, "run", sent.append)
    people_import = check(csv_file(ROWS), city_admin)
    url = reverse("accounts_admin:people_import_confirm", args=[people_import.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
        admin_client.post(url)
    assert sent == [people_import.pk]


def test_reimporting_the_same_file_changes_nothing(tree, city_admin):
    run(check(xlsx_file(ROWS), city_admin, filename="people.xlsx"))
    entries = roles_entries().count()
    users = list(User.objects.order_by("pk").values())

    second = check(xlsx_file(ROWS), city_admin, filename="people.xlsx")
    assert actions(second.preview) == ["unchanged"] * 3
    second = run(second)
    assert actions(second.results) == ["unchanged"] * 3
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert roles_entries().count() == entries
    assert list(User.objects.order_by("pk").values()) == users


def test_blank_role_cell_keeps_an_existing_persons_roles(tree, city_admin):
    head = UserFactory(username="xt10003", employee_id="XT10003", display_name="孙", department=tree["finance"])
    user_roles_update(
        user=head, department=tree["finance"], is_trainer=False, is_department_head=True, is_city_admin=False
    )
    result = run(check(csv_file([ROWS[2]]), city_admin))
    assert result.results[0]["changes"] == ["name", "position", "email"]
    head.refresh_from_db()
    assert head.is_department_head and head.display_name == "孙信息"


def test_rows_with_errors_are_skipped_and_the_others_applied(tree, city_admin):
    rows = [*ROWS, ["XT10004", "李", "市档案局", "", "", ""]]
    result = run(check(csv_file(rows), city_admin))
    assert actions(result.results) == ["create", "create", "create", "error"]
    assert result.failed == 1
    assert not User.objects.filter(employee_id="XT10004").exists()


def test_missing_departments_are_created_when_asked(tree, city_admin):
    rows = [
        ["XT30001", "甲", "市直党政机关/市档案局/档案科", "", "", ""],
        ["XT30002", "乙", "市档案局/档案科", "", "", ""],
    ]
    people_import = check(csv_file(rows), city_admin, create_missing=True)
    assert [row["new_departments"] for row in people_import.preview] == [["市档案局", "档案科"], ["市档案局", "档案科"]]
    assert not Department.objects.filter(name="市档案局").exists()
    result = run(people_import)
    assert actions(result.results) == ["create", "create"]
    archives = Department.objects.get(name="市档案局")
    section = Department.objects.get(name="档案科")
    assert archives.get_parent() == tree["city"] and archives.kind == Department.Kind.DEPARTMENT
    assert section.get_parent() == archives and section.kind == Department.Kind.SECTION
    assert set(User.objects.filter(employee_id__in=["XT30001", "XT30002"]).values_list("department", flat=True)) == {
        section.pk
    }


def test_a_failing_row_never_half_applies_and_the_other_rows_still_do(tree, city_admin, monkeypatch):
    existing = UserFactory(username="xt10002", employee_id="XT10002", display_name="钱某", department=tree["police"])
    rows = [
        *ROWS,
        ["XT10004", "李", "市档案局/档案科", "", "培训师", ""],  # a new person under new units, failing too
    ]
    real_update = services.user_roles_update

    def failing_update(*, user, **kwargs):
        if user.employee_id in {"XT10002", "XT10004"}:
            raise RuntimeError("disk full")
        return real_update(user=user, **kwargs)

    monkeypatch.setattr(services, "user_roles_update", failing_update)
    result = run(check(csv_file(rows), city_admin, create_missing=True))

    assert actions(result.results) == ["create", "error", "create", "error"]
    assert error_codes(result.results[1]) == ["unexpected"]
    existing.refresh_from_db()
    assert (existing.display_name, existing.is_trainer, existing.department) == ("钱某", False, tree["police"])
    assert not User.objects.filter(employee_id="XT10004").exists()
    assert not Department.objects.filter(name__in=["市档案局", "档案科"]).exists()
    assert User.objects.get(employee_id="XT10001").department == tree["budget"]
    assert User.objects.get(employee_id="XT10003").department == tree["finance"]


def test_a_username_held_by_another_account_is_an_error(tree, city_admin):
    UserFactory(username="XT10001", employee_id="OTHER1", department=tree["finance"])
    preview = check(csv_file([ROWS[0]]), city_admin).preview
    assert error_codes(preview[0]) == ["username_taken"]


def test_dry_run_queries_do_not_grow_with_the_file(tree, city_admin, django_assert_max_num_queries):
    def rows(n):
        return [[f"XT4{i:04d}", f"人{i}", "市财政局/预算科", "科员", "学员", ""] for i in range(n)]

    with django_assert_max_num_queries(12):
        check(csv_file(rows(5)), city_admin)
    with django_assert_max_num_queries(12):
        check(csv_file(rows(200)), city_admin)


# ---------------------------------------------------------------------------- templates


def test_xlsx_template_has_the_bilingual_header_and_three_rows_that_read_cleanly():
    data = template_xlsx()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 4
    assert all(not person.errors for person in read_people(data, "template.xlsx"))


def test_csv_template_is_utf8_with_bom():
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(read_people(data, "template.csv")) == 3


def test_template_downloads(admin_client):
    xlsx = admin_client.get(reverse("accounts_admin:template_xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    assert admin_client.get(reverse("accounts_admin:template_csv")).content.startswith(b"\xef\xbb\xbf")


# ---------------------------------------------------------------------------- permissions


def import_urls(people_import):
    return [
        ("get", reverse("accounts_admin:people_import")),
        ("post", reverse("accounts_admin:people_import")),
        ("get", reverse("accounts_admin:people_import_detail", args=[people_import.pk])),
        ("post", reverse("accounts_admin:people_import_confirm", args=[people_import.pk])),
        ("get", reverse("accounts_admin:people_import_status", args=[people_import.pk])),
        ("get", reverse("accounts_admin:template_xlsx")),
        ("get", reverse("accounts_admin:template_csv")),
    ]


@pytest.mark.parametrize("role", ["trainer", "head"])
def test_people_with_admin_access_but_not_city_admins_get_403_on_every_import_url(tree, city_admin, role):
    people_import = check(csv_file(ROWS), city_admin)
    user = UserFactory(username=f"not-admin-{role}", department=tree["finance"])
    user_roles_update(
        user=user,
        department=tree["finance"],
        is_trainer=True,  # the Trainers group opens the Wagtail admin
        is_department_head=role == "head",
        is_city_admin=False,
    )
    client = Client()
    client.force_login(user)
    for method, url in import_urls(people_import):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.CHECKED


def test_learners_and_visitors_are_sent_to_the_login_page_from_every_import_url(tree, city_admin):
    people_import = check(csv_file(ROWS), city_admin)
    learner = Client()
    learner.force_login(UserFactory(username="plain", department=tree["finance"]))
    for client in (learner, Client()):
        for method, url in import_urls(people_import):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and "/login/" in response.url, (method, url)
    people_import.refresh_from_db()
    assert people_import.status == PeopleImport.Status.CHECKED


def test_menu_item_is_shown_to_city_admins_only(admin_client, tree):
    assert "Import people" in admin_client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_city_admins_import_leaves_a_superusers_account_alone(tree, city_admin):
    """Only an administrator changes an administrator (accounts.roles.may_manage), by an import too:
    the row that would change a superuser is an error in the dry run and when applied."""
    root = UserFactory(username="root", employee_id="XT30001", display_name="根", is_superuser=True)
    root.department = tree["city"]
    root.save()
    rows = [
        ["XT30001", "改名", "市直党政机关/市财政局", "", "管理员", ""],  # would move and rename the superuser
        ["XT30002", "新人", "市直党政机关/市财政局", "", "", ""],
    ]
    preview = check(csv_file(rows), city_admin).preview
    assert [error_codes(row) for row in preview] == [["superuser_account"], []]
    assert preview[0]["errors"][0][1] == {"employee_id": "XT30001"}

    # Applied (the superuser might have become one after the dry run): the row is refused again.
    applied = run(check(csv_file(rows), city_admin))
    assert (applied.failed, applied.created) == (1, 1)
    root.refresh_from_db()
    assert (root.display_name, root.department_id, root.is_city_admin) == ("根", tree["city"].pk, False)

    # Unchanged, the superuser's row is no error; a superuser's own import changes it.
    same = [["XT30001", "根", "市直党政机关", "", "", ""]]
    assert error_codes(check(csv_file(same), city_admin).preview[0]) == []
    run(check(csv_file(rows), root))
    root.refresh_from_db()
    assert (root.display_name, root.department_id) == ("改名", tree["finance"].pk)
