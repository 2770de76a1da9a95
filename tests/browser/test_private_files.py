"""A head prepares a large export in a real browser, clicks its download link and gets the file;
the file is not in public media, so its address there (and the old style of export address)
is a 404 even from a server that publishes MEDIA_ROOT, and the download address is a 404 for a
visitor who is not signed in."""

import csv
import io
from pathlib import Path

import pytest

from reports.models import ReportExport
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _files(file_roots, settings):
    # /media/ served from MEDIA_ROOT as the web server does in production (tests/privatefiles/urls.py).
    settings.ROOT_URLCONF = "tests.privatefiles.urls"
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 1  # every export is prepared in the background


def test_a_head_downloads_a_prepared_export_that_public_media_does_not_have(
    visitor, visitor_factory, live_server_url, catalogue, settings
):
    city = build_city(catalogue)
    page = visitor.page
    visitor.log_in("head.finance", PASSWORD)
    visitor.goto("/reports/")
    visitor.click("a[href^='/reports/export/department_progress/csv/']")
    visitor.click("main form button[type=submit]")  # "Prepare the file"
    export = ReportExport.objects.get(user=city.finance_head)
    assert page.url.endswith(f"/reports/exports/{export.pk}/")
    download_link = page.locator("[data-export-download]")
    download_link.wait_for(state="visible")

    with page.expect_download() as waiting:
        download_link.click()
    download = waiting.value
    assert download.suggested_filename.startswith("department_progress-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    cells = {cell for row in rows[1:] for cell in row}
    assert {person.display_name for person in city.learners["budget"]} <= cells

    export.refresh_from_db()
    name = export.file.name
    assert (Path(settings.PRIVATE_ROOT) / name).is_file()
    # Public media is served here, but holds no export: neither at the file's name nor at the
    # report-and-time name exports had before.
    for address in (f"/media/{name}", f"/media/exports/department_progress-{export.created_at:%Y%m%d-%H%M%S}.csv"):
        assert page.request.get(visitor.url(address)).status == 404, address
    assert not (Path(settings.MEDIA_ROOT) / "exports").exists()
    # The control: what public media does hold (the admin's avatars) is served at /media/.
    avatar = Path(settings.MEDIA_ROOT) / "avatar_images" / "head.png"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    avatar.write_bytes(b"\x89PNG")
    assert page.request.get(visitor.url("/media/avatar_images/head.png")).status == 200

    stranger = visitor_factory(live_server_url)
    stranger.goto("/")
    download_address = download_link.get_attribute("href")
    assert stranger.page.request.get(stranger.url(download_address)).status == 404
