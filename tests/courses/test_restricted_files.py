"""Issue 12, item 10: a document used only in steps of a department-restricted course is sent
only to people who may open one of those steps; everyone else gets a 404 (not a 403, so the
address confirms nothing). A document that any visitor's page uses stays public."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.models import Collection, PageViewRestriction

from courses.models import LessonPage
from tests.factories import UserFactory, build_course, course_steps, lesson_body

CONTENT = "财政内部预算编制说明".encode()


def make_document(title: str = "预算编制说明", name: str = "budget.pdf") -> Document:
    document = Document(title=title, collection=Collection.get_first_root_node())
    document.file.save(name, ContentFile(b"%PDF-1.4\n" + CONTENT), save=True)
    return document


def body_with_document(document: Document) -> list[dict]:
    return [*lesson_body(), {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}]


def link_from_step(step: LessonPage, document: Document) -> None:
    step.body = body_with_document(document)
    step.save_revision().publish()


def serve(client, document):
    return client.get(document.url)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def check_the_document_of_a_restricted_step_reaches_only_its_people(client, restricted_step, people):
    document = make_document()
    link_from_step(restricted_step, document)

    anonymous = serve(client, document)
    assert anonymous.status_code == 404

    client.force_login(people["other"])
    assert serve(client, document).status_code == 404

    # A member of a unit under the bureau may open the step (the sequential lock orders steps, it
    # hides nothing), so they get the file, as a download.
    client.force_login(people["member"])
    response = serve(client, document)
    assert response.status_code == 200
    assert CONTENT in body(response)
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_a_restricted_steps_document_is_refused_to_anonymous_and_other_departments(
    client, restricted_step, finance_people
):
    check_the_document_of_a_restricted_step_reaches_only_its_people(client, restricted_step, finance_people)


def test_a_restricted_steps_document_on_postgresql(require_postgres, client, restricted_step, finance_people):
    check_the_document_of_a_restricted_step_reaches_only_its_people(client, restricted_step, finance_people)


@pytest.mark.django_db
def test_a_document_also_used_by_a_public_page_stays_public(client, restricted_step, site_tree):
    document = make_document()
    link_from_step(restricted_step, document)
    about = site_tree[0].get_children().get(slug="about").specific
    about.body = [{"type": "rich_text", "value": f'<p><a linktype="document" id="{document.pk}">说明</a></p>'}]
    about.save_revision().publish()
    response = serve(client, document)
    assert response.status_code == 200 and CONTENT in body(response)


@pytest.mark.django_db
def test_a_document_of_an_open_course_goes_to_every_signed_in_person_but_not_to_visitors(client, course):
    document = make_document()
    link_from_step(course_steps(course)[0], document)
    assert serve(client, document).status_code == 404
    client.force_login(UserFactory(username="anyone"))
    assert serve(client, document).status_code == 200


@pytest.mark.django_db
def test_a_document_only_in_an_unpublished_course_or_a_private_page_is_refused(
    client, restricted_step, finance_people
):
    document = make_document()
    open_course = build_course(restricted_step.get_parent().get_parent().specific, steps=1, slug="soon")
    link_from_step(course_steps(open_course)[0], document)
    client.force_login(finance_people["member"])
    open_course.unpublish()
    assert serve(client, document).status_code == 404

    open_course.save_revision().publish()
    assert serve(client, document).status_code == 200
    PageViewRestriction.objects.create(page=open_course, restriction_type=PageViewRestriction.GROUPS)
    assert serve(client, document).status_code == 404


@pytest.mark.django_db
def test_editors_still_get_a_restricted_document_and_a_city_admin_may_open_the_step(
    client, restricted_step, finance
):
    document = make_document()
    link_from_step(restricted_step, document)
    client.force_login(UserFactory(username="editor", is_superuser=True, department=None))
    assert serve(client, document).status_code == 200
    client.force_login(UserFactory(username="city-admin", is_city_admin=True))
    assert serve(client, document).status_code == 200


@pytest.mark.django_db
def test_the_check_costs_the_same_for_one_page_or_many(client, catalogue, finance, finance_people):
    client.force_login(finance_people["other"])
    client.get("/")  # the session and the content types are loaded once, not counted below
    counts = []
    for pages in (1, 6):
        document = make_document(name=f"doc-{pages}.pdf")
        for number in range(pages):
            course = build_course(catalogue, steps=1, slug=f"many-{pages}-{number}")
            course.restricted_to_departments.set([finance[1]])
            course.save()
            link_from_step(course_steps(course)[0], document)
        with CaptureQueriesContext(connection) as queries:
            assert serve(client, document).status_code == 404
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_document_no_page_uses_keeps_its_collections_rule(client):
    document = make_document()
    response = serve(client, document)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")  # a PDF too: never inline
