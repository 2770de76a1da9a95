"""A learner marks one notification as read, then all of them, with the page's own buttons in a real
browser; each press is checked in the database, and nobody else's notifications change."""

import pytest

from notifications.models import Notification
from notifications.services import notification_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def notify(user, key: str, title: str) -> Notification:
    notification, created = notification_create(
        recipient_id=user.pk, kind="reminder", dedupe_key=key, title=title, language="zh-hans"
    )
    assert created
    return notification


def test_a_learner_marks_one_notification_then_all_as_read(visitor):
    learner = UserFactory(username="reader")
    other = UserFactory(username="someone-else")
    first = notify(learner, "one", "请完成信息安全课程")
    notify(learner, "two", "年度学时提醒")
    notify(learner, "three", "线下培训已通过")
    theirs = notify(other, "one", "别人的提醒")
    page = visitor.page

    visitor.log_in(learner.username, PASSWORD)
    visitor.goto("/notifications/")
    header_count = page.locator("header .badge-unread")
    assert header_count.inner_text().startswith("3")
    visitor.click(f"#notification-{first.pk} button:has-text('Mark as read')")
    page.wait_for_selector(f"#notification-{first.pk}:not(.is-unread)")
    assert list(Notification.objects.filter(recipient=learner, read_at__isnull=False)) == [first]
    assert header_count.inner_text().startswith("2")
    assert page.locator(f"#notification-{first.pk} button").count() == 0  # nothing more to mark

    visitor.click("main button:has-text('Mark all as read')")
    page.wait_for_selector(".notification.is-unread", state="detached")
    assert not Notification.objects.filter(recipient=learner, read_at__isnull=True).exists()
    assert header_count.count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None  # "all" is the learner's own
