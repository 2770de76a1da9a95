"""The retention job deletes exactly what is due: report exports finished more than
EXPORT_RETENTION_DAYS ago (the row stays, marked expired, and its page says so), people-import
uploads and unconfirmed dry runs, and question-import uploads, older than UPLOAD_RETENTION_DAYS.
Certificates and offline-training evidence are records and stay. A second run changes nothing."""

import logging
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import PeopleImport
from quizzes.services import question_import_upload_keep
from records.retention import retention_apply
from records.tasks import apply_retention
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.fixture
def now():
    return timezone.now()


def export(user, *, status, finished_at, with_file=True) -> ReportExport:
    row = ReportExport.objects.create(user=user, report="overview_units", status=status, finished_at=finished_at)
    if with_file:
        row.file.save("export.csv", ContentFile(b"\xef\xbb\xbfname\n"), save=True)
    return row


def people_import(user, *, status, created_at) -> PeopleImport:
    row = PeopleImport(original_name="people.csv", status=status, created_by=user, preview=[{"name": "张三"}])
    row.file.save("people.csv", ContentFile(b"employee_id,name\n"), save=False)
    row.save()
    PeopleImport.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


def question_upload(*, modified_at) -> str:
    token = question_import_upload_keep(data=b"::q:: 1+1? {=2 ~3}")
    path = Path(django_settings.PRIVATE_ROOT) / "question-imports" / f"{token}.bin"
    os.utime(path, (modified_at.timestamp(), modified_at.timestamp()))
    return token


@pytest.fixture
def stock(city, private_files, now, settings):
    """Rows and files just outside and just inside each retention window."""
    export_cutoff = now - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    upload_cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    head, admin = city.finance_head, city.admin
    long_ago = now - timedelta(days=400)
    # The records: a year old and still kept.
    ReportExport.objects.filter(pk=private_files.export.pk).update(finished_at=export_cutoff + SECOND)
    return {
        "export_due": export(head, status=ReportExport.Status.DONE, finished_at=export_cutoff - SECOND),
        "export_kept": export(admin, status=ReportExport.Status.DONE, finished_at=export_cutoff + SECOND),
        "export_failed": export(head, status=ReportExport.Status.FAILED, finished_at=long_ago, with_file=False),
        "dry_run_due": people_import(admin, status=PeopleImport.Status.CHECKED, created_at=upload_cutoff - SECOND),
        "dry_run_kept": people_import(admin, status=PeopleImport.Status.CHECKED, created_at=upload_cutoff + SECOND),
        "import_due": people_import(admin, status=PeopleImport.Status.DONE, created_at=upload_cutoff - SECOND),
        "import_kept": people_import(admin, status=PeopleImport.Status.DONE, created_at=upload_cutoff + SECOND),
        "import_queued": people_import(admin, status=PeopleImport.Status.QUEUED, created_at=long_ago),
        "upload_due": question_upload(modified_at=upload_cutoff - SECOND),
        "upload_kept": question_upload(modified_at=upload_cutoff + SECOND),
        "certificate": private_files.certificate,
        "declaration": private_files.declaration,
    }


def private_tree(settings) -> set[str]:
    root = Path(settings.PRIVATE_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def rows():
    return (
        list(ReportExport.objects.order_by("pk").values_list("pk", "status", "file")),
        list(PeopleImport.objects.order_by("pk").values_list("pk", "status", "file")),
    )


def test_the_job_deletes_exactly_what_is_due_and_a_second_run_changes_nothing(stock, now, settings, caplog):
    before = private_tree(settings)
    due_files = {
        stock["export_due"].file.name,
        stock["dry_run_due"].file.name,
        stock["import_due"].file.name,
        f"question-imports/{stock['upload_due']}.bin",
    }
    assert due_files <= before

    with caplog.at_level(logging.INFO, logger="records.retention"):
        counts = retention_apply(now=now)

    assert counts == {
        "report exports": 1,
        "data archives": 0,  # tests/privacy/test_my_data.py
        "unconfirmed people-import dry runs": 1,
        "people-import uploads": 1,
        "question-import uploads": 1,
    }
    assert private_tree(settings) == before - due_files
    assert ReportExport.objects.get(pk=stock["export_due"].pk).status == ReportExport.Status.EXPIRED
    assert not ReportExport.objects.get(pk=stock["export_due"].pk).file
    assert ReportExport.objects.get(pk=stock["export_kept"].pk).status == ReportExport.Status.DONE
    assert ReportExport.objects.get(pk=stock["export_failed"].pk).status == ReportExport.Status.FAILED
    assert not PeopleImport.objects.filter(pk=stock["dry_run_due"].pk).exists()
    assert PeopleImport.objects.get(pk=stock["dry_run_kept"].pk).file
    finished = PeopleImport.objects.get(pk=stock["import_due"].pk)
    assert not finished.file and finished.status == PeopleImport.Status.DONE  # the record of the import stays
    assert PeopleImport.objects.get(pk=stock["import_kept"].pk).file
    assert PeopleImport.objects.get(pk=stock["import_queued"].pk).file  # not finished: its file is still needed
    assert [record.getMessage() for record in caplog.records] == [
        "retention: deleted 1 report exports",
        "retention: deleted 0 data archives",
        "retention: deleted 1 unconfirmed people-import dry runs",
        "retention: deleted 1 people-import uploads",
        "retention: deleted 1 question-import uploads",
    ]

    after_first = (private_tree(settings), rows())
    assert set(retention_apply(now=now).values()) == {0}
    assert (private_tree(settings), rows()) == after_first


def test_certificates_and_offline_evidence_are_records_and_stay(stock, settings):
    retention_apply(now=timezone.now() + timedelta(days=3650))
    tree = private_tree(settings)
    assert stock["certificate"].pdf.name in tree and stock["declaration"].attachment.name in tree
    # Of the rest only the file of the import still queued is left.
    assert {name.split("/")[0] for name in tree - {stock["import_queued"].file.name}} == {
        "certificates",
        "offline-evidence",
    }


def test_an_expired_export_says_so_instead_of_failing(client, city, stock, now):
    retention_apply(now=now)
    expired = stock["export_due"]
    client.force_login(city.finance_head)
    page = client.get(reverse("reports:export_status", args=[expired.pk]))
    assert page.status_code == 200
    assert "Expired" in page.content.decode() and "deleted 7 days after it was prepared" in page.content.decode()
    assert client.get(reverse("reports:export_status_json", args=[expired.pk])).json()["download_url"] is None
    download = client.get(reverse("reports:export_download", args=[expired.pk]))
    assert download.status_code == 410 and "Export the report again" in download.content.decode()


def test_the_job_is_scheduled_daily_and_runs_as_a_task(stock, settings):
    assert settings.CELERY_BEAT_SCHEDULE["apply-retention"]["task"] == "records.tasks.apply_retention"
    counts = apply_retention.delay().get()
    assert counts["report exports"] == 1
