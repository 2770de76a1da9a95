"""A completed course links to its certificate wherever the learner sees it as completed (course
page, its steps' outline card, home page, catalogue, My learning, required learning), only to the
learner's own valid certificate: a revoked one is not offered."""

import datetime

import pytest
from django.urls import reverse

from assignments.services import assignment_create
from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.services import step_complete
from tests.factories import UserFactory, course_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(zhang, security_course):
    for step in course_steps(security_course):
        step_complete(user=zhang, step=step)
    return Certificate.objects.get(user=zhang)


def download_url(certificate) -> str:
    return reverse("certificates:download", args=[certificate.pk])


def pages(course, catalogue) -> dict[str, str]:
    return {
        "course page": course.url,
        "a step's outline card": course_steps(course)[0].url,
        "home page": "/",
        "catalogue": catalogue.url,
        "my learning": reverse("courses:my_learning"),
    }


def test_every_page_showing_the_course_as_completed_links_to_the_certificate(
    client, zhang, security_course, catalogue, done
):
    client.force_login(zhang)
    for name, url in pages(security_course, catalogue).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert download_url(done) in response.content.decode(), name


def test_a_revoked_certificate_is_linked_nowhere(client, zhang, security_course, catalogue, done):
    certificate_revoke(certificate=done, reason="复核")
    client.force_login(zhang)
    for name, url in pages(security_course, catalogue).items():
        html = client.get(url).content.decode()
        assert download_url(done) not in html, name
        assert "/certificates/" not in html.replace(reverse("certificates:mine"), ""), name
    assert "You have completed this course." in client.get(security_course.url).content.decode()


def test_another_learner_never_gets_a_link_to_someone_elses_certificate(client, security_course, catalogue, done):
    other = UserFactory()
    step_complete(user=other, step=course_steps(security_course)[0])
    client.force_login(other)
    for name, url in pages(security_course, catalogue).items():
        assert download_url(done) not in client.get(url).content.decode(), name


def test_the_required_learning_list_links_a_completed_courses_certificate(client, zhang, security_course, done):
    assignment_create(
        course=security_course,
        department=zhang.department,
        due_date=datetime.date.today() + datetime.timedelta(days=10),
        created_by=UserFactory(is_city_admin=True),
    )
    client.force_login(zhang)
    for url in (reverse("assignments:mine"), reverse("courses:my_learning")):
        html = client.get(url).content.decode()
        assert f'Completed · <a href="{download_url(done)}">Certificate' in html, url


def test_completing_the_last_step_lands_on_the_course_page_with_the_message_and_the_certificate(
    client, zhang, security_course
):
    client.force_login(zhang)
    first, last = course_steps(security_course)
    client.post(reverse("courses:step_complete", args=[first.pk]))
    response = client.post(reverse("courses:step_complete", args=[last.pk]), follow=True)
    html = response.content.decode()
    assert "Congratulations! You have completed" in html
    assert download_url(Certificate.objects.get(user=zhang)) in html
