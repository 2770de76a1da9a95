"""Signed-in pages are never cached (private, no-store) and a session ends
SESSION_ABSOLUTE_LIFETIME after its sign-in, however active it was."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_private_no_store(response):
    assert response.status_code == 200, response.status_code
    assert {"private", "no-store"} <= cache_directives(response), response.get("Cache-Control")


@pytest.fixture
def city(catalogue):
    return build_city(catalogue, per_unit=1, courses=1)


def test_a_learners_pages_are_private_and_not_stored(client, city):
    client.force_login(city.plain_learner)
    for path in ("/", "/courses/", "/accounts/password/", "/hours/", "/certificates/", "/privacy/my-data/"):
        assert_private_no_store(client.get(path))


def test_a_heads_reports_are_private_and_not_stored(client, city):
    client.force_login(city.finance_head)
    assert_private_no_store(client.get("/reports/"))
    assert_private_no_store(client.get(f"/reports/courses/{city.courses[0].pk}/"))
    assert_private_no_store(client.get(f"/reports/learners/{city.learners['budget'][0].pk}/"))


def test_the_admin_is_private_and_not_stored(client, city):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert_private_no_store(client.get("/admin/"))
    assert_private_no_store(client.get("/admin/users/"))


def test_public_pages_for_anonymous_visitors_are_left_cacheable(client, city):
    for path in ("/", "/privacy/", "/about/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in cache_directives(response), path
        assert "private" not in cache_directives(response), path


def test_the_response_that_signs_out_is_not_stored_either(client, city):
    client.force_login(city.plain_learner)
    response = client.post("/accounts/logout/")
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_absolute_lifetime_defaults_to_twelve_hours():
    assert django_settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60


def test_an_active_session_ends_its_absolute_lifetime_after_sign_in(settings, site_tree):
    settings.SESSION_ABSOLUTE_LIFETIME = 2 * 60 * 60
    UserFactory(username="wang")
    client = Client()
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert client.post(LOGIN, {"username": "wang", "password": PASSWORD}).status_code == 302
        # Active every 20 minutes: the idle timeout (30 min) never ends it.
        for _ in range(6):
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get("/accounts/password/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=1))  # 2 h 1 min after signing in
        response = client.get("/hours/?year=2026")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/hours/%3Fyear%3D2026"
        # The session is gone, not just this request refused.
        assert client.get("/accounts/password/").status_code == 302
        assert "_auth_user_id" not in client.session
        # Signing in again starts a new lifetime.
        assert client.post(LOGIN, {"username": "wang", "password": PASSWORD}).status_code == 302
        assert client.get("/accounts/password/").status_code == 200


def test_a_session_from_before_the_deploy_counts_from_its_next_request(settings, site_tree):
    settings.SESSION_ABSOLUTE_LIFETIME = 60 * 60
    client = Client()
    client.force_login(UserFactory(username="li"))
    session = client.session
    del session["signed_in_at"]
    session.save()
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert client.get("/accounts/password/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=25))
        assert client.get("/accounts/password/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=36))
        assert client.get("/accounts/password/").status_code == 302
