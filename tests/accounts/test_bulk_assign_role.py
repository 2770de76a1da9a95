"""The users' bulk "Assign role" (accounts.wagtail_hooks.PersonAssignRoleBulkAction) offers what
the account page offers: never the Trainers or City admins group, which follow the role flags
(set with an audit entry). Wagtail's own action offered every group, so a city administrator could
make anyone a member of City admins, with its admin permissions, without the flag or an entry."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import CITY_ADMINS_GROUP, TRAINERS_GROUP
from accounts.services import city_admins_group_setup
from tests.factories import UserFactory

from .test_superuser_guard import city_admin_client, superuser, unit  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def assign_url(*people):
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "assign_role"))
    return url + "?" + "&".join(f"id={person.pk}" for person in people)


@pytest.fixture
def groups():
    city_admins_group_setup()
    Group.objects.get_or_create(name=TRAINERS_GROUP)
    return Group.objects.create(name="Reviewers")


def test_the_role_groups_are_not_offered_and_cannot_be_posted(city_admin_client, unit, groups):  # noqa: F811
    person = UserFactory(department=unit)
    page = city_admin_client.get(assign_url(person)).content.decode()
    assert "Reviewers" in page
    assert CITY_ADMINS_GROUP not in page and TRAINERS_GROUP not in page
    city_admins = Group.objects.get(name=CITY_ADMINS_GROUP)
    response = city_admin_client.post(assign_url(person), {"role": city_admins.pk})
    assert response.status_code == 200  # the form again, with its error
    assert not person.groups.filter(pk=city_admins.pk).exists()


def test_another_group_is_assigned(city_admin_client, unit, groups):  # noqa: F811
    person = UserFactory(department=unit)
    response = city_admin_client.post(assign_url(person), {"role": groups.pk})
    assert response.status_code == 302
    assert person.groups.filter(pk=groups.pk).exists()


def test_a_superuser_is_left_to_superusers(city_admin_client, unit, superuser, groups):  # noqa: F811
    person = UserFactory(department=unit)
    city_admin_client.post(assign_url(superuser, person), {"role": groups.pk})
    assert person.groups.filter(pk=groups.pk).exists()
    assert not superuser.groups.filter(pk=groups.pk).exists()
