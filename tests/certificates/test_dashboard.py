"""Learners see their certificates (with download links) on "My certificates", linked from
"My learning"; the page costs a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.rules import new_code
from certificates.services import certificate_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def issue(user, n):
    return Certificate.objects.create(
        user=user,
        learner_name="张伟",
        course_title=f"课程{n}",
        hours=1,
        completed_at=timezone.now(),
        issued_at=timezone.now(),
        code=new_code(),
    )


def test_my_certificates_lists_mine_with_download_links_and_marks_revoked_ones(client, zhang):
    mine = [issue(zhang, n) for n in range(2)]
    certificate_revoke(certificate=mine[0], reason="复核")
    other = issue(UserFactory(), 9)
    client.force_login(zhang)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:download", args=[mine[1].pk]) in page
    assert reverse("certificates:download", args=[mine[0].pk]) not in page and "Revoked" in page
    assert other.course_title not in page


def test_my_certificates_costs_the_same_queries_for_1_and_20_certificates(client, zhang):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(zhang)
    client.get(reverse("certificates:mine"))  # the first request refreshes the session
    counts = []
    for total in (1, 20):
        while Certificate.objects.filter(user=zhang).count() < total:
            issue(zhang, Certificate.objects.count())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("certificates:mine"))
        assert response.content.decode().count("Download PDF") == total
        counts.append(len([q for q in queries.captured_queries if "certificates_certificate" in q["sql"]]))
        counts.append(len(queries))
    assert counts[0] == counts[2] == 1  # the certificates: one query
    assert counts[1] == counts[3] <= 8  # the whole page (session, user, header) stays fixed


def test_my_learning_links_to_my_certificates(client, site_tree, zhang):
    client.force_login(zhang)
    assert reverse("certificates:mine") in client.get(reverse("courses:my_learning")).content.decode()


def test_my_learning_offers_the_certificate_of_each_completed_course(client, zhang, security_course, complete):
    complete(zhang, security_course)
    certificate = Certificate.objects.get(user=zhang)
    client.force_login(zhang)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in page
    certificate_revoke(certificate=certificate, reason="复核")
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) not in page
