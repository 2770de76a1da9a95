"""The "all courses of a department" export: one row per active learner × live course of a unit's
subtree (with the stored progress row when there is one), scoped like the overview (a unit outside the scope is a 404 and nothing is written),
formula-safe, and run in the background when it is large (only its owner downloads it)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import CourseProgress
from courses.services import step_complete
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

REPORT = "department_progress"
FORMATS = ["csv", "xlsx"]
DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "@SUM(A1:A9)", "+1", "-1"]


@pytest.fixture
def progress(city, events):
    """Everyone starts the first course; the first learner of each unit also starts the second."""
    first, second = city.courses
    with events():
        for group in city.learners.values():
            for person in group:
                step_complete(user=person, step=city.steps[first.pk][0])
            step_complete(user=group[0], step=city.steps[second.pk][0])
    return city


@pytest.fixture
def small_sync_limit(settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 3


def export_url(file_format: str = "csv") -> str:
    return reverse("reports:export", args=[REPORT, file_format])


def rows_of(response, file_format: str) -> list[list]:
    data = b"".join(response.streaming_content)
    if file_format == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def download(client, viewer, file_format="csv", **params) -> list[list]:
    client.force_login(viewer)
    response = client.get(export_url(file_format), params)
    assert response.status_code == 200 and response.streaming, response.status_code
    return rows_of(response, file_format)


def expected_pairs(department) -> set[tuple[str, str]]:
    """(employee id, course title) of every progress row of the department's subtree."""
    return set(
        CourseProgress.objects.filter(user__department__path__startswith=department.path).values_list(
            "user__employee_id", "course__title"
        )
    )


def started_pairs(rows) -> set[tuple[str, str]]:
    return {(row[1], row[3]) for row in rows[1:] if row[4] != "Not started"}


def all_pairs(department, courses) -> set[tuple[str, str]]:
    """Every active member of the subtree × every live course."""
    people = get_user_model().objects.filter(department__path__startswith=department.path, is_active=True)
    return {(person.employee_id, course.title) for person in people for course in courses}


# ---------------------------------------------------------------------------- scope


@pytest.mark.parametrize("unit", ["treasury", "finance", "city", "police"])
@pytest.mark.parametrize("file_format", FORMATS)
def test_a_head_cannot_export_a_sibling_or_parent_department(client, progress, small_sync_limit, unit, file_format):
    city = progress
    client.force_login(city.budget_head)
    department = getattr(city, unit).pk
    assert client.get(export_url(file_format), {"department": department}).status_code == 404
    assert client.post(export_url(file_format), {"department": department}).status_code == 404
    assert not ReportExport.objects.exists()


def test_a_garbage_department_is_not_found(client, city):
    client.force_login(city.finance_head)
    assert client.get(export_url(), {"department": "1 OR 1=1"}).status_code == 404


def test_a_learner_cannot_export(client, progress):
    client.force_login(progress.plain_learner)
    assert client.get(export_url(), {"department": progress.finance.pk}).status_code == 403
    assert client.post(export_url(), {"department": progress.finance.pk}).status_code == 403
    assert not ReportExport.objects.exists()


def test_an_admin_can_export_any_department_and_the_whole_city(client, progress):
    city = progress
    rows = download(client, city.admin, department=city.police.pk)
    assert started_pairs(rows) == expected_pairs(city.police)
    assert {(row[1], row[3]) for row in rows[1:]} == all_pairs(city.police, city.courses)
    rows = download(client, city.admin)
    assert started_pairs(rows) == expected_pairs(city.city)
    assert {(row[1], row[3]) for row in rows[1:]} == all_pairs(city.city, city.courses)


