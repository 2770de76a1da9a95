"""Issue 17: a person's valid certificates by course are cached under their user id (every page
showing a completed course asks), and every write that issues or revokes one forgets them, so a
page never offers a revoked certificate or hides a new one."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates import selectors
from certificates.models import Certificate
from certificates.selectors import valid_certificate_ids_by_course, valid_certificates_cache_key
from certificates.services import certificate_revoke, certificates_sync_course_completions
from courses.models import CourseProgress
from courses.services import step_complete
from tests.factories import UserFactory, course_steps

pytestmark = pytest.mark.django_db


def download_url(certificate) -> str:
    return reverse("certificates:download", args=[certificate.pk])


def test_the_ids_are_read_once_then_from_the_cache_per_person(zhang, security_course, django_assert_num_queries):
    for step in course_steps(security_course):
        step_complete(user=zhang, step=step)
    certificate = Certificate.objects.get(user=zhang)
    cache.delete(valid_certificates_cache_key(zhang.pk))  # the marker has expired
    other = UserFactory()
    with django_assert_num_queries(1):
        assert valid_certificate_ids_by_course(user=zhang) == {security_course.pk: certificate.pk}
    with django_assert_num_queries(0):
        assert valid_certificate_ids_by_course(user=zhang) == {security_course.pk: certificate.pk}
    with django_assert_num_queries(1):  # another person: another key
        assert valid_certificate_ids_by_course(user=other) == {}


def test_a_certificate_issued_after_a_page_view_is_linked_at_once(client, zhang, security_course, complete):
    client.force_login(zhang)
    assert client.get(security_course.url).status_code == 200  # caches "no certificate"
    assert valid_certificate_ids_by_course(user=zhang) == {}
    complete(zhang, security_course)
    certificate = Certificate.objects.get(user=zhang)
    assert download_url(certificate) in client.get(security_course.url).content.decode()


def test_a_revoked_certificate_is_not_linked_right_after_the_revocation(client, zhang, security_course, complete):
    complete(zhang, security_course)
    certificate = Certificate.objects.get(user=zhang)
    client.force_login(zhang)
    assert download_url(certificate) in client.get(security_course.url).content.decode()  # cached with it
    certificate_revoke(certificate=certificate, reason="复核")
    assert download_url(certificate) not in client.get(security_course.url).content.decode()
    assert valid_certificate_ids_by_course(user=zhang) == {}


def test_certificates_issued_in_bulk_are_forgotten_for_their_people(zhang, security_course):
    assert valid_certificate_ids_by_course(user=zhang) == {}  # cached empty
    for step in course_steps(security_course):
        step_complete(user=zhang, step=step)
    Certificate.objects.filter(user=zhang).delete()  # as if completed by a bulk write (the demo)
    assert CourseProgress.objects.get(user=zhang, course=security_course).completed_at is not None
    cache.set(valid_certificates_cache_key(zhang.pk), {})
    (certificate,) = certificates_sync_course_completions(course_id=security_course.pk)
    assert valid_certificate_ids_by_course(user=zhang) == {security_course.pk: Certificate.objects.get(user=zhang).pk}
    assert certificate.user_id == zhang.pk


def test_an_answer_read_before_a_change_and_stored_after_it_is_never_kept(
    zhang, security_course, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        for step in course_steps(security_course):
            step_complete(user=zhang, step=step)
    key = valid_certificates_cache_key(zhang.pk)
    assert cache.get(key) == selectors.CHANGING  # kept while the change settles
    # A request that read the rows before the certificate existed stores its answer late: refused.
    assert cache.add(key, {}) is False
    certificate = Certificate.objects.get(user=zhang)
    with django_assert_num_queries(1):  # still asked of the database, and not stored
        assert valid_certificate_ids_by_course(user=zhang) == {security_course.pk: certificate.pk}
    assert cache.get(key) == selectors.CHANGING
    cache.delete(key)  # the marker expires
    assert valid_certificate_ids_by_course(user=zhang) == {security_course.pk: certificate.pk}
    assert cache.get(key) == {security_course.pk: certificate.pk}
