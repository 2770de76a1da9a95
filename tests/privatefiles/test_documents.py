"""CMS documents stay in public media, but are always sent by Wagtail's view, which applies the
privacy settings of their collection: links never point at /media/ (WAGTAILDOCS_SERVE_METHOD)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_document():
    collection = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document(title="内部通知", collection=collection)
    document.file.save("notice.txt", ContentFile("仅限内部".encode()), save=True)
    return document


def test_documents_are_served_by_wagtails_view_and_never_linked_to_media(settings, restricted_document):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert restricted_document.url.startswith("/documents/")


def test_a_document_of_a_restricted_collection_is_not_sent_to_a_visitor(client, restricted_document):
    response = client.get(restricted_document.url)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(UserFactory())
    response = client.get(restricted_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "仅限内部".encode()
