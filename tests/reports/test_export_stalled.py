"""An export whose worker died (no progress for FILE_JOB_STALE_MINUTES) stops blocking its
requester: it is marked failed, its page says why, and exporting again works. The same rule
(privatefiles.jobs) frees a "My data" archive."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import DataArchive
from privacy.services import data_archive_request
from privatefiles.jobs import STALLED
from reports.models import ReportExport
from reports.services import export_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _background_exports(settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 3
    settings.FILE_JOB_STALE_MINUTES = 30


def running_export(user, *, quiet_minutes: int) -> ReportExport:
    export = ReportExport.objects.create(user=user, report="course_learners", status="running", params={}, progress=40)
    ReportExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(minutes=quiet_minutes))
    return export


def request_export(client, city):
    return client.post(reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk})


def test_a_stalled_export_no_longer_blocks_a_new_one(client, city, events):
    dead = running_export(city.finance_head, quiet_minutes=31)
    client.force_login(city.finance_head)
    with events():
        response = request_export(client, city)
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.error, dead.stalled) == ("failed", STALLED, True)
    new = ReportExport.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("reports:export_status", args=[new.pk])
    assert new.status == "done" and new.rows > 0


def test_an_export_still_making_progress_still_blocks(client, city, events):
    alive = running_export(city.finance_head, quiet_minutes=29)
    client.force_login(city.finance_head)
    with events():
        assert request_export(client, city).status_code == 409
    alive.refresh_from_db()
    assert alive.status == "running"


def test_the_page_of_a_stalled_export_says_it_stopped_and_to_export_again(client, city):
    dead = running_export(city.finance_head, quiet_minutes=45)
    client.force_login(city.finance_head)
    status = client.get(reverse("reports:export_status_json", args=[dead.pk])).json()
    assert status["status"] == "failed" and status["download_url"] is None
    html = client.get(reverse("reports:export_status", args=[dead.pk])).content.decode()
    assert "made no progress for 30 minutes" in html and "Export the report again." in html
    assert "The export failed. Try again later." not in html
    assert 'data-export-rendered-status="failed"' in html  # the script reloads on a change


def test_a_plain_failure_keeps_its_own_message(client, city):
    failed = ReportExport.objects.create(user=city.finance_head, report="course_learners", status="failed", error="x")
    client.force_login(city.finance_head)
    html = client.get(reverse("reports:export_status", args=[failed.pk])).content.decode()
    assert "The export failed. Try again later." in html and "made no progress" not in html


def test_a_running_export_records_its_progress_time(city, settings):
    settings.FILE_JOB_STALE_MINUTES = 1
    params = {"course": str(city.courses[0].pk)}
    export = ReportExport.objects.create(user=city.finance_head, report="course_learners", params=params)
    ReportExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(hours=1))
    before = timezone.now()
    export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "done" and export.progress_at >= before


def test_a_stalled_archive_follows_the_same_rule(client, city):
    dead = DataArchive.objects.create(user=city.plain_learner, status="running")
    DataArchive.objects.filter(pk=dead.pk).update(progress_at=timezone.now() - timedelta(minutes=31))
    client.force_login(city.plain_learner)
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert "made no progress for 30 minutes" in html and "Prepare a new one." in html
    dead.refresh_from_db()
    assert dead.stalled
    assert data_archive_request(user=city.plain_learner).status == "queued"
