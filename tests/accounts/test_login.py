import time

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _reset_axes():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_login_page_is_styled_and_protected_by_csrf(client):
    html = client.get(LOGIN).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'form-control" required id="id_username"' in html  # rendered by crispy-bootstrap5


def test_learner_logs_in_and_out(client):
    UserFactory(username="wang")
    response = client.post(LOGIN, {"username": "wang", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/password/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # logging out needs a POST
    client.post("/accounts/logout/")
    assert client.get("/accounts/password/").status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_message(client):
    UserFactory(username="li")
    wrong_password = client.post(LOGIN, {"username": "li", "password": "nope-nope-nope"}).content.decode()
    unknown_user = client.post(LOGIN, {"username": "nobody", "password": "nope-nope-nope"}).content.decode()
    message = "The username or password is not correct."
    assert message in wrong_password and message in unknown_user


def test_account_is_throttled_after_repeated_failures_even_from_new_addresses(settings):
    UserFactory(username="zhao")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}").post(LOGIN, {"username": "zhao", "password": "wrong-password"})
    response = Client(REMOTE_ADDR="10.0.0.99").post(LOGIN, {"username": "zhao", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_address_is_throttled_after_failures_on_many_accounts(settings):
    UserFactory(username="zhou")
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": f"guess{attempt}", "password": "wrong-password"})
    assert attacker.post(LOGIN, {"username": "zhou", "password": PASSWORD}).status_code == 429
    # Someone else, elsewhere, can still log in to their own account.
    assert Client(REMOTE_ADDR="10.1.1.1").post(LOGIN, {"username": "zhou", "password": PASSWORD}).status_code == 302


def test_unknown_accounts_are_throttled_with_the_same_response(settings):
    client = Client(REMOTE_ADDR="10.2.2.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "ghost", "password": "wrong-password"})
    response = Client(REMOTE_ADDR="10.3.3.3").post(LOGIN, {"username": "ghost", "password": "wrong-password"})
    assert response.status_code == 429


def test_password_change_rerenders_with_errors_and_then_succeeds(client):
    user = UserFactory(username="sun")
    client.force_login(user)
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": "short", "new_password2": "other"}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Gov-Network-2026!", "new_password2": "Gov-Network-2026!"},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("Gov-Network-2026!")


def test_session_ends_after_idle_timeout(client, settings, monkeypatch):
    client.force_login(UserFactory())
    assert client.get("/accounts/password/").status_code == 200
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + settings.SESSION_COOKIE_AGE + 5)
    assert client.get("/accounts/password/").status_code == 302


def test_session_cookie_is_http_only(client):
    UserFactory(username="qian")
    response = client.post(LOGIN, {"username": "qian", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]


def test_language_switch_sets_the_language_and_the_admin_follows(client, site_tree):
    trainer = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(trainer)
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    assert "Dashboard" in client.get("/admin/").content.decode()
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/accounts/password/"})
    assert response["Location"] == "/accounts/password/"
    assert "修改密码" in client.get("/accounts/password/").content.decode()
    assert UserProfile.get_for_user(trainer).preferred_language == "zh-hans"
    assert "控制面板" in client.get("/admin/").content.decode()


def test_language_switch_refuses_a_foreign_redirect(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
