import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hours.models import HourEntry, OfflineTraining
from tests.factories.files import bomb_png

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def declaration_data(upload):
    return {
        "course_name": "电子政务培训班",
        "start_date": "2026-03-01",
        "end_date": "2026-03-02",
        "hours": "8",
        "attachment": upload,
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [("certificate.png", png_bytes()), ("certificate.pdf", b"%PDF-1.4\n%test\n")],
)
def test_a_learner_declares_with_an_image_or_pdf(client, city, name, content):
    learner = city.learners["budget"][0]
    client.force_login(learner)
    response = client.post(reverse("hours:mine"), declaration_data(SimpleUploadedFile(name, content)))
    assert response.status_code == 302
    declaration = OfflineTraining.objects.get(user=learner)
    assert declaration.status == "pending" and declaration.hours == Decimal("8")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("certificate.png", b"just some text, not an image", "This file is not a real PNG file"),
        ("certificate.jpg", png_bytes(), "This file is not a real JPG file"),
        ("setup.exe", b"MZ\x90\x00binary", "Upload a file of one of these types: JPG, JPEG, PNG, PDF."),
        ("certificate.pdf", b"<html>not a pdf</html>", "This file is not a real PDF file"),
        ("certificate.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
        # Issue 12, item 11: a decompression bomb (30,000 x 30,000 pixels in about 100 KB) was a 500.
        ("certificate.png", bomb_png(), "This image has too many pixels; the limit is 50 million."),
    ],
)
def test_wrong_type_or_too_large_attachments_are_refused_with_form_errors(client, city, name, content, message):
    client.force_login(city.learners["budget"][0])
    response = client.post(reverse("hours:mine"), declaration_data(SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OfflineTraining.objects.exists()


def declare(learner) -> OfflineTraining:
    return OfflineTraining.objects.create(
        user=learner,
        course_name="线下培训",
        start_date="2026-03-01",
        end_date="2026-03-02",
        hours=Decimal("6"),
        attachment=SimpleUploadedFile("a.png", png_bytes()),
    )


def test_the_learners_head_approves_and_an_entry_is_written(client, city):
    declaration = declare(city.learners["budget"][0])
    client.force_login(city.finance_head)  # budget lies under finance
    response = client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "approve"})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert (declaration.status, declaration.decided_by) == ("approved", city.finance_head)
    entry = HourEntry.objects.get(offline=declaration)
    assert (entry.source, entry.hours, entry.year, entry.user) == ("offline", Decimal("6"), 2026, declaration.user)


@pytest.mark.parametrize("who", ["police_head", "budget_head", "plain_learner"])
def test_a_sibling_head_or_a_learner_cannot_decide(client, city, who):
    declaration = declare(city.learners["treasury"][0])
    client.force_login(getattr(city, who))
    response = client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "approve"})
    assert response.status_code in (403, 404)
    declaration.refresh_from_db()
    assert declaration.status == "pending" and not HourEntry.objects.exists()


def test_a_learner_cannot_approve_their_own_declaration_even_as_head(client, city):
    declaration = declare(city.finance_head)
    client.force_login(city.finance_head)
    response = client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "approve"})
    assert response.status_code == 404
    client.force_login(city.admin)
    assert client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "approve"}).status_code == 302


def test_rejection_needs_a_reason(client, city):
    declaration = declare(city.learners["police"][0])
    client.force_login(city.police_head)
    response = client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "reject", "reason": " "})
    assert response.status_code == 400
    assert "Give a reason for the rejection." in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == "pending"
    client.post(reverse("hours:decide", args=[declaration.pk]), {"decision": "reject", "reason": "无出勤证明"})
    declaration.refresh_from_db()
    assert (declaration.status, declaration.reason) == ("rejected", "无出勤证明")
    assert not HourEntry.objects.exists()


@pytest.mark.parametrize("decision", [None, "", "maybe"])
def test_a_decision_form_without_a_pressed_button_is_refused_and_decides_nothing(client, city, decision):
    declaration = declare(city.learners["police"][0])
    client.force_login(city.police_head)
    form = {"reason": "材料齐全"} if decision is None else {"decision": decision, "reason": "材料齐全"}
    response = client.post(reverse("hours:decide", args=[declaration.pk]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "did not say whether to approve or reject" in html
    assert "材料齐全" in html  # the reason typed is still there
    declaration.refresh_from_db()
    assert declaration.status == "pending"
    assert not HourEntry.objects.exists()


def test_pending_list_shows_only_the_heads_scope(client, city):
    mine = declare(city.learners["budget"][0])
    other = declare(city.learners["police"][0])
    client.force_login(city.finance_head)
    items = client.get(reverse("hours:pending")).context["items"]
    assert [item["declaration"].pk for item in items] == [mine.pk]
    client.force_login(city.admin)
    assert len(client.get(reverse("hours:pending")).context["items"]) == 2
    assert other.pk


def test_attachment_downloads_only_for_the_owner_and_their_heads(client, city):
    learner = city.learners["budget"][0]
    declaration = declare(learner)
    url = reverse("hours:attachment", args=[declaration.pk])
    for person, status in [
        (learner, 200),
        (city.finance_head, 200),
        (city.budget_head, 200),
        (city.admin, 200),
        (city.police_head, 404),
        (city.learners["budget"][1], 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
