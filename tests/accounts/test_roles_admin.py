import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.roles import CITY_ADMINS_GROUP, TRAINERS_GROUP
from accounts.services import ROLES_CHANGED_ACTION, user_roles_update
from departments.models import Department
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def tree():
    city = DepartmentFactory(code="city", name="市直党政机关", name_en="City", kind=Department.Kind.CITY)
    finance = DepartmentFactory(parent=city, code="finance", name="市财政局", name_en="Finance Bureau")
    budget = DepartmentFactory(parent=finance, code="finance-budget", name="预算科", name_en="Budget Section")
    return {"city": city, "finance": finance, "budget": budget}


@pytest.fixture
def superuser(tree):
    return UserFactory(username="root", is_superuser=True, department=tree["city"])


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def person(tree):
    return UserFactory(username="zhang", display_name="张三", employee_id="XT00001", department=tree["finance"])


def edit_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "display_name": user.display_name,
        "employee_id": user.employee_id or "",
        "position": user.position,
        "rank": user.rank,
        "department": user.department_id or "",
        "is_active": "on",
        "password1": "",
        "password2": "",
    }
    for flag in ("is_trainer", "is_department_head", "is_city_admin"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def roles_entries(user):
    return ModelLogEntry.objects.filter(object_id=str(user.pk), action=ROLES_CHANGED_ACTION)


def edit_url(user):
    return reverse("wagtailusers_users:edit", args=[user.pk])


def test_trainers_group_name_is_the_one_course_authoring_gives_permissions_to():
    from courses.authoring import TRAINERS_GROUP as AUTHORING_TRAINERS_GROUP

    assert TRAINERS_GROUP == AUTHORING_TRAINERS_GROUP


def test_edit_form_shows_profile_department_tree_and_role_flags(admin_client, person):
    response = admin_client.get(edit_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "display_name",
        "employee_id",
        "position",
        "rank",
        "department",
        "is_trainer",
        "is_department_head",
        "is_city_admin",
    ):
        assert f'name="{name}"' in html
    assert "— — Budget Section" in html
    # Managed groups follow the flags and are not offered by hand.
    assert f">{TRAINERS_GROUP}<" not in html


def test_making_someone_a_trainer_in_the_admin_logs_it_and_joins_the_trainers_group(
    admin_client, person, superuser, tree
):
    response = admin_client.post(edit_url(person), edit_data(person, is_trainer="on", department=tree["budget"].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_trainer and person.department == tree["budget"]
    assert person.groups.filter(name=TRAINERS_GROUP).exists()
    entry = roles_entries(person).get()
    assert entry.user_id == superuser.pk
    assert entry.data["before"]["is_trainer"] is False and entry.data["after"]["is_trainer"] is True
    assert entry.data["before"]["department"] == tree["finance"].pk
    assert entry.data["after"]["department"] == tree["budget"].pk

    response = admin_client.post(edit_url(person), edit_data(person, is_trainer=None))
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_trainer
    assert not person.groups.filter(name=TRAINERS_GROUP).exists()
    assert roles_entries(person).count() == 2


def test_saving_without_changes_writes_no_roles_entry(admin_client, person):
    admin_client.post(edit_url(person), edit_data(person, position="科员"))
    person.refresh_from_db()
    assert person.position == "科员"
    assert not roles_entries(person).exists()


def test_other_groups_chosen_by_hand_are_kept_next_to_managed_ones(admin_client, person):
    from django.contrib.auth.models import Group

    reviewers = Group.objects.create(name="Reviewers")
    admin_client.post(edit_url(person), {**edit_data(person, is_trainer="on"), "groups": [reviewers.pk]})
    assert set(person.groups.values_list("name", flat=True)) == {"Reviewers", TRAINERS_GROUP}


def test_history_shows_the_roles_entry(admin_client, person, tree):
    admin_client.post(edit_url(person), edit_data(person, is_department_head="on"))
    response = admin_client.get(reverse("wagtailusers_users:history", args=[person.pk]))
    assert response.status_code == 200
    assert "Department or roles changed" in response.content.decode()


def test_creating_a_person_in_the_admin_sets_department_and_roles(admin_client, tree):
    data = {
        "username": "li.si",
        "email": "",
        "first_name": "",
        "last_name": "",
        "display_name": "李四",
        "employee_id": "XT00002",
        "position": "科长",
        "rank": "section_chief",
        "department": tree["budget"].pk,
        "is_department_head": "on",
        "password1": "A-long-password-2026",
        "password2": "A-long-password-2026",
    }
    response = admin_client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="li.si")
    assert (user.display_name, user.department, user.is_department_head) == ("李四", tree["budget"], True)
    assert roles_entries(user).count() == 1


def test_city_admin_who_is_not_a_superuser_cannot_make_superusers(client, person, tree):
    city_admin = UserFactory(username="cityadmin", department=tree["city"])
    user_roles_update(
        user=city_admin, department=tree["city"], is_trainer=False, is_department_head=False, is_city_admin=True
    )
    client.force_login(city_admin)
    html = client.get(edit_url(person)).content.decode()
    assert 'name="is_superuser"' not in html
    response = client.post(edit_url(person), edit_data(person, is_superuser="on", is_trainer="on"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_trainer and not person.is_superuser


def test_city_admin_flag_joins_the_city_admins_group_which_opens_the_admin(tree, person):
    user_roles_update(
        user=person, department=tree["finance"], is_trainer=False, is_department_head=False, is_city_admin=True
    )
    person = User.objects.get(pk=person.pk)
    assert person.groups.filter(name=CITY_ADMINS_GROUP).exists()
    assert person.has_perm("wagtailadmin.access_admin")
    assert person.has_perm("accounts.change_user")
    assert not person.is_superuser


def test_role_change_in_the_admin_takes_effect_on_the_persons_next_request(admin_client, person):
    their_client = Client()
    their_client.force_login(person)
    people_import = reverse("accounts_admin:people_import")
    assert their_client.get(people_import).status_code == 302  # no admin access yet

    admin_client.post(edit_url(person), edit_data(person, is_city_admin="on"))
    assert their_client.get(people_import).status_code == 200  # same session, next request

    admin_client.post(edit_url(person), edit_data(User.objects.get(pk=person.pk), is_city_admin=None, is_trainer="on"))
    assert their_client.get(people_import).status_code == 403  # admin access as a trainer, not an admin


def test_roles_update_service_reports_whether_anything_changed(person, tree):
    args = dict(department=tree["finance"], is_trainer=False, is_department_head=False, is_city_admin=False)
    assert user_roles_update(user=person, **args) is False
    assert user_roles_update(user=person, **{**args, "is_department_head": True}) is True
    assert person.is_department_head
    assert roles_entries(person).count() == 1


def test_add_form_shows_the_person_fields(admin_client, tree):
    html = admin_client.get(reverse("wagtailusers_users:add")).content.decode()
    for name in ("display_name", "employee_id", "department", "is_trainer", "is_city_admin"):
        assert f'name="{name}"' in html


def test_user_list_finds_people_by_chinese_name_and_employee_id(admin_client, person):
    url = reverse("wagtailusers_users:index")
    assert "张三" in admin_client.get(url, {"q": "XT00001"}).content.decode()
    assert "zhang" in admin_client.get(url, {"q": "张三"}).content.decode()
