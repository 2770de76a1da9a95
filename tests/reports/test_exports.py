import csv
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import neutralise
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

DANGEROUS_NAMES = ['=HYPERLINK("http://evil.example","点我")', "@SUM(A1:A9)", "+1", "-1", "\tx", "\rx"]


@pytest.fixture
def dangerous_learners(city):
    people = city.learners["budget"] + city.learners["treasury"] + city.learners["police"]
    for person, name in zip(people, DANGEROUS_NAMES, strict=False):
        person.display_name = name
        person.save(update_fields=["display_name"])
    return people[: len(DANGEROUS_NAMES)]


def download(client, viewer, report, file_format, **params):
    client.force_login(viewer)
    response = client.get(reverse("reports:export", args=[report, file_format]), params)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads Chinese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("value", DANGEROUS_NAMES)
def test_neutralise_prefixes_a_single_quote_to_formula_like_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "Zhang San", "", "1=1", 5, -1, None])
def test_neutralise_leaves_plain_text_and_numbers_alone(value):
    assert neutralise(value) == value


def test_formula_injection_round_trips_as_text_in_csv(client, city, dangerous_learners):
    rows = csv_rows(download(client, city.admin, "course_learners", "csv", course=city.courses[0].pk))
    names = {row[0] for row in rows[1:]}
    for value in DANGEROUS_NAMES:
        assert "'" + value in names
        assert value not in names


def test_formula_injection_round_trips_as_text_in_xlsx(client, city, dangerous_learners):
    rows = xlsx_rows(download(client, city.admin, "course_learners", "xlsx", course=city.courses[0].pk))
    cells = {row[0].value: row[0] for row in rows[1:]}
    for value in DANGEROUS_NAMES:
        # XML readers normalise a carriage return to a line feed; the leading quote is what counts.
        cell = cells.get("'" + value) or cells["'" + value.replace("\r", "\n")]
        assert cell.data_type == "s"  # text, never a formula
    assert not any(cell.data_type == "f" for row in rows for cell in row)


def test_learner_export_neutralises_a_course_title_too(client, city, dangerous_learners, events):
    from courses.services import step_complete

    course = city.courses[0]
    course.title = "=cmd|' /C calc'!A0"
    course.save_revision().publish()
    person = city.learners["budget"][0]
    with events():
        step_complete(user=person, step=city.steps[course.pk][0])
    rows = csv_rows(download(client, city.budget_head, "learner", "csv", user=person.pk))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    rows = xlsx_rows(download(client, city.budget_head, "learner", "xlsx", user=person.pk))
    assert rows[1][0].value == "'=cmd|' /C calc'!A0" and rows[1][0].data_type == "s"


def test_chinese_text_survives_both_formats(client, city):
    csv_text = download(client, city.finance_head, "overview_units", "csv").decode("utf-8-sig")
    assert "预算科" in csv_text or "Budget Section" in csv_text
    rows = xlsx_rows(download(client, city.finance_head, "overview_courses", "xlsx"))
    assert [cell.value for cell in rows[1]][0] == "课程1"


# ---------------------------------------------------------------------------- background exports


@pytest.fixture
def small_sync_limit(settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 3


def test_a_large_export_is_offered_in_the_background_instead_of_at_once(client, city, small_sync_limit):
    client.force_login(city.finance_head)
    response = client.get(reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "background" in response.content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_background_export_runs_and_only_its_owner_can_download_it(client, city, small_sync_limit, events, file_format):
    client.force_login(city.finance_head)
    url = reverse("reports:export", args=["course_learners", file_format])
    with events():
        response = client.post(url, {"course": city.courses[0].pk, "unit": city.budget.pk, "sort": "-name"})
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_status", args=[export.pk])
    assert (export.status, export.progress, export.rows) == ("done", 100, 3)  # two learners and the head
    assert export.params == {"course": str(city.courses[0].pk), "unit": str(city.budget.pk), "sort": "-name"}

    status = client.get(reverse("reports:export_status_json", args=[export.pk])).json()
    assert status["status"] == "done" and status["download_url"] == reverse("reports:export_download", args=[export.pk])
    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()
    assert "<progress" in page and "js/reports.js" in page

    data = b"".join(client.get(status["download_url"]).streaming_content)
    names = (
        {row[0] for row in csv_rows(data)[1:]}
        if file_format == "csv"
        else {row[0].value for row in xlsx_rows(data)[1:]}
    )
    assert names == {person.display_name for person in city.learners["budget"]} | {city.budget_head.display_name}

    for other in (city.budget_head, city.admin, city.police_head):
        client.force_login(other)
        for name in ("export_status", "export_status_json", "export_download"):
            assert client.get(reverse(f"reports:{name}", args=[export.pk])).status_code == 404, (other, name)


def test_a_second_export_while_one_is_running_is_refused_with_a_clear_message(client, city, small_sync_limit, events):
    running = ReportExport.objects.create(
        user=city.finance_head, report="course_learners", status=ReportExport.Status.RUNNING, params={}
    )
    client.force_login(city.finance_head)
    with events():
        response = client.post(
            reverse("reports:export", args=["course_learners", "xlsx"]), {"course": city.courses[0].pk}
        )
    assert response.status_code == 409
    html = response.content.decode()
    assert "already being prepared" in html
    assert reverse("reports:export_status", args=[running.pk]) in html
    assert ReportExport.objects.count() == 1


def test_the_database_allows_one_active_export_per_person_and_report(city):
    ReportExport.objects.create(user=city.finance_head, report="course_learners", status="queued")
    ReportExport.objects.create(user=city.finance_head, report="learner", status="queued")
    ReportExport.objects.create(user=city.finance_head, report="course_learners", status="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportExport.objects.create(user=city.finance_head, report="course_learners", status="running")


def test_an_export_stuck_for_hours_no_longer_blocks_a_new_one(client, city, small_sync_limit, events):
    from datetime import timedelta

    from django.utils import timezone

    stuck = ReportExport.objects.create(user=city.finance_head, report="course_learners", status="running")
    ReportExport.objects.filter(pk=stuck.pk).update(progress_at=timezone.now() - timedelta(hours=3))
    client.force_login(city.finance_head)
    with events():
        response = client.post(
            reverse("reports:export", args=["course_learners", "csv"]), {"course": city.courses[0].pk}
        )
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == "failed"
