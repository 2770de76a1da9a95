"""What goes into a person's data archive: every kind of row the platform keeps about them, each
read by the app that owns it (`<app>.selectors.learner_personal_data`) and filtered to that person
there, written here as one CSV (UTF-8 with BOM, formula-safe as the report exports) and one JSON
file per kind. The CSV writer is the reports' (`reports.exports.write_csv`), so a cell such as
`=HYPERLINK(...)` is neutralised the same way in both."""

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal

from axes.models import AccessLog

from certificates.selectors import learner_personal_data as certificate_data
from courses.selectors import learner_personal_data as course_data
from hours.selectors import learner_personal_data as hours_data
from notifications.selectors import learner_personal_data as notification_data
from quizzes.selectors import learner_personal_data as quiz_data
from reports.exports import ExportTable, write_csv
from studytime.selectors import learner_personal_data as study_time_data

Table = tuple[tuple[str, ...], list[dict]]

PROFILE_COLUMNS = (
    "username",
    "display_name",
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "department",
    "department_en",
    "position",
    "rank",
    "is_trainer",
    "is_department_head",
    "is_city_admin",
    "is_active",
    "date_joined",
    "last_login",
)
LOGIN_COLUMNS = ("attempt_time", "logout_time", "ip_address", "user_agent", "path_info")


def _profile(user) -> dict[str, Table]:
    department = user.department
    row = {column: getattr(user, column, "") for column in PROFILE_COLUMNS}
    row["department"] = department.name if department else ""
    row["department_en"] = department.name_en if department else ""
    return {"profile": (PROFILE_COLUMNS, [row])}


def _logins(user) -> dict[str, Table]:
    # django-axes' log of successful sign-ins (the failures it keeps only for the lock-out period).
    rows = AccessLog.objects.filter(username=user.get_username()).order_by("attempt_time", "id").values(*LOGIN_COLUMNS)
    return {"logins": (LOGIN_COLUMNS, list(rows))}


# In the order they are written; the archive holds <kind>.csv and <kind>.json for each kind.
SOURCES: list[Callable[..., dict[str, Table]]] = [
    _profile,
    lambda user: course_data(user=user),
    lambda user: study_time_data(user=user),
    lambda user: quiz_data(user=user),
    lambda user: hours_data(user=user),
    lambda user: certificate_data(user=user),
    lambda user: notification_data(user=user),
    _logins,
]
KINDS = (
    "profile",
    "enrolments",
    "step_completions",
    "course_progress",
    "study_time",
    "videos_watched",
    "page_views",
    "quiz_attempts",
    "quiz_answers",
    "hour_entries",
    "offline_training",
    "certificates",
    "notifications",
    "logins",
)


def _plain(value):
    """One representation for both files: ISO dates and times (aware, with the offset), decimals
    as their exact text, JSON values as JSON text in a CSV cell."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _csv_value(value):
    value = _plain(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv_bytes(kind: str, columns: tuple[str, ...], rows: list[dict]) -> bytes:
    handle = io.BytesIO()
    table = ExportTable(kind, list(columns), ([_csv_value(row.get(c)) for c in columns] for row in rows), len(rows))
    write_csv(table, handle)
    return handle.getvalue()


def _json_bytes(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    data = [{column: _plain(row.get(column)) for column in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def archive_write(*, user, handle, on_progress: Callable[[int], None] | None = None) -> list[str]:
    """Write the person's archive as a ZIP into `handle` (binary); returns the names written."""
    names = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, source in enumerate(SOURCES, start=1):
            for kind, (columns, rows) in source(user).items():
                archive.writestr(f"{kind}.csv", _csv_bytes(kind, columns, rows))
                archive.writestr(f"{kind}.json", _json_bytes(columns, rows))
                names += [f"{kind}.csv", f"{kind}.json"]
            if on_progress:
                on_progress(min(99, index * 100 // len(SOURCES)))
    return names
