"""The people listing's search (/admin/users/): every word must match a name, username, employee ID,
e-mail, position or department; a part of a Chinese name is found."""

import pytest
from django.contrib.auth import get_user_model

from accounts.selectors import people_search_filter
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def office():
    city = DepartmentFactory(code="people-city", name="市政府", name_en="City Government")
    finance = city.add_child(code="people-finance", name="市财政局", name_en="Finance Bureau")
    police = city.add_child(code="people-police", name="市公安局", name_en="Public Security Bureau")
    UserFactory(username="wang-f", display_name="王小明", department=finance, position="预算科科长", employee_id="F-0012")
    UserFactory(username="wang-p", display_name="王建国", department=police, position="科员", email="jg.wang@example.gov")
    UserFactory(username="li-f", display_name="李红", department=finance, position="科员")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("小明", {"wang-f"}),  # a part of a Chinese name
        ("王", {"wang-f", "wang-p"}),
        ("财政局 王", {"wang-f"}),  # department and name: every word must match
        ("Finance 科员", {"li-f"}),
        ("科长", {"wang-f"}),  # position
        ("f-0012", {"wang-f"}),  # employee ID, any case
        ("jg.wang", {"wang-p"}),  # e-mail
        ("公安局 李", set()),
    ],
)
def test_people_search_table(office, query, expected):
    found = set(User.objects.filter(people_search_filter(query)).values_list("username", flat=True))
    assert found == expected


def test_the_people_listing_searches_with_it(office, client):
    admin = UserFactory(username="people-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/admin/users/", {"q": "财政局 王"}).content.decode()
    assert "王小明" in html and "王建国" not in html and "李红" not in html
