"""Issue 12, item 11 in Chromium: a decompression bomb (a 30,000 × 30,000 PNG of about 100 KB) is
refused with a form error where people upload it, and nothing is saved: a learner's offline
training attachment, and an image in the Wagtail admin's uploader."""

import pytest
from wagtail.images.models import Image

from hours.models import OfflineTraining
from tests.browser.test_admin import admin_login
from tests.factories import UserFactory
from tests.factories.files import bomb_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def bomb_file() -> dict:
    return {"name": "certificate.png", "mimeType": "image/png", "buffer": bomb_png()}


def test_a_learner_uploading_a_bomb_attachment_sees_the_form_error(visitor, file_roots):
    learner = UserFactory(username="bomb-learner")
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto("/hours/")
    page = visitor.page
    page.fill("#id_course_name", "网络安全线下班")
    page.fill("#id_start_date", "2026-03-01")
    page.fill("#id_end_date", "2026-03-02")
    page.fill("#id_hours", "4")
    page.set_input_files("#id_attachment", files=[bomb_file()])
    visitor.click("input[type=submit][name=declare], button[name=declare]", expect_status=400)
    assert "This image has too many pixels; the limit is 50 million." in visitor.text()
    assert not OfflineTraining.objects.exists()


def test_an_admin_uploading_a_bomb_image_sees_an_error(visitor, file_roots):
    UserFactory(username="bomb-admin", is_superuser=True)
    admin_login(visitor, "bomb-admin")
    # Wagtail's own image form fails axe on its tag field (a jQuery autocomplete input with no
    # label), which is not ours to change; server and script errors are still checked.
    visitor.checks = False
    visitor.goto("/admin/images/add/")
    page = visitor.page
    page.fill("#id_title", "炸弹")
    page.set_input_files("#id_file", files=[bomb_file()])
    visitor.click("form.w-form-width button[type=submit], main form button[type=submit]")
    assert "too many pixels" in visitor.text()
    assert not Image.objects.exists()
