"""My data: a learner's archive of everything the platform keeps about them, prepared in Celery,
sent only to them, one at a time, and deleted by the retention job like a report export."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from privacy.archive import KINDS
from privacy.models import DataArchive
from privacy.services import ArchiveRefused, data_archive_request
from privatefiles.audit import DOWNLOAD_ACTION
from records.retention import retention_apply
from tests.factories import UserFactory
from tests.privacy.conftest import archive_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(two_learners, client, django_capture_on_commit_callbacks):
    """The owner asks for their archive on the page; the task runs when the request commits."""
    owner, _other = two_learners
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:my_data")
    return DataArchive.objects.get(user=owner.user)


def _download(client, archive):
    response = client.get(reverse("privacy:archive_download", args=[archive.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return archive_files(b"".join(response.streaming_content))


def test_the_archive_holds_every_kind_as_csv_and_json_with_the_owners_rows_only(prepared, two_learners, client):
    owner, other = two_learners
    assert prepared.status == DataArchive.Status.DONE and prepared.progress == 100
    files = _download(client, prepared)

    assert set(files) == {f"{kind}.{suffix}" for kind in KINDS for suffix in ("csv", "json")}
    tables = {kind: list(csv.DictReader(io.StringIO(files[f"{kind}.csv"]))) for kind in KINDS}
    data = {kind: json.loads(files[f"{kind}.json"]) for kind in KINDS}
    for kind in KINDS:
        assert len(tables[kind]) == len(data[kind]), kind
    # Every kind the learner has rows of is there, with their rows.
    assert [row["username"] for row in data["profile"]] == ["owner"]
    assert data["profile"][0]["display_name"] == "王本人"
    assert [row["course__title"] for row in data["enrolments"]] == [owner.course_title]
    assert [row["course__title"] for row in data["step_completions"]] == [owner.course_title]
    assert [(row["course__title"], row["percent"]) for row in data["course_progress"]] == [(owner.course_title, 100)]
    assert [(row["course__title"], row["active_ms"]) for row in data["study_time"]] == [(owner.course_title, 90_000)]
    assert [(row["course__title"], row["beats"]) for row in data["page_views"]] == [(owner.course_title, 4)]
    assert data["videos_watched"] == []
    assert [row["quiz__title"] for row in data["quiz_attempts"]] == [owner.quiz_title]
    assert [row["answer"] for row in data["quiz_answers"]] == [owner.answer]
    assert [(row["source"], row["hours"]) for row in data["hour_entries"]] == [("course_completion", "1.00")]
    assert [row["course_title"] for row in data["certificates"]] == [owner.course_title]
    assert [row["title"] for row in data["notifications"]] == [owner.notification_title]
    # Nothing of the other learner, in any file.
    for name, text in files.items():
        for theirs in (
            "stranger",
            "李他人",
            other.course_title,
            other.quiz_title,
            other.answer,
            other.notification_title,
        ):
            assert theirs not in text, (name, theirs)


def test_a_formula_in_the_csv_is_neutralised_as_in_report_exports_and_kept_in_the_json(prepared, two_learners, client):
    owner, _other = two_learners
    files = _download(client, prepared)
    answers = list(csv.DictReader(io.StringIO(files["quiz_answers.csv"])))
    assert answers[0]["answer"] == "'" + owner.answer
    notifications = list(csv.DictReader(io.StringIO(files["notifications.csv"])))
    assert notifications[0]["title"] == "'" + owner.notification_title
    assert json.loads(files["quiz_answers.json"])[0]["answer"] == owner.answer
    assert files["quiz_answers.csv"].startswith("attempt_id,")  # the BOM was there (utf-8-sig removed it)


def test_the_file_is_private_under_a_random_name(prepared, settings):
    name = prepared.file.name
    assert name.startswith("data-archives/") and name.endswith(".zip")
    assert "owner" not in name and len(name.split("/")[1]) >= 43 + len(".zip")  # token_urlsafe(32)
    assert (settings.PRIVATE_ROOT / name).is_file()
    assert not (settings.MEDIA_ROOT / "data-archives").exists()


@pytest.mark.parametrize("who", ["anonymous", "another learner", "a city admin"])
def test_nobody_but_the_owner_gets_the_status_or_the_file(prepared, client, who):
    client.logout()
    if who == "another learner":
        client.force_login(UserFactory())
    elif who == "a city admin":
        client.force_login(UserFactory(is_city_admin=True, is_staff=True))
    for name in ("privacy:archive_status", "privacy:archive_download"):
        response = client.get(reverse(name, args=[prepared.pk]))
        assert response.status_code == 404, (name, who)
        assert "Location" not in response


def test_an_unknown_archive_is_a_404_for_the_owner_too(prepared, client):
    for name in ("privacy:archive_status", "privacy:archive_download"):
        assert client.get(reverse(name, args=[prepared.pk + 1000])).status_code == 404


def test_the_progress_endpoint_reports_status_progress_and_the_link_once_done(two_learners, client):
    owner, _other = two_learners
    client.force_login(owner.user)
    archive = data_archive_request(user=owner.user)  # not committed: the task has not run
    status = client.get(reverse("privacy:archive_status", args=[archive.pk])).json()
    assert status == {"status": "queued", "status_label": "Queued", "progress": 0, "download_url": None}
    assert client.get(reverse("privacy:archive_download", args=[archive.pk])).status_code == 404  # not ready

    DataArchive.objects.filter(pk=archive.pk).update(status="running", progress=42)
    status = client.get(reverse("privacy:archive_status", args=[archive.pk])).json()
    assert (status["status"], status["progress"], status["download_url"]) == ("running", 42, None)

    DataArchive.objects.filter(pk=archive.pk).update(status="queued", progress=0)
    from privacy.tasks import build_archive

    build_archive.delay(archive.pk)
    status = client.get(reverse("privacy:archive_status", args=[archive.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("privacy:archive_download", args=[archive.pk])


def test_the_page_shows_the_progress_bar_polled_by_the_reports_script(prepared, client):
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert f'data-export-status-url="{reverse("privacy:archive_status", args=[prepared.pk])}"' in html
    assert '<progress id="archive-progress" class="progress" max="100" value="100">' in html
    assert "js/reports.js" in html
    assert f'href="{reverse("privacy:archive_download", args=[prepared.pk])}"' in html


def test_a_second_request_while_one_is_pending_makes_no_second_archive(two_learners, client):
    owner, _other = two_learners
    first = data_archive_request(user=owner.user)  # queued, its task not run (no commit here)
    with pytest.raises(ArchiveRefused) as refused:
        data_archive_request(user=owner.user)
    assert refused.value.active == first

    client.force_login(owner.user)
    response = client.post(reverse("privacy:my_data"), follow=True)
    assert response.status_code == 200 and "already being prepared" in response.content.decode()
    assert list(DataArchive.objects.filter(user=owner.user)) == [first]
    # Another person is not held up by it.
    assert data_archive_request(user=UserFactory()).status == DataArchive.Status.QUEUED


def test_a_request_after_the_last_finished_or_a_lost_one_starts_a_new_archive(prepared, two_learners):
    owner, _other = two_learners
    second = data_archive_request(user=owner.user)
    assert second.pk != prepared.pk
    # A request lost by its worker (still queued after hours) no longer blocks the next one.
    DataArchive.objects.filter(pk=second.pk).update(progress_at=timezone.now() - timedelta(hours=3))
    third = data_archive_request(user=owner.user)
    assert DataArchive.objects.get(pk=second.pk).status == DataArchive.Status.FAILED
    assert third.status == DataArchive.Status.QUEUED


def test_retention_deletes_the_file_keeps_the_row_and_the_download_answers_410(prepared, client, settings):
    path = settings.PRIVATE_ROOT / prepared.file.name
    now = timezone.now()
    assert retention_apply(now=now)["data archives"] == 0  # not due yet
    assert path.is_file()

    later = prepared.finished_at + timedelta(days=settings.EXPORT_RETENTION_DAYS, seconds=1)
    assert retention_apply(now=later)["data archives"] == 1
    prepared.refresh_from_db()
    assert prepared.status == DataArchive.Status.EXPIRED and not prepared.file
    assert not path.exists()
    assert retention_apply(now=later)["data archives"] == 0  # a second run deletes nothing

    download = client.get(reverse("privacy:archive_download", args=[prepared.pk]))
    assert download.status_code == 410
    assert "deleted 7 days after it was prepared" in download.content.decode()
    assert client.get(reverse("privacy:archive_status", args=[prepared.pk])).json()["download_url"] is None


def test_the_sign_in_records_are_the_owners_own(two_learners, client, django_capture_on_commit_callbacks):
    owner, other = two_learners
    login = reverse("accounts:login")
    for person, agent in ((other.user, "TheirBrowser/1.0"), (owner.user, "MyBrowser/1.0")):
        client.logout()
        response = client.post(
            login, {"username": person.username, "password": "correct-horse-battery"}, HTTP_USER_AGENT=agent
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        archive = data_archive_request(user=owner.user)
    logins = json.loads(_download(client, archive)["logins.json"])
    assert [row["user_agent"] for row in logins] == ["MyBrowser/1.0"]


def test_downloading_the_archive_is_in_the_audit_trail(prepared, client):
    _download(client, prepared)
    entry = ModelLogEntry.objects.get(action=DOWNLOAD_ACTION, object_id=str(prepared.pk))
    assert entry.user_id == prepared.user_id and entry.data["filename"].startswith("my-data-")
