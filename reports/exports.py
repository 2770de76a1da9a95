"""Report tables as CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX.

Formula injection: a text cell starting with =, +, -, @, a tab or a carriage return is written
with a single quote in front, in both formats, so no spreadsheet evaluates it and both files
carry the same text. Numbers stay numbers (a negative number is not text and is not changed)."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.scope import Scope, Unit, unit_member_filter
from courses.models import CoursePage, CourseProgress
from departments.models import Department

from .models import ReportExport
from .selectors import (
    Status,
    course_in_reports_or_404,
    course_learners,
    department_label,
    department_overview,
    learner_report,
    learners_active_minutes,
    status_of,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ITERATOR_CHUNK = 2000

# "All courses of a department": one row per learner of a unit's subtree and live course.
DEPARTMENT_PROGRESS = ReportExport.Report.DEPARTMENT_PROGRESS.value
EXPORT_REPORTS = tuple(ReportExport.Report.values)


def export_subject(*, unit: Department | None, user):
    """What a report exported at once (no stored export) is logged against in the audit trail
    (privatefiles.audit): the unit whose people it lists; the whole city is the tree's root;
    without any tree, the person who exported it."""
    if unit is not None:
        return unit
    return Department.get_first_root_node() or user


def report_label(report: str) -> str:
    """The human name of an export key (the model's choices and the extra reports)."""
    labels = dict(ReportExport.Report.choices)
    return str(labels.get(report, report))


def department_progress_params(data) -> dict:
    """The whitelisted parameters of the department progress export: only the unit."""
    value = (data.get("department") or "").strip()
    if value and not value.isdigit():
        raise Http404(_("No such record."))
    return {"department": value} if value else {}


def neutralise(value):
    """A text value a spreadsheet would run as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class ExportTable:
    title: str
    header: list[str]
    rows: Iterable[list]
    count: int


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def _percent(value):
    return value if value is None else Decimal(value)


def _overview(scope: Scope, params: dict):
    unit = scope.unit_or_404(params.get("department"))
    course_id = params.get("course")
    return department_overview(scope=scope, unit=unit, course_id=int(course_id) if course_id else None)


def _figure_header() -> list[str]:
    return [
        _("Assigned"),
        _("Started"),
        _("Completed"),
        _("Completion rate (%)"),
        _("Average score (%)"),
        _("Passed in a make-up sitting"),
        _("Overdue"),
    ]


def _figure_cells(figures) -> list:
    return [
        figures.assigned,
        figures.started,
        figures.completed,
        figures.completion_rate,
        figures.average_score,
        figures.makeup_passed,
        figures.overdue,
    ]


def _with_active_minutes(rows: Iterator[dict], *, course) -> Iterator[tuple[dict, int]]:
    """Each course_learners row with the learner's verified active minutes on the course: one
    grouped study-time query per chunk of ITERATOR_CHUNK rows, so the export still streams."""
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ITERATOR_CHUNK:
            yield from _chunk_minutes(chunk, course=course)
            chunk = []
    if chunk:
        yield from _chunk_minutes(chunk, course=course)


def _chunk_minutes(chunk: list[dict], *, course) -> Iterator[tuple[dict, int]]:
    minutes = learners_active_minutes(course=course, rows=chunk)
    for row in chunk:
        yield row, minutes.get(row["pk"], 0)


def _learner_rows(rows: Iterator[tuple[dict, int]]) -> Iterator[list]:
    for row, active_minutes in rows:
        yield [
            row["display_name"] or row["username"],
            row["employee_id"] or "",
            department_label(row),
            str(Status.LABELS[status_of(row)]),
            row["p_percent"] if row["p_percent"] is not None else 0,
            _percent(row["p_best_score"]),
            row["p_attempts"] or 0,
            _local(row["p_started"]),
            _local(row["p_completed"]),
            _local(row["p_last_activity"]),
            active_minutes,
        ]


PROGRESS_COLUMNS = (
    "user_id",
    "course_id",
    "completed_at",
    "percent",
    "best_score_percent",
    "quiz_attempts",
    "started_at",
    "last_activity_at",
)
LEARNER_ORDER = ("department__path", "display_name", "username", "id")


def _unit_department_labels(unit: Unit) -> dict[int, str]:
    """Department id → "unit / section / …" for every department of the unit's subtree (one query)."""
    departments = Department.objects.order_by("path").only("pk", "name", "name_en", "path", "depth")
    if unit.department is not None:
        departments = departments.filter(path__startswith=unit.path)
    by_path: dict[str, str] = {}
    labels = {}
    for department in departments:
        parent = by_path.get(department.path[: -Department.steplen])
        label = f"{parent} / {department.display_name}" if parent else department.display_name
        by_path[department.path] = label
        labels[department.pk] = label
    return labels


@dataclass
class DepartmentProgress:
    """The unit's active learners and live courses; every learner × course is one row, with the
    learner's stored progress in the course when there is one."""

    learners: object  # QuerySet of (id, department id, display name, username, employee id)
    progress: object  # QuerySet of PROGRESS_COLUMNS, in the learners' order, then by course
    courses: list[tuple[int, str]]

    @property
    def count(self) -> int:
        return self.learners.count() * len(self.courses)


def department_progress(*, scope: Scope, unit: Unit) -> DepartmentProgress:
    if not scope.contains(unit.department):
        raise Http404(_("No such department."))
    User = get_user_model()
    learners = User.objects.filter(unit_member_filter(unit), is_active=True)
    courses = list(CoursePage.objects.live().order_by("path").values_list("pk", "title"))
    progress = CourseProgress.objects.filter(
        unit_member_filter(unit, "user__"), user__is_active=True, course_id__in=[pk for pk, _title in courses]
    )
    return DepartmentProgress(
        learners=learners.order_by(*LEARNER_ORDER).values_list(
            "id", "department_id", "display_name", "username", "employee_id"
        ),
        progress=progress.order_by(*(f"user__{name}" for name in LEARNER_ORDER)).values_list(*PROGRESS_COLUMNS),
        courses=courses,
    )


def _department_progress_rows(data: DepartmentProgress, labels: dict[int, str]) -> Iterator[list]:
    """Merges two streams read in the same learner order: each learner, then that learner's
    progress rows, so at most one learner's rows are held at a time. A million rows go
    through here, so look-ups are hoisted out of the loop."""
    local_zone = timezone.get_current_timezone()
    completed_label = str(Status.LABELS[Status.COMPLETED])
    in_progress_label = str(Status.LABELS[Status.IN_PROGRESS])
    not_started_label = str(Status.LABELS[Status.NOT_STARTED])
    courses = data.courses
    progress_rows = data.progress.iterator(chunk_size=ITERATOR_CHUNK)
    pending = next(progress_rows, None)

    def local(value):
        if value is None:
            return None
        return value.astimezone(local_zone).replace(tzinfo=None, microsecond=0)

    for user_id, department_id, display_name, username, employee_id in data.learners.iterator(
        chunk_size=ITERATOR_CHUNK
    ):
        mine = {}
        while pending is not None and pending[0] == user_id:
            mine[pending[1]] = pending
            pending = next(progress_rows, None)
        department = labels.get(department_id, "")
        employee = employee_id or ""
        name = display_name or username
        for course_id, title in courses:
            row = mine.get(course_id)
            if row is None:
                yield [department, employee, name, title, not_started_label, 0, None, 0, None, None, None]
                continue
            _user, _course, completed, percent, best_score, attempts, started, last_activity = row
            yield [
                department,
                employee,
                name,
                title,
                completed_label if completed is not None else in_progress_label,
                percent,
                best_score,
                attempts,
                local(started),
                local(completed),
                local(last_activity),
            ]


def build_table(*, report: str, scope: Scope, params: dict, for_file: bool = False) -> ExportTable:
    """The rows of a report for the scope, from the same selectors as the pages. A department,
    course or learner outside the scope raises Http404 here too."""
    if report == ReportExport.Report.OVERVIEW_COURSES:
        overview = _overview(scope, params)
        rows = [[row.title, *_figure_cells(row.figures)] for row in overview.courses]
        return ExportTable(_("Courses"), [_("Course"), *_figure_header()], rows, len(rows))
    if report == ReportExport.Report.OVERVIEW_UNITS:
        overview = _overview(scope, params)
        rows = [[row.label, row.members, *_figure_cells(row.figures)] for row in overview.units]
        return ExportTable(_("Sub-units"), [_("Unit"), _("Learners"), *_figure_header()], rows, len(rows))
    if report == ReportExport.Report.COURSE_LEARNERS:
        course = course_in_reports_or_404(params.get("course"))
        unit = scope.unit_or_404(params.get("unit"))
        queryset = course_learners(
            scope=scope,
            unit=unit,
            course=course,
            status=params.get("status") or "",
            date_from=datetime.date.fromisoformat(params["from"]) if params.get("from") else None,
            date_to=datetime.date.fromisoformat(params["to"]) if params.get("to") else None,
            sort=params.get("sort") or "",
        )
        header = [
            pgettext("person", "Name"),
            _("Employee id"),
            _("Department"),
            _("Status"),
            _("Percent"),
            _("Best score (%)"),
            _("Quiz attempts"),
            _("Started"),
            _("Completed"),
            _("Last activity"),
            _("Active minutes"),
        ]
        rows = _learner_rows(_with_active_minutes(queryset.iterator(chunk_size=ITERATOR_CHUNK), course=course))
        return ExportTable(course.title[:31], header, rows, queryset.count())
    if report == ReportExport.Report.LEARNER:
        data = learner_report(scope=scope, user_id=params.get("user"))
        rows = [
            [
                item.progress.course.title,
                str(Status.LABELS[item.status]),
                item.progress.percent,
                item.progress.steps_done,
                item.progress.steps_total,
                _percent(item.progress.best_score_percent),
                item.progress.quiz_attempts,
                _local(item.progress.started_at),
                _local(item.progress.completed_at),
                _local(item.progress.last_activity_at),
                data.active_minutes.get(item.progress.course_id, 0),
            ]
            for item in data.courses
        ]
        header = [
            _("Course"),
            _("Status"),
            _("Percent"),
            _("Steps done"),
            _("Steps total"),
            _("Best score (%)"),
            _("Quiz attempts"),
            _("Started"),
            _("Completed"),
            _("Last activity"),
            _("Active minutes"),
        ]
        return ExportTable(str(data.person)[:31], header, rows, len(rows))
    if report == DEPARTMENT_PROGRESS:
        unit = scope.unit_or_404(params.get("department"))
        data = department_progress(scope=scope, unit=unit)
        header = [
            _("Department"),
            _("Employee id"),
            pgettext("person", "Name"),
            _("Course"),
            _("Status"),
            _("Percent"),
            _("Best score (%)"),
            _("Quiz attempts"),
            _("Started"),
            _("Completed"),
            _("Last activity"),
        ]
        rows = _department_progress_rows(data, _unit_department_labels(unit))
        return ExportTable(str(unit.label)[:31], header, rows, data.count)
    raise ValueError(report)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return neutralise(str(value)) if isinstance(value, str) else str(value)


def _xlsx_cell(value):
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_csv(table: ExportTable, handle, on_row: Callable[[int], None] | None = None) -> int:
    """UTF-8 with BOM to a binary file; returns the number of data rows."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([_csv_cell(value) for value in table.header])
    written = 0
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
        written += 1
        if on_row:
            on_row(written)
    text.flush()
    text.detach()
    return written


def write_xlsx(table: ExportTable, handle, on_row: Callable[[int], None] | None = None) -> int:
    """openpyxl's write-only mode streams rows to a temporary file, so memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    sheet.append([_xlsx_cell(value) for value in table.header])
    written = 0
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
        written += 1
        if on_row:
            on_row(written)
    workbook.save(handle)
    return written


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip() or "Report"
    return cleaned[:31]


def write_table(table: ExportTable, file_format: str, handle, on_row=None) -> int:
    if file_format == ReportExport.Format.XLSX:
        return write_xlsx(table, handle, on_row)
    return write_csv(table, handle, on_row)


CONTENT_TYPES = {
    ReportExport.Format.CSV: "text/csv; charset=utf-8",
    ReportExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
