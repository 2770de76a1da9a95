"""Only an administrator edits or deactivates an administrator: a city administrator (not a
superuser) who could set a superuser's password in the Wagtail user editor could sign in as one,
and one who could deactivate superusers could lock them all out."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.services import user_roles_update
from tests.factories import DepartmentFactory, UserFactory

from .test_roles_admin import edit_data

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "A-long-password-2031"


@pytest.fixture
def unit():
    return DepartmentFactory(name="市信息办", name_en="Information Office")


@pytest.fixture
def superuser(unit):
    return UserFactory(username="root", is_superuser=True, department=unit)


@pytest.fixture
def city_admin_client(client, unit):
    city_admin = UserFactory(username="cityadmin", department=unit)
    user_roles_update(user=city_admin, department=unit, is_trainer=False, is_department_head=False, is_city_admin=True)
    client.force_login(city_admin)
    return client


def edit_url(user):
    return reverse("wagtailusers_users:edit", args=[user.pk])


def test_a_city_admin_cannot_open_or_post_a_superusers_account(city_admin_client, superuser):
    response = city_admin_client.get(edit_url(superuser))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    password_hash = superuser.password
    response = city_admin_client.post(
        edit_url(superuser), edit_data(superuser, password1=NEW_PASSWORD, password2=NEW_PASSWORD, is_active=None)
    )
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    superuser.refresh_from_db()
    assert superuser.password == password_hash and superuser.is_active


def test_a_city_admin_still_edits_other_people(city_admin_client, unit):
    person = UserFactory(department=unit)
    assert city_admin_client.get(edit_url(person)).status_code == 200
    city_admin_client.post(edit_url(person), edit_data(person, position="科员"))
    assert User.objects.get(pk=person.pk).position == "科员"


def test_a_superuser_still_edits_a_superuser(client, superuser, unit):
    other = UserFactory(username="root2", is_superuser=True, department=unit)
    client.force_login(superuser)
    assert client.get(edit_url(other)).status_code == 200


def test_the_bulk_set_active_state_leaves_superusers_to_superusers(city_admin_client, superuser, unit):
    person = UserFactory(department=unit)
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "set_active_state"))
    url += f"?id={superuser.pk}&id={person.pk}"
    page = city_admin_client.get(url).content.decode()
    refused = page[page.index("have permission to edit this user") :]
    assert superuser.display_name in refused and person.display_name not in refused
    city_admin_client.post(url, {"mark_as_active": "False"})
    assert User.objects.get(pk=superuser.pk).is_active
    assert not User.objects.get(pk=person.pk).is_active
