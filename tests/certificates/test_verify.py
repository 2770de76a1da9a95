"""The public verification page: valid, unknown and revoked codes, typed any way, and nothing
shown beyond the name, the course and the date."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.selectors import certificate_by_code_or_none
from certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(zhang, security_course, complete):
    complete(zhang, security_course)
    return Certificate.objects.get()


def test_a_valid_code_shows_the_name_course_and_date_and_nothing_else(client, certificate, zhang):
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid certificate" in page
    assert "张伟" in page and "信息安全基础" in page
    assert timezone.localtime(certificate.completed_at).date().isoformat() in page
    for private in [
        zhang.username,
        zhang.employee_id,
        zhang.department.name,
        zhang.department.name_en,
        f"/{zhang.pk}/",
        "Credit hours",
    ]:
        assert private not in page, private
    assert response["X-Robots-Tag"].startswith("noindex")


def test_an_unknown_code_is_a_friendly_404(client, certificate):
    response = client.get(reverse("certificates:verify", args=["ABCDEFGHJKMNPQRS"]))
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_malformed_code_is_the_same_friendly_404_without_a_lookup(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert certificate_by_code_or_none(code="<SCRIPT>") is None
    response = client.get(reverse("certificates:verify", args=["<script>"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate with this code" in page and "<script>" not in page


def test_a_revoked_code_says_so_without_the_name(client, certificate):
    certificate_revoke(certificate=certificate, reason="复核发现冒名学习")
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate was revoked" in page and "no longer valid" in page
    assert "Valid certificate" not in page
    assert "张伟" not in page and "复核发现冒名学习" not in page


@pytest.mark.parametrize("typed", ["{grouped}", " {lower} ", "{spaced}"])
def test_a_typed_code_is_normalised_and_sent_to_its_page(client, certificate, typed):
    code = certificate.code
    value = typed.format(grouped=certificate.display_code, lower=code.lower(), spaced=" ".join(code))
    response = client.get(reverse("certificates:verify_form"), {"code": value})
    assert response.status_code == 302
    assert response.url == reverse("certificates:verify", args=[code])
    assert "张伟" in client.get(response.url).content.decode()


def test_the_code_in_the_address_is_normalised_too(client, certificate):
    response = client.get(reverse("certificates:verify", args=[certificate.display_code.lower()]))
    assert response.status_code == 200 and "Valid certificate" in response.content.decode()


def test_the_form_page_asks_for_a_code_and_an_empty_one_is_an_error(client):
    form = client.get(reverse("certificates:verify_form"))
    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    assert form["X-Robots-Tag"].startswith("noindex")
    empty = client.get(reverse("certificates:verify_form"), {"code": ""})
    assert empty.status_code == 400


def test_a_typed_code_of_the_wrong_shape_gets_the_unknown_page(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "abc/def"})
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()
