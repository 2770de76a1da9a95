"""Learners download their own certificates; anyone else's is a 404, a revoked one is refused,
and one whose PDF is not ready yet gets a "being prepared" page."""

import pytest
from django.urls import reverse

from certificates import views
from certificates.models import Certificate
from certificates.services import certificate_revoke
from tests.certificates.conftest import pdf_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(zhang, security_course, complete):
    complete(zhang, security_course)
    return Certificate.objects.get()


def url(certificate):
    return reverse("certificates:download", args=[certificate.pk])


@pytest.mark.real_pdf
def test_the_owner_downloads_the_pdf_as_an_attachment(client, certificate, zhang):
    client.force_login(zhang)
    response = client.get(url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{certificate.code}.pdf"'
    assert "张伟" in pdf_text(b"".join(response.streaming_content))


def test_someone_elses_certificate_is_not_found(client, certificate):
    client.force_login(UserFactory())
    assert client.get(url(certificate)).status_code == 404


def test_a_visitor_not_signed_in_gets_the_same_404(client, certificate):
    # A file address answers no differently to a visitor than to someone without the right to it.
    assert client.get(url(certificate)).status_code == 404


def test_a_revoked_certificate_cannot_be_downloaded(client, certificate, zhang):
    certificate_revoke(certificate=certificate, reason="复核")
    client.force_login(zhang)
    response = client.get(url(certificate))
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert "was revoked" in response.content.decode()


def test_a_pdf_not_rendered_yet_is_queued_and_a_message_shown(client, certificate, zhang, monkeypatch):
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", rendered_at=None)
    queued = []
    monkeypatch.setattr(views, "enqueue_now", lambda task, certificate_id: queued.append(certificate_id))
    client.force_login(zhang)
    response = client.get(url(certificate))
    assert response.status_code == 202
    assert "being prepared" in response.content.decode()
    assert queued == [certificate.pk]


def test_without_a_broker_the_pdf_is_rendered_on_the_first_download(client, certificate, zhang):
    # The demo leaves most certificates unrendered: the first download draws the PDF.
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", rendered_at=None)
    client.force_login(zhang)
    response = client.get(url(certificate))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Certificate.objects.get().rendered_at is not None
