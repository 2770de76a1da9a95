"""The serving helper: Django streams a private file, or, with PRIVATE_FILES_X_ACCEL_REDIRECT set,
answers with an empty body and the header that tells nginx which file to send (after the view's
check). A missing file is a 404; PRIVATE_ROOT inside MEDIA_ROOT fails the system check."""

from pathlib import Path

import pytest
from django.urls import reverse

from privatefiles.checks import private_root_outside_media_root

pytestmark = pytest.mark.django_db


def downloads(files):
    owner_of_export = files.export.user
    learner = files.certificate.user
    return [
        (owner_of_export, reverse("reports:export_download", args=[files.export.pk]), files.export.file.name),
        (learner, reverse("certificates:download", args=[files.certificate.pk]), files.certificate.pdf.name),
        (learner, reverse("hours:attachment", args=[files.declaration.pk]), files.declaration.attachment.name),
    ]


def test_with_x_accel_redirect_the_answer_names_the_file_and_has_no_body(client, private_files, settings):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = "/_private/"
    for user, url, name in downloads(private_files):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Accel-Redirect"] == f"/_private/{name}"
        assert response.content == b"" and not response.streaming
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert "no-store" in response["Cache-Control"]


def test_x_accel_redirect_is_given_only_after_the_check(client, city, private_files, settings):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = "/_private/"
    client.force_login(city.police_head)
    for _user, url, _name in downloads(private_files):
        response = client.get(url)
        assert response.status_code == 404 and not response.has_header("X-Accel-Redirect")


def test_without_x_accel_redirect_django_sends_the_file(client, private_files, settings):
    for user, url, name in downloads(private_files):
        client.force_login(user)
        response = client.get(url)
        assert not response.has_header("X-Accel-Redirect")
        assert b"".join(response.streaming_content) == (Path(settings.PRIVATE_ROOT) / name).read_bytes()


def test_a_file_gone_from_the_storage_is_a_404_not_a_500(client, private_files):
    private_files.declaration.attachment.storage.delete(private_files.declaration.attachment.name)
    client.force_login(private_files.declaration.user)
    assert client.get(reverse("hours:attachment", args=[private_files.declaration.pk])).status_code == 404


def test_private_files_have_no_url(private_files):
    with pytest.raises(ValueError):
        private_files.export.file.url  # noqa: B018


@pytest.mark.parametrize(
    ("media", "private", "overlap"),
    [("media", "private", False), ("srv", "srv/private", True), ("srv/media", "srv", True), ("same", "same", True)],
)
def test_the_system_check_refuses_private_root_inside_media_root(settings, tmp_path, media, private, overlap):
    settings.MEDIA_ROOT = tmp_path / media
    settings.PRIVATE_ROOT = tmp_path / private
    errors = private_root_outside_media_root()
    assert [error.id for error in errors] == (["privatefiles.E001"] if overlap else [])
