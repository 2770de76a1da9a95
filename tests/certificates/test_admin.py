"""Revocation by staff in the Wagtail admin: city administrators only, POST with CSRF, a reason
required, an audit entry written."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.services import user_roles_update
from certificates.models import Certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(zhang, security_course, complete):
    complete(zhang, security_course)
    return Certificate.objects.get()


@pytest.fixture
def city_admin(db):
    user = UserFactory(username="cityadmin")
    user_roles_update(
        user=user, department=user.department, is_trainer=False, is_department_head=False, is_city_admin=True
    )
    return user


@pytest.fixture
def admin_client(city_admin):
    client = Client()
    client.force_login(city_admin)
    return client


def revoke_url(certificate):
    return reverse("certificates_admin:revoke", args=[certificate.pk])


def test_a_city_admin_finds_a_certificate_by_code_or_name(admin_client, certificate):
    listing = reverse("certificates_admin:list")
    for query in [certificate.display_code.lower(), "张伟", certificate.code[:6]]:
        page = admin_client.get(listing, {"q": query})
        assert page.status_code == 200 and certificate.display_code in page.content.decode(), query
    assert certificate.display_code not in admin_client.get(listing, {"q": "李四"}).content.decode()


def test_a_city_admin_revokes_with_a_reason_and_it_is_audited(admin_client, certificate, city_admin):
    page = admin_client.get(revoke_url(certificate))
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    response = admin_client.post(revoke_url(certificate), {"reason": "考试作弊，撤销证书"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == city_admin
    assert certificate.revoked_reason == "考试作弊，撤销证书"
    log = ModelLogEntry.objects.get(action="certificates.revoked")
    assert (log.object_id, log.user_id, log.data["reason"]) == (
        str(certificate.pk),
        city_admin.pk,
        "考试作弊，撤销证书",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(admin_client, certificate, reason):
    response = admin_client.post(revoke_url(certificate), {"reason": reason})
    assert response.status_code == 400
    assert 'name="reason"' in response.content.decode()
    assert "error" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_the_revocation_needs_the_csrf_token(city_admin, certificate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_admin)
    assert client.post(revoke_url(certificate), {"reason": "无令牌"}).status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_people_with_admin_access_who_are_not_city_admins_are_refused(certificate):
    trainer = UserFactory(username="trainer")
    user_roles_update(
        user=trainer, department=trainer.department, is_trainer=True, is_department_head=True, is_city_admin=False
    )
    client = Client()
    client.force_login(trainer)
    assert client.get(reverse("certificates_admin:list")).status_code == 403
    assert client.get(revoke_url(certificate)).status_code == 403
    assert client.post(revoke_url(certificate), {"reason": "越权"}).status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_learners_and_visitors_are_sent_to_the_login_page(client, certificate, zhang):
    assert client.post(revoke_url(certificate), {"reason": "匿名"}).status_code == 302
    client.force_login(zhang)
    assert client.post(revoke_url(certificate), {"reason": "本人"}).status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_revoked
