"""The notifications page: only the person's own, newest first, paginated; marking read is
POST with CSRF, scoped to the owner (someone else's is a 404); the header's unread count."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.context_processors import unread_notifications
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    counter = iter(range(10_000))

    def create(user, count: int = 1, title: str = "Reminder") -> list[Notification]:
        made = []
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(count):
                number = next(counter)
                notification, _created = services.notification_create(
                    recipient_id=user.pk,
                    kind=Notification.Kind.REMINDER,
                    dedupe_key=f"test:{number}",
                    title=f"{title} {number}",
                    body="Line one\nLine two",
                    link="/assignments/my/",
                    language="en",
                )
                made.append(notification)
        return made

    return create


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="badge badge-unread">(\d+)<', html)
    return match[1] if match else None


def test_the_list_shows_only_ones_own_notifications_newest_first(client, alice, bob, notify):
    notify(alice, 2, title="Alice")
    notify(bob, 1, title="Bob")
    client.force_login(alice)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bob" not in html
    assert html.index("Alice 1") < html.index("Alice 0")
    assert "Line one<br>Line two" in html


def test_the_list_is_paginated_by_twenty(client, alice, notify):
    notify(alice, 21)
    client.force_login(alice)
    first = client.get(reverse("notifications:list"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert [n.title for n in second.context["page"].object_list] == ["Reminder 0"]
    assert client.get(reverse("notifications:list"), {"page": "x"}).status_code == 200


def test_unread_ones_are_highlighted(client, alice, notify):
    read, unread = notify(alice, 2)
    Notification.objects.filter(pk=read.pk).update(read_at="2026-03-01T08:00:00Z")
    client.force_login(alice)
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'class="notification is-unread" id="notification-{unread.pk}"' in html
    assert f'class="notification" id="notification-{read.pk}"' in html


def test_titles_are_escaped(client, alice, notify):
    notify(alice, 1, title="<script>alert(1)</script>")
    client.force_login(alice)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_marking_ones_own_read_redirects_back(client, alice, notify):
    (notification,) = notify(alice)
    client.force_login(alice)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_next_to_another_site_goes_to_the_list(client, alice, notify):
    (notification,) = notify(alice)
    client.force_login(alice)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")
    response = client.post(reverse("notifications:read_all"), {"next": "//evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_marking_someone_elses_notification_is_a_404_and_changes_nothing(client, alice, bob, notify):
    (bobs,) = notify(bob)
    client.force_login(alice)
    assert client.post(reverse("notifications:read", args=[bobs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[bobs.pk + 1000])).status_code == 404
    assert client.post(f"/notifications/{10**30}/read/").status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_mark_all_read_marks_only_ones_own(client, alice, bob, notify):
    notify(alice, 3)
    notify(bob, 2)
    client.force_login(alice)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not alice.notifications.filter(read_at__isnull=True).exists()
    assert bob.notifications.filter(read_at__isnull=True).count() == 2


def test_reading_by_get_is_refused(client, alice, notify):
    (notification,) = notify(alice)
    client.force_login(alice)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_the_csrf_token(alice, notify):
    (notification,) = notify(alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    assert client.post(reverse("notifications:read_all")).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, alice, notify):
    (notification,) = notify(alice)
    for response in (
        client.get(reverse("notifications:list")),
        client.post(reverse("notifications:read", args=[notification.pk])),
        client.post(reverse("notifications:read_all")),
    ):
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_header_shows_the_unread_count_and_it_drops_once_read(
    client, alice, notify, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    assert unread_badge(client.get(reverse("hours:mine")).content.decode()) is None
    first, *_rest = notify(alice, 3)
    html = client.get(reverse("hours:mine")).content.decode()
    assert unread_badge(html) == "3" and reverse("notifications:list") in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read", args=[first.pk]))
    assert unread_badge(client.get(reverse("hours:mine")).content.decode()) == "2"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read_all"))
    assert unread_badge(client.get(reverse("hours:mine")).content.decode()) is None


def test_the_unread_count_costs_one_query_then_none_until_something_changes(
    alice, bob, notify, django_assert_num_queries
):
    notify(alice, 2)
    request = RequestFactory().get("/")
    request.user = alice

    def unread_notification_count(_request):
        return int(str(unread_notifications(_request)["unread_notifications"]))  # as the header shows it

    context = request
    with django_assert_num_queries(1):
        assert unread_notification_count(context) == 2
    with django_assert_num_queries(0):
        assert unread_notification_count(context) == 2
    notify(bob, 1)  # someone else's notification leaves Alice's count cached
    with django_assert_num_queries(0):
        assert unread_notification_count(context) == 2
    notify(alice, 1)
    with django_assert_num_queries(1):
        assert unread_notification_count(context) == 3


def test_the_page_has_no_inline_script_or_style(client, alice, notify):
    notify(alice, 2)
    client.force_login(alice)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "<style" not in html and ' style="' not in html
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")


def test_the_count_is_taken_at_login_so_pages_after_it_do_not_query_it(client, alice, notify):
    notify(alice, 2)
    cache.clear()
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("hours:mine")).content.decode()
    assert unread_badge(html) == "2"
    assert not any("notifications_notification" in query["sql"] for query in queries.captured_queries)
