"""A learner declares an offline training on My hours, then sends the same declaration again (a
second tab, a retry): the second is refused with a message on the form, and one declaration waits
for the head. Checked in the database."""

import pytest

from hours.models import OfflineTraining
from tests.factories import UserFactory
from tests.factories.files import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def declare(visitor, *, expect_status: int = 200) -> None:
    page = visitor.page
    visitor.goto("/hours/")
    page.fill("#id_course_name", "网络安全线下班")
    page.fill("#id_start_date", "2026-03-01")
    page.fill("#id_end_date", "2026-03-02")
    page.fill("#id_hours", "4")
    page.set_input_files(
        "#id_attachment", files=[{"name": "attendance.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    visitor.click("input[type=submit][name=declare], button[name=declare]", expect_status=expect_status)


def test_the_same_offline_training_declared_twice_is_refused_the_second_time(visitor, file_roots):
    learner = UserFactory(username="declarer-twice")
    visitor.log_in(learner.username, PASSWORD)
    declare(visitor)
    assert "Your offline training was declared; your head will review it." in visitor.text()
    assert OfflineTraining.objects.filter(user=learner, status="pending").count() == 1

    declare(visitor, expect_status=400)
    assert "You have already declared this training for these dates" in visitor.text()
    assert visitor.page.input_value("#id_course_name") == "网络安全线下班"  # what was typed is kept
    assert OfflineTraining.objects.filter(user=learner).count() == 1
