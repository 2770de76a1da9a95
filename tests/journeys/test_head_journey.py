"""A department head's week, in English: the overview of their department, a sub-unit, a course's
learners filtered, sorted and paged, one learner, the exports (small ones at once, a large one
prepared in the background), the overdue people, offline training to approve and reject, and the
weekly digest's links. Every button pressed is checked in the database or in the file it gave."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import CoursePage
from departments.models import Department
from hours.models import HourEntry, OfflineTraining
from notifications.models import Notification
from reports.models import ReportExport

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]


def download(visitor, selector):
    with visitor.page.expect_download() as waiting:
        visitor.page.click(selector)
    return waiting.value


def test_a_head_reads_the_reports_exports_and_follows_the_overdue(visit, settings, tmp_path):
    finance = Department.objects.get(code="finance")
    budget = Department.objects.get(code="finance-budget")
    course = CoursePage.objects.live().get(slug="egov-basics")
    visitor = visit("head.finance", locale="en-US")
    page = visitor.page

    # The overview of the department, then one sub-unit.
    visitor.goto("/reports/")
    assert finance.name_en in visitor.text("h1")
    visitor.click(f"a[href='/reports/?department={budget.pk}']")
    assert budget.name_en in visitor.text("h1")
    visitor.goto("/reports/")

    # A course's learners: filtered, sorted both ways, paged.
    visitor.click(f"a[href^='/reports/courses/{course.pk}/']")
    rows = page.locator("table tbody tr")
    assert rows.count() == 50  # the first page of 97
    page.select_option("#id_status", "completed")
    visitor.click("form.report-filters button[type=submit]")
    assert "status=completed" in page.url
    statuses = set(page.locator("table tbody tr td:nth-child(3)").all_inner_texts())
    assert statuses <= {"Completed"}
    visitor.goto(f"/reports/courses/{course.pk}/")
    name_header = page.locator("thead th").first
    visitor.click(name_header.locator("a"))
    first_order = name_header.get_attribute("aria-sort")
    names = page.locator("tbody th").all_inner_texts()
    visitor.click(name_header.locator("a"))
    assert {first_order, name_header.get_attribute("aria-sort")} == {"ascending", "descending"}
    assert page.locator("tbody th").all_inner_texts() != names
    visitor.click("a[rel=next]")
    assert "page=2" in page.url and rows.count() == 47
    visitor.click("a[rel=prev]")

    # One learner.
    first = page.locator("tbody th a").first
    name = first.inner_text()
    visitor.click(first)
    assert name in visitor.text("h1")

    # Exports: CSV (UTF-8 with BOM, for Excel) and XLSX of the course's learners.
    visitor.goto(f"/reports/courses/{course.pk}/")
    as_csv = download(visitor, "a[href*='/export/course_learners/csv/']")
    content = open(as_csv.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(lines) == 1 + 97
    as_xlsx = download(visitor, "a[href*='/export/course_learners/xlsx/']")
    sheet = openpyxl.load_workbook(io.BytesIO(open(as_xlsx.path(), "rb").read())).active
    assert sheet.max_row == 1 + 97

    # A large export is prepared in the background and downloaded from its page.
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 10
    visitor.goto("/reports/")
    visitor.click("a[href^='/reports/export/department_progress/xlsx/']")
    visitor.click("main form button[type=submit]")  # "Prepare the file"
    export = ReportExport.objects.filter(user__username="head.finance", report="department_progress").latest("pk")
    assert page.url.endswith(f"/reports/exports/{export.pk}/")
    page.locator("[data-export-download]").wait_for(state="visible")
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    prepared = download(visitor, "[data-export-download]")
    assert openpyxl.load_workbook(io.BytesIO(open(prepared.path(), "rb").read())).active.max_row > 10

    # Overdue people of the department.
    visitor.goto("/assignments/overdue/")
    assert "Nobody is overdue." not in visitor.text()

    # The weekly digest: a list with links to each person and to everyone overdue.
    digest = Notification.objects.get(recipient__username="head.finance", kind="digest")
    visitor.goto("/notifications/")
    items = page.locator(".notification-items li")
    assert items.count() == len(digest.items)
    person = items.first.locator("a").first
    person_name = person.inner_text()
    visitor.click(person)
    assert "/reports/learners/" in page.url and person_name in visitor.text("h1")
    visitor.goto("/notifications/")
    visitor.click("a:has-text('See everyone overdue')")
    assert "/assignments/overdue/" in page.url


def test_a_head_approves_and_rejects_offline_training(visit, file_roots):
    people = list(
        get_user_model().objects.filter(department__code="finance-treasury", is_active=True).order_by("pk")[:2]
    )
    approved, rejected = (
        OfflineTraining.objects.create(
            user=person,
            course_name=name,
            start_date="2026-11-10",
            end_date="2026-11-11",
            hours=Decimal("6"),
            attachment=SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%attendance\n"),
        )
        for person, name in zip(people, ("国库集中支付业务培训", "财务软件操作培训"), strict=True)
    )
    visitor = visit("head.finance", locale="en-US")
    page = visitor.page
    visitor.goto("/hours/compliance/")
    visitor.click("a[href='/hours/offline/pending/']")

    # Rejecting without a reason is refused, and nothing is decided.
    visitor.click(f"section[aria-labelledby~=declaration-{rejected.pk}] button[value=reject]", expect_status=400)
    assert "Give a reason for the rejection." in visitor.text()
    rejected.refresh_from_db()
    assert rejected.status == "pending"

    visitor.click(f"section[aria-labelledby~=declaration-{approved.pk}] button[value=approve]")
    assert "The decision was saved." in visitor.text()
    page.fill(f"#reason-{rejected.pk}", "签到表与培训日期不符")
    visitor.click(f"section[aria-labelledby~=declaration-{rejected.pk}] button[value=reject]")

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status == "approved" and approved.decided_by.username == "head.finance"
    assert (rejected.status, rejected.reason) == ("rejected", "签到表与培训日期不符")
    assert HourEntry.objects.filter(user=people[0], source="offline").exists()
    assert not HourEntry.objects.filter(user=people[1], source="offline").exists()
    assert Notification.objects.filter(recipient=people[1], kind="offline_decision").exists()
