"""The city administrator (not a superuser) maintains the organisation in a real browser, with the
real buttons: adds, renames, moves and retires a unit in the admin's Departments; a head assigns a
course to a section (a refused form first); the city admin changes and
withdraws an assignment on the assignments page; runs a full people import whose dry run lists
the one person missing from the file, and whose confirmation deactivates them. Each checked in
the database and the audit trail."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from accounts.services import user_roles_update
from assignments import services as assignment_services
from assignments.models import Assignment
from courses.services import step_complete
from departments.models import Department
from departments.services import (
    DEPARTMENT_CREATED_ACTION,
    DEPARTMENT_MOVED_ACTION,
    DEPARTMENT_RENAMED_ACTION,
    DEPARTMENT_RETIRED_ACTION,
)
from hours.models import HourEntry
from tests.factories import UserFactory, course_steps
from tests.factories.reports import build_city

from .test_admin import PASSWORD, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def city_with_admin(catalogue):
    city = build_city(catalogue, per_unit=1, courses=1)
    user_roles_update(
        user=city.admin, department=city.city, is_trainer=False, is_department_head=False, is_city_admin=True
    )
    city.admin.refresh_from_db()
    assert not city.admin.is_superuser
    return city


def submit(visitor):
    visitor.click("main form button[type=submit]")


def test_the_city_admin_adds_renames_moves_and_retires_a_unit(visitor, catalogue):
    city = city_with_admin(catalogue)
    admin_login(visitor, "cityadmin")
    visitor.click("a[href='/admin/departments/']")  # the menu item
    assert "Finance Bureau" in visitor.text()

    visitor.click("main a[href='/admin/departments/add/']")
    visitor.page.select_option("#id_parent", str(city.police.pk))
    visitor.page.fill("#id_name", "交警支队")
    visitor.page.fill("#id_name_en", "Traffic Police")
    submit(visitor)
    unit = Department.objects.get(name="交警支队")
    assert unit.get_parent().pk == city.police.pk
    row = f"[data-unit='{unit.code}']"

    visitor.click(f"{row} a[href$='/rename/']")
    visitor.page.fill("#id_name", "交警大队")
    visitor.page.fill("#id_name_en", "Traffic Police Brigade")
    submit(visitor)
    unit.refresh_from_db()
    assert (unit.name, unit.name_en) == ("交警大队", "Traffic Police Brigade")

    visitor.click(f"{row} a[href$='/move/']")
    visitor.page.select_option("#id_parent", str(city.finance.pk))
    submit(visitor)
    unit.refresh_from_db()
    assert unit.get_parent().pk == city.finance.pk

    officer = UserFactory(username="officer", department=unit)
    visitor.click(f"{row} a[href$='/retire/']")
    assert "1 active person" in visitor.text()
    submit(visitor)  # no receiving unit chosen: refused, with the reason
    assert "Choose the unit its active people move to." in visitor.text()
    assert Department.objects.get(pk=unit.pk).retired_at is None
    visitor.page.select_option("#id_receiving", str(city.treasury.pk))
    visitor.page.check("input[name=assignments][value=withdraw]")
    submit(visitor)
    unit.refresh_from_db()
    officer.refresh_from_db()
    assert unit.retired_at is not None and officer.department_id == city.treasury.pk
    assert "Retired" in visitor.text(row)
    assert visitor.page.locator(f"{row} a[href$='/rename/']").count() == 0
    assert [entry.action for entry in ModelLogEntry.objects.filter(object_id=str(unit.pk)).order_by("pk")] == [
        DEPARTMENT_CREATED_ACTION,
        DEPARTMENT_RENAMED_ACTION,
        DEPARTMENT_MOVED_ACTION,
        DEPARTMENT_RETIRED_ACTION,
    ]
    visitor.goto("/admin/audit/", expect_status=200)
    trail = visitor.text("[data-audit-trail]")
    assert "Retire department" in trail and "Move department" in trail and "Rename department" in trail


def test_the_city_admin_changes_and_withdraws_an_assignment(visitor, catalogue):
    city = city_with_admin(catalogue)
    finisher = city.learners["treasury"][0]
    for step in course_steps(city.courses[0]):
        step_complete(user=finisher, step=step)
    assert HourEntry.objects.get(user=finisher).kind == "elective"  # done before it was assigned
    assignment = assignment_services.assignment_create(
        course=city.courses[0], department=city.finance, due_days=30, created_by=city.admin
    )
    assert HourEntry.objects.get(user=finisher).kind == "required"
    chief = city.learners["budget"][0]
    chief.position = "科长"
    chief.save()
    assert assignment.learner_rows.count() > 1  # everyone in finance owes it
    visitor.log_in("cityadmin", PASSWORD)
    visitor.goto("/assignments/", expect_status=200)
    visitor.click(f"main a[href='/assignments/{assignment.pk}/edit/']")
    visitor.page.fill("#id_due_days", "")
    visitor.page.fill("#id_due_date", "2031-03-31")
    visitor.page.fill("#id_positions", "科长")
    visitor.page.check("#id_repeat_yearly")
    visitor.click("main form [type=submit]")
    assignment.refresh_from_db()
    assert str(assignment.due_date) == "2031-03-31" and assignment.repeat_yearly
    assert "The assignment was changed." in visitor.text()
    # Now only the section chief owes it: the others' open rows went with the change (the
    # finisher's completed row stays, as history).
    assert list(assignment.learner_rows.filter(completed_at__isnull=True).values_list("user_id", flat=True)) == [
        chief.pk
    ]

    visitor.click(f"main a[href='/assignments/{assignment.pk}/edit/']")
    visitor.page.fill("#id_positions", "")
    visitor.click("main form [type=submit]")
    assert "The assignment was changed." in visitor.text()
    assert assignment.learner_rows.count() > 1  # everyone again

    visitor.click(f"main a[href='/assignments/{assignment.pk}/withdraw/']")
    owing = assignment.learner_rows.filter(completed_at__isnull=True).count()
    assert f"{owing} people have not completed it" in visitor.text()
    assert Assignment.objects.get(pk=assignment.pk).active
    visitor.click("main form button[type=submit]")
    assert not Assignment.objects.get(pk=assignment.pk).active
    assert f"{owing} people no longer owe the course" in visitor.text()
    assert "Withdrawn" in visitor.text()
    # The finisher's hours of the course count as elective again, as before it was assigned.
    assert HourEntry.objects.get(user=finisher).kind == "elective"
    assert list(
        ModelLogEntry.objects.filter(object_id=str(assignment.pk), action__startswith="assignments.")
        .order_by("pk")
        .values_list("action", "user_id")
    ) == [
        ("assignments.created", city.admin.pk),
        ("assignments.changed", city.admin.pk),
        ("assignments.changed", city.admin.pk),
        ("assignments.withdrawn", city.admin.pk),
    ]


def people_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(
        ["工号 Employee ID", "姓名 Name", "部门路径 Department path", "职务 Position", "角色 Role", "邮箱 E-mail"]
    )
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_a_full_people_import_lists_then_deactivates_the_person_missing_from_the_file(visitor, catalogue, file_roots):
    city = city_with_admin(catalogue)
    User = get_user_model()
    police = list(User.objects.filter(department=city.police, is_active=True).order_by("pk"))
    for number, person in enumerate(police):
        person.employee_id = f"P{number:04d}"
        person.save()
    stays, leaves = police[0], police[1]
    rows = [[stays.employee_id, stays.display_name, "市/公安局", "", "", ""]]
    admin_login(visitor, "cityadmin")
    visitor.click("a[href='/admin/people-import/']")
    visitor.page.set_input_files(
        "#id_file", files=[{"name": "police.csv", "mimeType": "text/csv", "buffer": people_csv(rows)}]
    )
    visitor.page.check("#id_full_import")
    submit(visitor)
    listed = visitor.text("[data-deactivations]")
    assert leaves.employee_id in listed and stays.employee_id not in listed
    assert User.objects.get(pk=leaves.pk).is_active
    visitor.click("main form button[type=submit]")  # Confirm the import
    visitor.page.wait_for_function(
        "document.querySelector('[data-people-import-status]') === null || "
        "document.querySelector('[data-people-import-status]').dataset.finished === 'true'"
    )
    leaver = User.objects.get(pk=leaves.pk)
    assert not leaver.is_active and leaver.deactivated_at is not None
    assert User.objects.get(pk=stays.pk).is_active and User.objects.get(pk=city.admin.pk).is_active
    assert User.objects.filter(is_active=False).count() == 1
    entry = ModelLogEntry.objects.get(action="accounts.people_import")
    assert entry.data["deactivated"] == 1


def test_a_city_admins_people_import_leaves_a_superuser_alone(visitor, catalogue, file_roots):
    """Only an administrator changes an administrator: the row that would move a superuser is an
    error on the dry-run page, and confirming the import leaves the account as it was."""
    city = city_with_admin(catalogue)
    root = UserFactory(username="root", employee_id="R0001", display_name="根", is_superuser=True, department=city.city)
    rows = [[root.employee_id, "改名", "市/公安局", "", "", ""], ["N0001", "新人", "市/公安局", "", "", ""]]
    admin_login(visitor, "cityadmin")
    visitor.click("a[href='/admin/people-import/']")
    visitor.page.set_input_files(
        "#id_file", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": people_csv(rows)}]
    )
    submit(visitor)
    assert "Employee ID R0001 is an administrator's (superuser's) account: only an administrator may change it." in (
        visitor.text()
    )
    visitor.click("main form button[type=submit]")  # Confirm the import
    visitor.page.wait_for_function(
        "document.querySelector('[data-people-import-status]') === null || "
        "document.querySelector('[data-people-import-status]').dataset.finished === 'true'"
    )
    root.refresh_from_db()
    assert (root.display_name, root.department_id) == ("根", city.city.pk)
    assert get_user_model().objects.get(employee_id="N0001").department_id == city.police.pk


def test_a_head_assigns_a_course_to_a_section_from_the_assignments_page(visitor, catalogue):
    city = build_city(catalogue, per_unit=2, courses=1)
    course = city.courses[0]
    finisher = city.learners["budget"][1]
    for step in course_steps(course):
        step_complete(user=finisher, step=step)
    visitor.log_in(city.finance_head.username, PASSWORD)
    visitor.goto("/assignments/", expect_status=200)
    page = visitor.page
    # Only the head's own scope is offered: finance and its sections, not the police.
    offered = page.locator("#id_department option").evaluate_all("options => options.map(o => o.value)")
    assert sorted(map(int, offered)) == sorted([city.finance.pk, city.budget.pk, city.treasury.pk])

    # Both a date and a number of days: refused on the form, nothing stored, the input kept.
    page.select_option("#id_course", str(course.pk))
    page.select_option("#id_department", str(city.budget.pk))
    page.fill("#id_due_date", "2031-06-30")
    page.fill("#id_due_days", "30")
    visitor.click("main form [type=submit][name=assign]")
    assert "Give either a due date or a number of days, not both." in visitor.text()
    assert not Assignment.objects.exists()
    assert page.input_value("#id_due_date") == "2031-06-30"

    page.fill("#id_due_days", "")
    visitor.click("main form [type=submit][name=assign]")
    assignment = Assignment.objects.get()
    assert (assignment.course_id, assignment.department_id, str(assignment.due_date)) == (
        course.pk,
        city.budget.pk,
        "2031-06-30",
    )
    assert assignment.created_by_id == city.finance_head.pk
    budget = {*(person.pk for person in city.learners["budget"]), city.budget_head.pk}  # its head too
    assert set(assignment.learner_rows.values_list("user_id", flat=True)) == budget  # the section only
    assert assignment.learner_rows.get(user=finisher).completed_at is not None  # done before: counts
    assert HourEntry.objects.get(user=finisher).kind == "required"
    assert page.locator(f"#assignment-{assignment.pk}").count() == 1
    assert ModelLogEntry.objects.filter(object_id=str(assignment.pk), action="assignments.created").count() == 1
    assert "The course was assigned." in visitor.text()

    # The same terms sent again (a retry, a second head): the page says so and nothing is written.
    page.select_option("#id_course", str(course.pk))
    page.select_option("#id_department", str(city.budget.pk))
    page.fill("#id_due_date", "2031-06-30")
    visitor.click("main form [type=submit][name=assign]")
    assert "The course was already assigned to this unit on the same terms: nothing was changed." in visitor.text()
    assert Assignment.objects.get().pk == assignment.pk
    assert set(assignment.learner_rows.values_list("user_id", flat=True)) == budget
    assert ModelLogEntry.objects.filter(object_id=str(assignment.pk), action="assignments.created").count() == 1


def test_a_second_unit_of_one_name_under_a_parent_is_refused_on_the_admin_forms(visitor, catalogue):
    city = city_with_admin(catalogue)
    admin_login(visitor, "cityadmin")
    for _attempt in (1, 2):
        visitor.goto("/admin/departments/add/")
        visitor.page.select_option("#id_parent", str(city.police.pk))
        visitor.page.fill("#id_name", "交警支队")
        submit(visitor)  # the second time the form comes back with the error (Wagtail's forms: 200)
    assert "Public Security Bureau already has a current unit called" in visitor.text()
    assert visitor.page.input_value("#id_name") == "交警支队"  # kept on the form
    assert Department.objects.filter(name="交警支队").count() == 1

    visitor.goto(f"/admin/departments/{city.treasury.pk}/rename/")
    visitor.page.fill("#id_name", "预算科")
    submit(visitor)
    assert "already has a current unit called" in visitor.text()
    city.treasury.refresh_from_db()
    assert city.treasury.name == "国库科"
