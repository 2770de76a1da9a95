"""The users list's "Select all users in listing" (the bulk actions' `id=all`, with the listing's
own query string) acts on the people the listing shows: its people search and its filters, not
Wagtail's search of username, names and e-mail with the filters ignored (a search by department
or Chinese name found nobody, a 404; "Active: No" selected every user for the bulk delete)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def people():
    finance = DepartmentFactory(name="市财政局", name_en="Finance Bureau")
    police = DepartmentFactory(name="市公安局", name_en="Public Security Bureau")
    return {
        "finance": [UserFactory(display_name=f"王{n}", department=finance) for n in range(3)],
        "police": UserFactory(display_name="李警官", department=police),
        "left": UserFactory(display_name="周离职", department=police, is_active=False),
    }


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def bulk_url(action: str, query: str) -> str:
    return reverse("wagtail_bulk_action", args=("accounts", "user", action)) + f"?id=all&{query}"


def listed(response) -> set[str]:
    return {item["item"].display_name for item in response.context["items"]}


def test_select_all_after_a_people_search_deactivates_the_people_found(admin_client, people):
    url = bulk_url("set_active_state", "q=财政局")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert listed(response) == {"王0", "王1", "王2"}
    assert admin_client.post(url, {"mark_as_active": "False"}).status_code == 302
    assert not User.objects.filter(pk__in=[person.pk for person in people["finance"]], is_active=True).exists()
    assert User.objects.get(pk=people["police"].pk).is_active


def test_select_all_of_the_inactive_people_deletes_only_them(admin_client, people):
    url = bulk_url("delete", "is_active=false")
    response = admin_client.get(url)
    assert listed(response) == {"周离职"}
    assert admin_client.post(url).status_code == 302
    assert not User.objects.filter(pk=people["left"].pk).exists()
    assert User.objects.filter(pk__in=[people["police"].pk, *(person.pk for person in people["finance"])]).count() == 4


def test_select_all_with_a_search_and_a_filter_takes_both(admin_client, people):
    response = admin_client.get(bulk_url("set_active_state", "q=公安局&is_active=true"))
    assert listed(response) == {"李警官"}