@pytest.mark.parametrize("file_format", FORMATS)
def test_rows_are_exactly_the_subtree_progress_rows(client, progress, file_format):
    city = progress
    rows = download(client, city.finance_head, file_format, department=city.finance.pk)
    header, data = rows[0], rows[1:]
    assert header == [
        "Department",
        "Employee id",
        "Name",
        "Course",
        "Status",
        "Percent",
        "Best score (%)",
        "Quiz attempts",
        "Started",
        "Completed",
        "Last activity",
    ]
    pairs = [(row[1], row[3]) for row in data]
    assert len(pairs) == len(set(pairs))  # one row per learner and course
    assert set(pairs) == all_pairs(city.finance, city.courses)
    assert started_pairs(rows) == expected_pairs(city.finance)  # the progress rows, no more, no fewer
    assert len(started_pairs(rows)) == 3 * 2 + 3  # finance, budget, treasury: two each in course 1, one in 2
    police_ids = {person.employee_id for person in city.learners["police"]}
    assert not police_ids & {row[1] for row in data}
    by_id = {(row[1], row[3]): row for row in data}
    budget_person = city.learners["budget"][0]
    row = by_id[(budget_person.employee_id, city.courses[0].title)]
    assert row[0] == "Finance Bureau / Budget Section"
    assert row[2] == budget_person.display_name
    assert row[4] == "In progress" and row[8]  # started, not completed
    row = by_id[(city.learners["budget"][1].employee_id, city.courses[1].title)]
    assert row[4] == "Not started" and row[8] in ("", None)


def test_the_head_default_is_their_own_department(client, progress):
    city = progress
    rows = download(client, city.budget_head)
    assert started_pairs(rows) == expected_pairs(city.budget)


def test_the_overview_links_to_the_export(client, progress):
    client.force_login(progress.finance_head)
    html = client.get(reverse("reports:overview"), {"department": progress.budget.pk}).content.decode()
    assert f"{export_url('csv')}?department={progress.budget.pk}" in html
    assert f"{export_url('xlsx')}?department={progress.budget.pk}" in html


# ---------------------------------------------------------------------------- formula injection


@pytest.fixture
def dangerous(progress):
    people = progress.learners["budget"] + progress.learners["treasury"]
    for person, name in zip(people, DANGEROUS, strict=True):
        person.display_name = name
        person.save(update_fields=["display_name"])
    course = progress.courses[1]
    course.title = "=cmd|' /C calc'!A0"
    course.save_revision().publish()
    return progress


@pytest.mark.parametrize("file_format", FORMATS)
def test_formula_like_names_and_titles_are_neutralised(client, dangerous, file_format):
    rows = download(client, dangerous.finance_head, file_format, department=dangerous.finance.pk)
    names = {row[2] for row in rows[1:]}
    titles = {row[3] for row in rows[1:]}
    for value in DANGEROUS:
        assert "'" + value in names and value not in names
    assert "'=cmd|' /C calc'!A0" in titles and "=cmd|' /C calc'!A0" not in titles
    if file_format == "xlsx":
        client.force_login(dangerous.finance_head)
        response = client.get(export_url("xlsx"), {"department": dangerous.finance.pk})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# ---------------------------------------------------------------------------- background


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_large_export_runs_in_the_background_and_only_its_owner_downloads_it(
    client, progress, small_sync_limit, events, file_format
):
    city = progress
    client.force_login(city.finance_head)
    response = client.get(export_url(file_format), {"department": city.finance.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "background" in response.content.decode()
    assert not ReportExport.objects.exists()

    with events():
        response = client.post(export_url(file_format), {"department": city.finance.pk, "course": "9"})
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_status", args=[export.pk])
    assert (export.report, export.status, export.progress) == (REPORT, "done", 100)
    assert export.params == {"department": str(city.finance.pk)}  # anything else is dropped
    assert export.rows == len(all_pairs(city.finance, city.courses))

    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()
    assert "Department: all courses" in page
    rows = rows_of(client.get(reverse("reports:export_download", args=[export.pk])), file_format)
    assert started_pairs(rows) == expected_pairs(city.finance)

    for other in (city.budget_head, city.admin, city.police_head):
        client.force_login(other)
        for name in ("export_status", "export_status_json", "export_download"):
            assert client.get(reverse(f"reports:{name}", args=[export.pk])).status_code == 404, (other, name)


def test_a_second_department_export_while_one_is_running_is_refused(client, progress, small_sync_limit, events):
    city = progress
    running = ReportExport.objects.create(user=city.finance_head, report=REPORT, status="running")
    client.force_login(city.finance_head)
    with events():
        response = client.post(export_url("csv"), {"department": city.budget.pk})
    assert response.status_code == 409 and "already being prepared" in response.content.decode()
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [running.pk]
