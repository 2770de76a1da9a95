"""Issue 12, item 11: one check for every upload (privatefiles.uploads): type by content, size,
and an image's pixel count read from its header before anything decodes it; each upload path
answers a bad file with a form error, never a 500."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from privatefiles.uploads import validate_upload
from tests.factories import UserFactory
from tests.factories.files import bomb_png, png_bytes

IMAGES = (".jpg", ".jpeg", ".png", ".pdf")


def code_of(upload, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload, **kwargs)
    return refused.value.code


def xlsx_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_bomb_is_small_and_refused_from_its_header_in_no_time():
    bomb = bomb_png()
    assert len(bomb) <= 110 * 1024
    started = time.monotonic()
    assert code_of(SimpleUploadedFile("a.png", bomb), extensions=IMAGES, max_bytes=5 * 1024 * 1024) == "too_many_pixels"
    assert time.monotonic() - started < 1  # decoding 900 million pixels would take seconds and 900 MB


def test_our_pixel_limit_applies_below_pillows_own(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100
    upload = SimpleUploadedFile("a.png", png_bytes((20, 20)))
    with pytest.raises(ValidationError, match=r"too many pixels \(20 × 20\)"):
        validate_upload(upload, extensions=IMAGES, max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.png", b"plain text", "wrong_content"),
        ("a.jpg", png_bytes(), "wrong_content"),  # a PNG named .jpg
        ("a.pdf", b"<html><script>alert(1)</script></html>", "wrong_content"),
        ("a.exe", b"MZ\x90\x00", "wrong_type"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "wrong_content"),  # a PNG signature, a broken header
        ("a.pdf", b"%PDF-" + b"0" * 2048, "too_large"),
    ],
)
def test_type_is_decided_by_content_and_size_by_the_callers_limit(name, content, code):
    assert code_of(SimpleUploadedFile(name, content), extensions=IMAGES, max_bytes=1024) == code


def test_good_files_pass_and_are_left_at_their_start():
    upload = SimpleUploadedFile("a.png", png_bytes())
    assert validate_upload(upload, extensions=IMAGES, max_bytes=1024 * 1024) == "png"
    assert upload.tell() == 0
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    assert validate_upload(pdf, extensions=IMAGES, max_bytes=1024) == "pdf"


def test_an_xlsx_must_be_a_zip_and_must_not_unpack_beyond_the_limit(settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 10_000
    kinds = {"extensions": (".xlsx", ".csv"), "max_bytes": 1024 * 1024}
    assert code_of(SimpleUploadedFile("p.xlsx", b"name,dept\n"), **kinds) == "wrong_content"
    assert code_of(SimpleUploadedFile("p.xlsx", xlsx_bytes({"xl/big.xml": b"0" * 20_000})), **kinds) == "too_large"
    assert validate_upload(SimpleUploadedFile("p.xlsx", xlsx_bytes({"xl/a.xml": b"<a/>"})), **kinds) == "zip"
    assert code_of(SimpleUploadedFile("p.csv", png_bytes()), **kinds) == "wrong_content"  # binary in a text file
    assert validate_upload(SimpleUploadedFile("p.csv", "工号,姓名\n".encode()), **kinds) == "text"


# Every upload path answers with a form error.


@pytest.fixture
def superuser_client(client, db, file_roots):
    client.force_login(UserFactory(username="admin-files", is_superuser=True))
    return client


def test_the_admin_refuses_a_bomb_image_with_a_form_error(superuser_client):
    response = superuser_client.post(
        reverse("wagtailimages:add"), {"title": "炸弹", "file": SimpleUploadedFile("bomb.png", bomb_png())}
    )
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()
    assert not Image.objects.exists()


def test_the_admins_multiple_upload_refuses_a_bomb_image(superuser_client):
    response = superuser_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": SimpleUploadedFile("bomb.png", bomb_png())}
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not Image.objects.exists()


def test_the_admin_refuses_a_document_whose_content_is_not_its_type(superuser_client):
    fake = SimpleUploadedFile("notice.pdf", b"<html><script>alert(1)</script></html>")
    response = superuser_client.post(reverse("wagtaildocs:add"), {"title": "通知", "file": fake})
    assert response.status_code == 200
    assert "This file is not a real PDF file" in response.content.decode()
    assert not Document.objects.exists()
    real = SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n")
    response = superuser_client.post(reverse("wagtaildocs:add"), {"title": "通知", "file": real})
    assert response.status_code == 302 and Document.objects.count() == 1


def test_the_people_import_refuses_an_xlsx_that_is_not_one(superuser_client, settings):
    superuser_client.force_login(UserFactory(username="city-admin-files", is_city_admin=True, is_superuser=True))
    response = superuser_client.post(
        reverse("accounts_admin:people_import"), {"file": SimpleUploadedFile("people.xlsx", b"name,department\n")}
    )
    assert response.status_code == 200
    assert "This file is not a real XLSX file" in response.content.decode()
