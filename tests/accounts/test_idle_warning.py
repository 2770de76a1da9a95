"""The idle timeout warns first: pages know how long the session has left, and "stay signed in"
restarts the count on the server."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_carries_the_warning_with_the_seconds_left(client, site_tree, settings):
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_IDLE_WARNING_SECONDS = 120
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert 'data-idle-warning role="alertdialog"' in html
    assert 'data-seconds-left="1800"' in html and 'data-warn-before="120"' in html
    assert "signed out in about 2 minutes" in html


def test_an_anonymous_page_has_no_warning(client, site_tree):
    assert "data-idle-warning" not in client.get("/").content.decode()


def test_the_seconds_left_count_from_the_last_recorded_activity(client, site_tree, settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 1800
    client.force_login(UserFactory())
    start = int(time.time())
    monkeypatch.setattr(time, "time", lambda: start)
    client.get("/")  # records the activity
    monkeypatch.setattr(time, "time", lambda: start + 50)  # within the minute the session is not written
    assert 'data-seconds-left="1750"' in client.get("/").content.decode()


def test_stay_signed_in_records_activity_now(client, settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 1800
    client.force_login(UserFactory())
    client.get(reverse("courses:my_learning"))
    later = int(time.time()) + 40
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("accounts:keepalive"))
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "seconds_left": 1800}
    session = SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session["last_seen"] == later


def test_stay_signed_in_after_the_session_ended_says_so(client):
    response = client.post(reverse("accounts:keepalive"))
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}


def test_stay_signed_in_is_a_post_with_csrf(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.get(reverse("accounts:keepalive")).status_code == 405
    assert strict.post(reverse("accounts:keepalive")).status_code == 403
