"""Issue 17: the signed-in person of every request is read in plain SQL (accounts.backends), the
same row the ORM reads; a session signed in through Django's or axes's backend class stays
signed in, moved to ours."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.selectors import user_by_id
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_person_is_read_whole_as_the_orm_reads_them():
    person = UserFactory(is_department_head=True)
    expected = get_user_model().objects.get(pk=person.pk)
    found = user_by_id(str(person.pk))  # as a session stores it
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.get_session_auth_hash() == expected.get_session_auth_hash()
    assert user_by_id(person.pk + 1000) is None
    assert user_by_id("not a number") is None


def test_a_deactivated_person_is_not_signed_in():
    person = UserFactory(is_active=False)
    assert ModelBackend().get_user(person.pk) is None
    assert ModelBackend().get_user(UserFactory().pk) is not None


@pytest.mark.parametrize("old_backend", ["django.contrib.auth.backends.ModelBackend", "axes.backends.AxesBackend"])
def test_a_session_signed_in_through_the_previous_backend_stays_signed_in(client, old_backend):
    person = UserFactory()
    client.force_login(person, backend=old_backend)
    assert client.session[BACKEND_SESSION_KEY] == old_backend
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 200  # not sent to the login page
    assert response.wsgi_request.user.pk == person.pk
    assert client.session[BACKEND_SESSION_KEY] == f"accounts.backends.{old_backend.rpartition('.')[2]}"
    assert sum('FROM "accounts_user" u WHERE' in query["sql"] for query in captured.captured_queries) == 1


def test_a_changed_password_still_ends_the_other_sessions(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(reverse("courses:my_learning")).status_code == 200
    person.set_password("Another-Secret-2026")
    person.save()
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
