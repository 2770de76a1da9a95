"""Reading a people file (CSV or XLSX) into rows, and the template file. Pure: no ORM.

Columns are found by their header, in either language: "工号 Employee ID", "工号" and
"Employee ID" all name the same column. CSV may be UTF-8 (with or without a BOM) or GBK/GB18030
(what Excel saves on a Chinese Windows). Problems are reported as (code, params) pairs so that
they can be stored and shown later in the reader's language (see ROW_ERRORS)."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 30

# (key, Chinese header, English header, other accepted names)
COLUMNS = [
    ("employee_id", "工号", "Employee ID", ["employee_id", "员工编号"]),
    ("name", "姓名", "Name", ["display_name"]),
    ("department", "部门路径", "Department path", ["部门", "department"]),
    ("position", "职务", "Position", []),
    ("role", "角色", "Role", ["roles"]),
    ("email", "邮箱", "E-mail", ["电子邮箱", "email"]),
]
REQUIRED_COLUMNS = ("employee_id", "name", "department")
COLUMN_LABELS = {key: f"{zh} {en}" for key, zh, en, _others in COLUMNS}

# Role words, either language; "learner" alone means no extra role.
ROLE_WORDS = {
    "learner": None,
    "学员": None,
    "trainer": "is_trainer",
    "培训师": "is_trainer",
    "head": "is_department_head",
    "部门负责人": "is_department_head",
    "admin": "is_city_admin",
    "管理员": "is_city_admin",
}
ROLE_SEPARATORS = re.compile(r"[,，、;；\s]+")
PATH_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")
EMPLOYEE_ID = re.compile(r"^[\w.@+-]+\Z")
EMPLOYEE_ID_MAX_LENGTH = 32
NAME_MAX_LENGTH = 100

FILE_ERRORS = {
    "unreadable": _("The file could not be read as CSV or XLSX."),
    "encoding": _("The CSV file is neither UTF-8 nor GBK text."),
    "empty": _("The file has no rows."),
    "missing_columns": _("Required columns are missing: %(columns)s."),
    "duplicate_column": _("The column “%(column)s” appears twice."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into smaller files."),
}
ROW_ERRORS = {
    "missing_employee_id": _("The employee ID is missing."),
    "bad_employee_id": _("The employee ID may contain only letters, digits and @ . + - _ (at most 32)."),
    "duplicate_employee_id": _("Employee ID %(employee_id)s appears more than once in the file (rows %(rows)s)."),
    "missing_name": _("The name is missing."),
    "long_name": _("The name is longer than 100 characters."),
    "missing_department": _("The department path is missing."),
    "unknown_department": _("No unit “%(segment)s” under “%(parent)s”."),
    "ambiguous_department": _("More than one unit is called “%(segment)s” under “%(parent)s”."),
    "bad_role": _("Unknown role “%(role)s”: use learner, trainer, head or admin (学员, 培训师, 部门负责人, 管理员)."),
    "bad_email": _("The e-mail address “%(email)s” is not valid."),
    "username_taken": _("The user name %(username)s belongs to another account without this employee ID."),
    "superuser_account": _(
        "Employee ID %(employee_id)s is an administrator's (superuser's) account: only an administrator may change it."
    ),
    "unexpected": _("The row could not be saved; nothing in it was applied."),
}


class ImportFileError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return str(FILE_ERRORS[self.code]) % self.params if self.params else str(FILE_ERRORS[self.code])


@dataclass
class PersonRow:
    """One line of the file, cleaned. `roles` is None when the cell is blank (no change)."""

    row: int
    employee_id: str
    name: str
    department_path: list[str]
    position: str
    roles: dict[str, bool] | None
    email: str
    errors: list[tuple[str, dict]] = field(default_factory=list)

    def error(self, code: str, **params) -> None:
        self.errors.append((code, params))


def row_error_message(code: str, params: dict) -> str:
    template = ROW_ERRORS.get(code, ROW_ERRORS["unexpected"])
    return str(template) % params if params else str(template)


# ---------------------------------------------------------------------------- reading


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 1001 as 1001.0
    return " ".join(str(value).split())


def _header_keys(cell: str) -> set[str]:
    """The names a header cell may be matched by: the whole cell, its Chinese half, its Latin half."""
    whole = _text(cell)
    chinese = "".join(re.findall(r"[\u3400-\u9fff]+", whole))
    latin = re.sub(r"[\u3400-\u9fff]", " ", whole)
    return {_normal(part) for part in (whole, chinese, latin)} - {""}


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


ALIASES = {_normal(name): key for key, zh, en, others in COLUMNS for name in (zh, en, f"{zh}{en}", *others)}


def _column_map(header: list) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(header):
        keys = {ALIASES[name] for name in _header_keys(cell) if name in ALIASES}
        if len(keys) != 1:
            continue
        key = keys.pop()
        if key in columns:
            raise ImportFileError("duplicate_column", column=_text(cell))
        columns[key] = position
    missing = [str(COLUMN_LABELS[key]) for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise ImportFileError("missing_columns", columns=", ".join(missing))
    return columns


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK
    except UnicodeDecodeError as error:
        raise ImportFileError("encoding") from error


def _csv_rows(data: bytes):
    text = decode_csv(data)
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ImportFileError("unreadable") from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield list(values)
    finally:
        workbook.close()


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def read_people(data: bytes, filename: str) -> list[PersonRow]:
    """Every non-blank row under the header, cleaned and checked on its own; checks across rows
    (duplicate employee IDs) are added here too. Raises ImportFileError for the whole file."""
    rows_iter = _xlsx_rows(data) if is_xlsx(data, filename) else _csv_rows(data)
    header, columns, people = None, {}, []
    try:
        for line, values in enumerate(rows_iter, start=1):
            cells = [_text(value) for value in values[:MAX_COLUMNS]]
            if not any(cells):
                continue
            if header is None:
                header, columns = cells, _column_map(cells)
                continue
            if len(people) >= MAX_ROWS:
                raise ImportFileError("too_many_rows", limit=MAX_ROWS)
            people.append(_person(line, {key: cells[i] if i < len(cells) else "" for key, i in columns.items()}))
    except csv.Error as error:
        raise ImportFileError("unreadable") from error
    if header is None or not people:
        raise ImportFileError("empty")
    _mark_duplicates(people)
    return people


def parse_roles(cell: str) -> tuple[dict[str, bool] | None, list[str]]:
    """The flags a role cell sets, or None for a blank cell; and the words not understood."""
    words = [word for word in ROLE_SEPARATORS.split(cell) if word]
    if not words:
        return None, []
    flags = {"is_trainer": False, "is_department_head": False, "is_city_admin": False}
    unknown = []
    for word in words:
        key = word.casefold()
        if key not in ROLE_WORDS:
            unknown.append(word)
        elif ROLE_WORDS[key]:
            flags[ROLE_WORDS[key]] = True
    return flags, unknown


def _person(line: int, cells: dict[str, str]) -> PersonRow:
    roles, unknown_roles = parse_roles(cells.get("role", ""))
    person = PersonRow(
        row=line,
        employee_id=cells.get("employee_id", ""),
        name=cells.get("name", ""),
        department_path=[part for part in PATH_SEPARATORS.split(cells.get("department", "")) if part],
        position=cells.get("position", "")[:100],
        roles=roles,
        email=cells.get("email", ""),
    )
    if not person.employee_id:
        person.error("missing_employee_id")
    elif len(person.employee_id) > EMPLOYEE_ID_MAX_LENGTH or not EMPLOYEE_ID.match(person.employee_id):
        person.error("bad_employee_id")
    if not person.name:
        person.error("missing_name")
    elif len(person.name) > NAME_MAX_LENGTH:
        person.error("long_name")
    if not person.department_path:
        person.error("missing_department")
    for word in unknown_roles:
        person.error("bad_role", role=word)
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            person.error("bad_email", email=person.email)
    return person


def _mark_duplicates(people: list[PersonRow]) -> None:
    lines: dict[str, list[int]] = {}
    for person in people:
        if person.employee_id:
            lines.setdefault(person.employee_id.casefold(), []).append(person.row)
    for person in people:
        rows = lines.get(person.employee_id.casefold(), [])
        if len(rows) > 1:
            person.error("duplicate_employee_id", employee_id=person.employee_id, rows=", ".join(map(str, rows)))


# ---------------------------------------------------------------------------- template


TEMPLATE_ROWS = [
    ["XT09001", "赵预算", "市直党政机关/市财政局/预算科", "科员", "学员", "zhao.yusuan@example.gov.cn"],
    ["XT09002", "钱安全", "市直党政机关/市公安局/网络安全保卫科", "科长", "学员、部门负责人", ""],
    [
        "XT09003",
        "孙信息",
        "市直党政机关/市信息化工作办公室/规划建设科",
        "培训专员",
        "培训师",
        "sun.xinxi@example.gov.cn",
    ],
]


def template_header() -> list[str]:
    return [COLUMN_LABELS[key] for key, *_rest in COLUMNS]


def template_csv() -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(template_header())
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "people"
    sheet.append(template_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in TEMPLATE_ROWS:
        sheet.append(row)
    for column, width in zip("ABCDEF", (14, 12, 44, 14, 22, 30), strict=True):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column]:
            cell.number_format = "@"  # text, so employee IDs keep leading zeros
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
