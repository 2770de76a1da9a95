"""A learner, in a real browser with the site's scripts: reads the privacy notice from the login
page and the footer, asks for their data at My data, watches the progress bar (polled by the
reports' script) fill while the archive is prepared, and downloads a ZIP of their own data."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from privacy.models import DataArchive
from privacy.services import data_archive_build
from tests.factories import UserFactory
from tests.privacy.conftest import learning_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def test_a_learner_reads_the_notice_and_downloads_their_data(visitor, catalogue, file_roots, settings, monkeypatch):
    mine = learning_record(UserFactory(username="zhang", display_name="张学员"), catalogue, tag="MINE")
    theirs = learning_record(UserFactory(username="li"), catalogue, tag="THEIRS")
    # The archive's task waits for the test to run it, so the page first shows it queued.
    queued: list[int] = []
    monkeypatch.setattr("privacy.services.enqueue_on_commit", lambda task, archive_id: queued.append(archive_id))
    page = visitor.page

    visitor.goto("/accounts/login/")
    visitor.click("main a[href='/privacy/']")
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert "Sign-in records" in visitor.text()

    visitor.log_in("zhang", PASSWORD)
    visitor.click("footer a[href='/privacy/']")
    visitor.click("main a[href='/privacy/my-data/']")
    assert page.locator("h1").inner_text() == "My data"

    visitor.click("[data-archive-request]")
    archive = DataArchive.objects.get(user=mine.user)
    assert queued == [archive.pk]
    bar = page.locator("progress#archive-progress")
    download = page.locator("[data-export-download]")
    assert bar.get_attribute("value") == "0" and download.is_hidden()
    assert page.locator("[data-export-label]").inner_text() == "Queued"

    data_archive_build(archive_id=archive.pk)  # the worker's turn; the page polls every 2 s
    download.wait_for(state="visible", timeout=10_000)
    page.wait_for_function("() => document.querySelector('progress#archive-progress').value === 100")
    assert page.locator("[data-export-percent]").inner_text() == "100%"
    assert page.locator("[data-export-label]").inner_text() == "Done"
    visitor.check_page()  # the finished state passes the page checks too

    with page.expect_download() as waiting:
        download.click()
    got = waiting.value
    assert got.suggested_filename.startswith("my-data-") and got.suggested_filename.endswith(".zip")
    content = Path(got.path()).read_bytes()
    assert content[:4] == b"PK\x03\x04"
    with zipfile.ZipFile(io.BytesIO(content)) as archive_zip:
        names = set(archive_zip.namelist())
        profile = json.loads(archive_zip.read("profile.json"))
        answers = json.loads(archive_zip.read("quiz_answers.json"))
        everything = b"".join(archive_zip.read(name) for name in names).decode("utf-8-sig", errors="replace")
    assert {"profile.csv", "profile.json", "quiz_answers.csv", "certificates.json", "notifications.csv"} <= names
    assert [row["username"] for row in profile] == ["zhang"]
    assert [row["answer"] for row in answers] == [mine.answer]
    assert mine.course_title in everything and theirs.course_title not in everything

    archive.refresh_from_db()
    assert archive.status == DataArchive.Status.DONE and archive.progress == 100 and archive.finished_at
    assert (Path(settings.PRIVATE_ROOT) / archive.file.name).is_file()
    assert DataArchive.objects.count() == 1
