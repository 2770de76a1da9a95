"""Maintaining the organisation: renaming, moving and retiring units, each audited in its
transaction; a move and a retirement keep required learning and report figures true
(records_verify finds nothing); a retired unit is offered nowhere; only city admins may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.admin_forms import PersonFormMixin
from accounts.scope import user_scope
from accounts.services import ROLES_CHANGED_ACTION
from assignments import services as assignment_services
from assignments.forms import AssignmentForm
from assignments.models import Assignment, LearnerAssignment
from assignments.organisation import department_move_with_people, department_retire_with_people
from courses.services import step_complete
from departments.models import Department
from departments.selectors import department_tree
from departments.services import (
    DEPARTMENT_CREATED_ACTION,
    DEPARTMENT_MOVED_ACTION,
    DEPARTMENT_RENAMED_ACTION,
    DEPARTMENT_RETIRED_ACTION,
    DepartmentChangeRefused,
    department_add_child,
    department_move,
    department_rename,
    department_retire,
)
from records.services import records_verify
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    from tests.factories.reports import build_city

    with django_capture_on_commit_callbacks(execute=True):
        return build_city(catalogue)


def entries(action, unit):
    return list(ModelLogEntry.objects.filter(action=action, object_id=str(unit.pk)))


def rows(assignment):
    return set(LearnerAssignment.objects.filter(assignment=assignment).values_list("user_id", flat=True))


def test_renaming_a_unit_sets_both_names_and_is_audited(city):
    assert department_rename(department=city.budget, name="预算管理科", name_en="Budget Office", renamed_by=city.admin)
    city.budget.refresh_from_db()
    assert (city.budget.name, city.budget.name_en) == ("预算管理科", "Budget Office")
    [entry] = entries(DEPARTMENT_RENAMED_ACTION, city.budget)
    assert entry.user_id == city.admin.pk
    assert entry.data["before"] == {"name": "预算科", "name_en": "Budget Section"}
    assert not department_rename(department=city.budget, name="预算管理科", name_en="Budget Office", renamed_by=city.admin)
    assert len(entries(DEPARTMENT_RENAMED_ACTION, city.budget)) == 1


def test_adding_a_unit_with_an_english_name_is_audited(city):
    unit = department_add_child(parent=city.police, name="交警支队", name_en="Traffic Police", created_by=city.admin)
    assert unit.get_parent().pk == city.police.pk and unit.name_en == "Traffic Police"
    assert entries(DEPARTMENT_CREATED_ACTION, unit)[0].user_id == city.admin.pk


def test_a_unit_cannot_move_into_its_own_subtree_or_be_the_root(city):
    with pytest.raises(DepartmentChangeRefused):
        department_move(department=city.finance, parent=city.budget, moved_by=city.admin)
    with pytest.raises(DepartmentChangeRefused):
        department_move(department=city.finance, parent=city.finance, moved_by=city.admin)
    with pytest.raises(DepartmentChangeRefused):
        department_move(department=city.city, parent=city.police, moved_by=city.admin)
    assert ModelLogEntry.objects.filter(action=DEPARTMENT_MOVED_ACTION).count() == 0


def test_moving_a_unit_moves_its_subtree_brings_required_learning_along_and_keeps_records_true(
    city, django_capture_on_commit_callbacks
):
    course = city.courses[0]
    section = DepartmentFactory(parent=Department.objects.get(pk=city.budget.pk), code="budget-sub", name="预算一组")
    member = UserFactory(department=section)
    budget_person = city.learners["budget"][0]
    with django_capture_on_commit_callbacks(execute=True):
        finance_a = assignment_services.assignment_create(
            course=course, department=city.finance, due_date=D(2020, 1, 31), created_by=city.admin
        )
        police_a = assignment_services.assignment_create(
            course=city.courses[1], department=city.police, due_date=D(2020, 1, 31), created_by=city.admin
        )
        for step in city.steps[course.pk]:
            step_complete(user=budget_person, step=step)
    assert budget_person.pk in rows(finance_a) and member.pk in rows(finance_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert department_move_with_people(department=city.budget, parent=city.police, moved_by=city.admin)
    budget = Department.objects.get(pk=city.budget.pk)
    assert budget.get_parent().pk == city.police.pk
    assert Department.objects.get(pk=section.pk).get_parent().pk == budget.pk
    # The open finance row of the moved people is gone, the completed one stays; police's came.
    assert member.pk not in rows(finance_a) and budget_person.pk in rows(finance_a)
    assert {member.pk, budget_person.pk} <= rows(police_a)
    [entry] = entries(DEPARTMENT_MOVED_ACTION, budget)
    assert (entry.data["from_name"], entry.data["to_name"], entry.user_id) == ("财政局", "公安局", city.admin.pk)
    assert records_verify().problems == []


def test_retiring_is_refused_while_sub_units_are_current(city):
    with pytest.raises(DepartmentChangeRefused):
        department_retire_with_people(
            department=city.finance, receiving=city.police, assignments_action="withdraw", retired_by=city.admin
        )
    with pytest.raises(DepartmentChangeRefused):
        department_retire(department=city.finance, retired_by=city.admin)
    assert Department.objects.get(pk=city.finance.pk).retired_at is None


def test_retiring_is_refused_while_it_has_active_people_and_nowhere_to_send_them(city):
    with pytest.raises(DepartmentChangeRefused):
        department_retire_with_people(
            department=city.budget, receiving=None, assignments_action="withdraw", retired_by=city.admin
        )
    assert Department.objects.get(pk=city.budget.pk).retired_at is None
    assert ModelLogEntry.objects.filter(action=DEPARTMENT_RETIRED_ACTION).count() == 0


def test_retiring_moves_people_withdraws_assignments_and_keeps_records_true(city, django_capture_on_commit_callbacks):
    course = city.courses[0]
    finished = city.learners["budget"][0]
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_services.assignment_create(
            course=course, department=city.budget, due_date=D(2020, 1, 31), created_by=city.admin
        )
        for step in city.steps[course.pk]:
            step_complete(user=finished, step=step)
    left = UserFactory(department=city.budget, is_active=False)
    people = {u.pk for u in city.learners["budget"]} | {city.budget_head.pk}
    with django_capture_on_commit_callbacks(execute=True):
        counts = department_retire_with_people(
            department=city.budget, receiving=city.treasury, assignments_action="withdraw", retired_by=city.admin
        )
    assert counts["people_moved"] == len(people)
    budget = Department.objects.get(pk=city.budget.pk)
    assert budget.retired_at is not None
    assert set(budget.members.filter(is_active=True).values_list("pk", flat=True)) == set()
    assert set(city.treasury.members.filter(pk__in=people).values_list("pk", flat=True)) == people
    assert budget.members.filter(pk=left.pk).exists()  # who left stays with the unit's history
    head = type(city.budget_head).objects.get(pk=city.budget_head.pk)
    assert not head.is_department_head
    assert not Assignment.objects.get(pk=assignment.pk).active
    assert ModelLogEntry.objects.filter(action="assignments.withdrawn", object_id=str(assignment.pk)).exists()
    assert ModelLogEntry.objects.filter(action=ROLES_CHANGED_ACTION, object_id__in=[str(pk) for pk in people]).count() == len(people)
    [entry] = entries(DEPARTMENT_RETIRED_ACTION, budget)
    assert entry.data["receiving_name"] == "国库科" and entry.data["assignments_action"] == "withdraw"
    assert records_verify().problems == []


def test_retiring_can_move_the_assignments_to_the_receiving_unit(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_services.assignment_create(
            course=city.courses[0], department=city.budget, due_days=30, created_by=city.admin
        )
        department_retire_with_people(
            department=city.budget, receiving=city.treasury, assignments_action="move", retired_by=city.admin
        )
    assignment.refresh_from_db()
    assert assignment.active and assignment.department_id == city.treasury.pk
    assert {u.pk for u in city.learners["treasury"]} <= rows(assignment)
    assert ModelLogEntry.objects.filter(action="assignments.changed", object_id=str(assignment.pk)).exists()
    assert records_verify().problems == []


def test_a_retired_unit_is_offered_in_no_form_or_scope_picker(city):
    department_retire_with_people(
        department=city.budget, receiving=city.treasury, assignments_action="withdraw", retired_by=city.admin
    )
    assert city.budget.pk not in set(department_tree().values_list("pk", flat=True))
    assert city.budget.pk not in {d.pk for d in user_scope(city.admin).departments()}
    assert city.budget.pk not in {d.pk for d in user_scope(city.finance_head).departments()}
    form = AssignmentForm(departments=list(user_scope(city.admin).departments()))
    assert city.budget.pk not in {pk for pk, _label in form.fields["department"].choices}
    assert city.budget.pk not in {d.pk for d in PersonFormMixin.department.queryset.all()}
    with pytest.raises(DepartmentChangeRefused):
        department_add_child(parent=city.budget, name="新科", created_by=city.admin)


def test_only_city_admins_move_or_retire(city):
    with pytest.raises(PermissionDenied):
        department_move_with_people(department=city.budget, parent=city.police, moved_by=city.finance_head)
    with pytest.raises(PermissionDenied):
        department_retire_with_people(
            department=city.budget, receiving=city.treasury, assignments_action="withdraw", retired_by=city.finance_head
        )


@pytest.mark.parametrize("name", ["index", "add", "rename", "move", "retire"])
def test_heads_and_trainers_get_a_403_on_the_departments_admin(client, city, name):
    from accounts.services import user_roles_update

    trainer = UserFactory(department=city.police)
    user_roles_update(user=trainer, department=city.police, is_trainer=True, is_department_head=False, is_city_admin=False)
    args = [] if name in {"index", "add"} else [city.budget.pk]
    client.force_login(trainer)  # in the admin (the Trainers group), but not a city admin
    assert client.get(reverse(f"departments_admin:{name}", args=args)).status_code == 403
    assert client.post(reverse(f"departments_admin:{name}", args=args), {"name": "x"}).status_code == 403
    client.force_login(city.finance_head)  # not in the admin at all
    assert client.get(reverse(f"departments_admin:{name}", args=args)).status_code == 302
    assert Department.objects.get(pk=city.budget.pk).name == "预算科"


def test_the_city_admin_works_the_tree_through_the_admin_pages(client, city):
    from accounts.services import city_admins_group_setup

    city.admin.groups.add(city_admins_group_setup())
    client.force_login(city.admin)
    index = client.get(reverse("departments_admin:index"))
    assert index.status_code == 200 and "预算科" in index.text
    response = client.post(reverse("departments_admin:add"), {"parent": city.police.pk, "name": "交警支队", "name_en": "Traffic"})
    assert response.status_code == 302
    unit = Department.objects.get(name="交警支队")
    client.post(reverse("departments_admin:rename", args=[unit.pk]), {"name": "交警队", "name_en": "Traffic Police"})
    client.post(reverse("departments_admin:move", args=[unit.pk]), {"parent": city.finance.pk})
    response = client.post(reverse("departments_admin:move", args=[city.finance.pk]), {"parent": city.budget.pk})
    assert response.status_code == 200  # its own sub-unit is not a choice
    refused = client.post(reverse("departments_admin:retire", args=[city.budget.pk]), {"assignments": "withdraw"})
    assert refused.status_code == 200 and Department.objects.get(pk=city.budget.pk).retired_at is None
    client.post(reverse("departments_admin:retire", args=[unit.pk]), {"assignments": "withdraw"})
    unit.refresh_from_db()
    assert (unit.name, unit.get_parent().pk, unit.retired_at is not None) == ("交警队", city.finance.pk, True)
    assert [e.action for e in ModelLogEntry.objects.filter(object_id=str(unit.pk)).order_by("pk")] == [
        DEPARTMENT_CREATED_ACTION,
        DEPARTMENT_RENAMED_ACTION,
        DEPARTMENT_MOVED_ACTION,
        DEPARTMENT_RETIRED_ACTION,
    ]
    trail = client.get(reverse("accounts_audit:audit_trail"))
    assert "交警队" in trail.text


def test_editing_a_leaver_of_a_retired_unit_keeps_their_unit(city):
    from accounts.admin_forms import PersonEditForm

    leaver = UserFactory(department=city.budget, is_active=False)
    department_retire_with_people(
        department=city.budget, receiving=city.treasury, assignments_action="withdraw", retired_by=city.admin
    )
    form = PersonEditForm(instance=leaver)
    assert city.budget.pk in {d.pk for d in form.fields["department"].queryset}
    assert city.police.pk in {d.pk for d in form.fields["department"].queryset}


def test_the_top_of_the_tree_cannot_be_moved_from_its_page(client, city):
    from accounts.services import city_admins_group_setup

    city.admin.groups.add(city_admins_group_setup())
    client.force_login(city.admin)
    assert client.get(reverse("departments_admin:move", args=[city.city.pk])).status_code == 200
    assert client.post(reverse("departments_admin:move", args=[city.city.pk]), {"parent": city.police.pk}).status_code == 200
    assert Department.objects.get(pk=city.city.pk).depth == 1
