"""A head watches an export whose worker died: the open page learns it stopped (the polled status
expires it), reloads, says so and how to go on, and exporting again works. In Chromium, with the
site's scripts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import ReportExport
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _background(file_roots, settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 1  # every export is prepared in the background
    settings.FILE_JOB_STALE_MINUTES = 30


def test_the_open_page_of_an_export_that_stopped_says_so_and_a_new_export_works(visitor, catalogue):
    city = build_city(catalogue)
    dead = ReportExport.objects.create(
        user=city.finance_head,
        report="department_progress",
        status=ReportExport.Status.RUNNING,
        params={},
        progress=40,
    )
    page = visitor.page
    visitor.log_in("head.finance", PASSWORD)
    visitor.goto(f"/reports/exports/{dead.pk}/")
    assert page.locator("[data-export-label]").inner_text() == "Running"

    # The worker died: nothing moves for longer than FILE_JOB_STALE_MINUTES.
    ReportExport.objects.filter(pk=dead.pk).update(progress_at=timezone.now() - timedelta(minutes=31))
    message = page.get_by_text("it made no progress for 30 minutes")
    message.wait_for(state="visible", timeout=15_000)  # the next poll (every 2 s) reloads the page
    assert "Export the report again." in message.inner_text()
    assert page.locator("[data-export-label]").inner_text() == "Failed"
    visitor.check_page()

    visitor.goto("/reports/")
    visitor.click("a[href^='/reports/export/department_progress/csv/']")
    visitor.click("main form button[type=submit]")  # "Prepare the file": no longer refused
    new = ReportExport.objects.exclude(pk=dead.pk).get(user=city.finance_head)
    assert page.url.endswith(f"/reports/exports/{new.pk}/")
    page.locator("[data-export-download]").wait_for(state="visible")
