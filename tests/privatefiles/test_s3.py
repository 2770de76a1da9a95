"""STORAGE_BACKEND=s3: media and private files in an S3-compatible server (moto's server, from
PyPI, started here on loopback). Private files go to a bucket of their own, get no URL (not even
a presigned one) and still leave only through the views that check who asks, streamed by Django
(nginx cannot send an object of a bucket); image renditions are objects of the media bucket whose
address is still the checked view."""

import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from certificates.models import Certificate
from hours.models import OfflineTraining
from reports.models import ReportExport
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db

MOTO_SERVER = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
PRIVATE_FIELDS = [(ReportExport, "file"), (Certificate, "pdf"), (OfflineTraining, "attachment")]


@pytest.fixture(scope="module")
def s3_server():
    if not Path(MOTO_SERVER).exists():
        skip_or_fail("needs moto's S3 server (pip install 'moto[server]')")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """The settings STORAGE_BACKEND=s3 gives (config/settings/base.py), two new private buckets,
    and the private fields and renditions pointed at them (a field's storage is chosen once,
    when the models load)."""
    from courses.image_storage_s3 import CheckedRenditionS3Storage
    from privatefiles import storage as private_module
    from privatefiles.s3 import PrivateS3Storage

    run = uuid.uuid4().hex[:12]
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_ACCESS_KEY_ID = "testing"
    settings.AWS_S3_SECRET_ACCESS_KEY = "testing"  # noqa: S105 - moto's, on loopback
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_STORAGE_BUCKET_NAME = f"media-{run}"
    settings.PRIVATE_STORAGE_BUCKET_NAME = f"private-{run}"
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="testing", aws_secret_access_key="testing",  # noqa: S106
        region_name="us-east-1",
    )
    for bucket in (settings.AWS_STORAGE_BUCKET_NAME, settings.PRIVATE_STORAGE_BUCKET_NAME):
        client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    private = PrivateS3Storage()
    monkeypatch.setattr(private_module, "_storage", private)
    for model, field in PRIVATE_FIELDS:
        monkeypatch.setattr(model._meta.get_field(field), "storage", private)
    rendition_model = get_image_model().get_rendition_model()
    monkeypatch.setattr(rendition_model._meta.get_field("file"), "storage", CheckedRenditionS3Storage())
    return client


def bucket_keys(client, bucket: str) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_private_files_are_objects_of_their_bucket_sent_only_after_the_check(s3, client, city, settings, request):
    private_files = request.getfixturevalue("private_files")  # made after the storages were switched
    # nginx cannot send an object of a bucket: the setting is ignored for it, Django streams it.
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = "/_private/"
    downloads = [
        (private_files.export.user, reverse("reports:export_download", args=[private_files.export.pk]),
         private_files.export.file),
        (private_files.certificate.user, reverse("certificates:download", args=[private_files.certificate.pk]),
         private_files.certificate.pdf),
        (private_files.declaration.user, reverse("hours:attachment", args=[private_files.declaration.pk]),
         private_files.declaration.attachment),
    ]
    keys = bucket_keys(s3, settings.PRIVATE_STORAGE_BUCKET_NAME)
    assert {file.name for _user, _url, file in downloads} <= keys
    assert not bucket_keys(s3, settings.AWS_STORAGE_BUCKET_NAME) & keys
    assert not any(path.is_file() for path in Path(settings.PRIVATE_ROOT).rglob("*"))  # nothing on disk

    for user, url, file in downloads:
        with pytest.raises(ValueError):
            file.url  # noqa: B018 - no address, presigned or not
        client.force_login(city.police_head)
        refused = client.get(url)
        assert refused.status_code == 404 and not refused.has_header("X-Accel-Redirect")
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.has_header("X-Accel-Redirect")
        stored = s3.get_object(Bucket=settings.PRIVATE_STORAGE_BUCKET_NAME, Key=file.name)["Body"].read()
        assert b"".join(response.streaming_content) == stored and stored
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert "no-store" in response["Cache-Control"]


def test_images_are_objects_of_the_media_bucket_sent_by_the_checked_view(s3, client, settings):
    settings.MEDIA_FILES_X_ACCEL_REDIRECT = "/_media/"
    image = get_image_model().objects.create(title="city-map", file=get_test_image_file(filename="city-map.png"))
    rendition = image.get_rendition("width-100")
    keys = bucket_keys(s3, settings.AWS_STORAGE_BUCKET_NAME)
    assert image.file.name in keys and rendition.file.name in keys
    assert rendition.url == "/learn/images/" + rendition.file.name.removeprefix("images/")
    response = client.get(rendition.url)  # an image no page uses is sent to anyone, as on disk
    assert response.status_code == 200 and not response.has_header("X-Accel-Redirect")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get("/learn/images/" + "forged-name.png").status_code == 404


def test_the_health_checks_write_read_and_delete_in_both_buckets(s3, settings):
    from operations import health

    health.Storage().run()
    health.PrivateStorage().run()
    for bucket in (settings.AWS_STORAGE_BUCKET_NAME, settings.PRIVATE_STORAGE_BUCKET_NAME):
        assert not bucket_keys(s3, bucket)  # written, read back and deleted
    s3.delete_bucket(Bucket=settings.PRIVATE_STORAGE_BUCKET_NAME)
    with pytest.raises(Exception):  # noqa: B017 - whatever boto raises for a bucket that is gone
        health.PrivateStorage().run()
