"""The usual Chinese question-bank spreadsheet (.xlsx), one question per row.

Row 1 is the bilingual header below (columns are found by name, so their order may differ and the
Chinese or English half alone is enough); rows after it are questions; empty rows are skipped.

    题型 Type | 题干 Stem | 选项A Option A … 选项F Option F | 答案 Answer | 分值 Score | 解析 Analysis | 分类 Category

Type: 单选题/单选/single, 多选题/多选/multiple, 判断题/判断/truefalse/true-false, 填空题/填空/fill/fillblank,
排序题/排序/ordering, 数值题/数值/numerical, 描述/说明/description, 匹配题/匹配/配对题/matching. Answer: single "B"; multiple "ABD", "A,B,D", "A、B、D"; true/false 正确/错误, 对/错,
√/×, T/F, TRUE/FALSE, 是/否; fill-in-the-blank: accepted answers separated by | or ; (the option
columns are unused); ordering: the options are the items and the answer gives their correct order
as letters, e.g. "CABD" (empty: the options are already in order); essay (简答题/问答题/论述题/essay):
the answer, if any, is the reference answer for the trainer who marks it (its information for
graders), the option columns are unused and its character limit is not in the sheet; numerical: the number, with
its tolerance as "3.14:0.01" or "3.14±0.01" or a range "1..5", several full-marks answers separated
by | or ; (issue 14); description: empty (text only, worth nothing, the score is ignored); matching: the options are the
sub-questions and the answer lists their answers in the same order, separated by | or ;, then any
extra (wrong) answers: options A 网络安全法, B 数据安全法 with the answer "2017|2021|2000". Full-width letters and
punctuation in the answer are normalised. Score: a positive number, 1 when empty.
Multiple-choice questions read from Excel are all-or-nothing.
"""

import re
import unicodedata
import warnings
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from quizzes.formats.common import (
    FALSE_TEXT,
    NO_STEM,
    TOO_FEW_ITEMS,
    TOO_FEW_OPTIONS,
    TRUE_TEXT,
    ImportedQuestion,
    ImportFormatError,
    ImportProblem,
    ImportResult,
    Message,
    QuestionProblem,
    check_spec,
    clean_decimal,
    decimal_text,
    gettext_noop,
    losses_message,
    losses_of,
    normalise_newlines,
    numerical_answers_from,
    numerical_range,
    option_letter,
    parse_decimal,
    question_location,
    row_location,
    tolerance_not_a_number,
    true_false_answer,
    true_false_choices,
)
from quizzes.grading import parse_number
from quizzes.question_html import html_to_text, is_simple, text_to_html
from quizzes.specs import ChoiceSpec, MatchPairSpec, QuestionSpec, QuestionType, Scoring

OPTION_LETTERS = "ABCDEF"
HEADERS = (
    "题型 Type",
    "题干 Stem",
    *(f"选项{letter} Option {letter}" for letter in OPTION_LETTERS),
    "答案 Answer",
    "分值 Score",
    "解析 Analysis",
    "分类 Category",
)
_FIELDS = ("type", "stem", *OPTION_LETTERS, "answer", "score", "analysis", "category")
_REQUIRED = ("type", "stem", "answer")
_COLUMN_WIDTHS = (10, 50, 22, 22, 22, 22, 22, 22, 14, 8, 40, 22)

_TYPE_NAMES = {
    **dict.fromkeys(("单选题", "单选", "单项选择题", "单项选择", "single"), QuestionType.SINGLE),
    **dict.fromkeys(("多选题", "多选", "多项选择题", "多项选择", "multiple"), QuestionType.MULTIPLE),
    **dict.fromkeys(("判断题", "判断", "truefalse"), QuestionType.TRUE_FALSE),
    **dict.fromkeys(("填空题", "填空", "fill", "fillblank", "fillintheblank"), QuestionType.FILL_BLANK),
    **dict.fromkeys(("排序题", "排序", "ordering"), QuestionType.ORDERING),
    **dict.fromkeys(("简答题", "简答", "问答题", "问答", "论述题", "论述", "essay"), QuestionType.ESSAY),
    **dict.fromkeys(("数值题", "数值", "计算题", "numerical", "number"), QuestionType.NUMERICAL),
    **dict.fromkeys(("描述", "说明", "描述题", "description"), QuestionType.DESCRIPTION),
    **dict.fromkeys(("匹配题", "匹配", "配对题", "配对", "matching"), QuestionType.MATCHING),
}
_TYPE_LABELS = {
    QuestionType.SINGLE: "单选题",
    QuestionType.MULTIPLE: "多选题",
    QuestionType.TRUE_FALSE: "判断题",
    QuestionType.FILL_BLANK: "填空题",
    QuestionType.ORDERING: "排序题",
    QuestionType.ESSAY: "简答题",
    QuestionType.NUMERICAL: "数值题",
    QuestionType.DESCRIPTION: "描述",
    QuestionType.MATCHING: "匹配题",
}
_TRUE_WORDS = {"正确", "对", "√", "✓", "✔", "t", "true", "是", "y", "yes", "1"}
_FALSE_WORDS = {"错误", "错", "×", "✗", "✘", "x", "f", "false", "否", "n", "no", "0"}
_LETTER_SEPARATORS = re.compile(r"[\s,、;/]+")
_ANSWER_SEPARATORS = re.compile(r"[|｜;；]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

NOT_XLSX = Message(gettext_noop("The file is not an Excel .xlsx file."))
NO_TYPE = Message(gettext_noop("The type is empty."))
NO_ANSWER = Message(gettext_noop("The answer is empty."))


def unknown_type(value: str) -> Message:
    # The type names are part of the layout (data), not words to translate.
    return Message(
        gettext_noop("The type '%(value)s' is not one of %(types)s."),
        value=value,
        types=", ".join(_TYPE_LABELS.values()),
    )


def not_an_option(letters: str, count: int) -> Message:
    return Message(
        gettext_noop("The answer '%(letters)s' is not one of the options A–%(last)s."),
        letters=letters,
        last=option_letter(count - 1),
    )


def not_letters(answer: str, example: str) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' must be option letters such as '%(example)s'."),
        answer=answer,
        example=example,
    )


def not_an_order(answer: str, count: int) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' must list each of the options A–%(last)s exactly once."),
        answer=answer,
        last=option_letter(count - 1),
    )


def matching_answers_short(answer: str, count: int) -> Message:
    return Message(
        gettext_noop(
            "The answer '%(answer)s' must give an answer to each of the options A–%(last)s, separated by |, "
            "then any extra answers."
        ),
        answer=answer,
        last=option_letter(count - 1),
    )


def not_true_false(answer: str) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' must be %(true)s or %(false)s (true or false)."),
        answer=answer,
        true=TRUE_TEXT,
        false=FALSE_TEXT,
    )


def option_gap(empty: int, filled: int) -> Message:
    return Message(
        gettext_noop("Option %(empty)s is empty but option %(filled)s is not."),
        empty=option_letter(empty),
        filled=option_letter(filled),
    )


def score_not_a_number(score: str) -> Message:
    return Message(gettext_noop("The score '%(score)s' is not a number."), score=score)


def too_many_options(count: int) -> Message:
    return Message(
        gettext_noop(
            "An Excel row holds at most 6 options (A–F); this question has %(count)s, so the export leaves it out."
        ),
        count=count,
    )


def missing_columns(names: list[str]) -> Message:
    return Message(
        gettext_noop("The first row must be the header row; these columns are missing: %(columns)s."),
        columns=", ".join(names),
    )


# ---------------------------------------------------------------------------------------------
# Import


def parse_excel(data: bytes) -> ImportResult:
    """Read the first sheet that has the header row."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean the same thing here
        raise ImportFormatError(NOT_XLSX) from exc
    try:
        return _parse_workbook(workbook)
    finally:
        workbook.close()


def _parse_workbook(workbook) -> ImportResult:
    columns: dict[str, int] | None = None
    missing: list[str] = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        columns, missing_here = _columns(header)
        if not missing_here:
            return _parse_rows(rows, columns)
        missing = missing or missing_here
    raise ImportFormatError(missing_columns(missing or [HEADERS[_FIELDS.index(name)] for name in _REQUIRED]))


def _columns(header: tuple) -> tuple[dict[str, int], list[str]]:
    wanted = {}
    for field_name, title in zip(_FIELDS, HEADERS, strict=True):
        chinese, english = title.split(" ", 1)
        for variant in (title, chinese, english):
            wanted[_header_key(variant)] = field_name
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        field_name = wanted.get(_header_key(_cell_text(cell)))
        if field_name and field_name not in columns:
            columns[field_name] = index
    missing = [HEADERS[_FIELDS.index(name)] for name in _REQUIRED if name not in columns]
    return columns, missing


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _parse_rows(rows, columns: dict[str, int]) -> ImportResult:
    result = ImportResult()
    for row_number, row in enumerate(rows, start=2):
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if all(_cell_text(value) == "" for value in cells.values()):
            continue
        location = row_location(row_number)
        try:
            spec = _read_row(cells)
            check_spec(spec)
        except QuestionProblem as problem:
            result.problems.append(ImportProblem(location, problem.message))
            continue
        category = "/".join(
            part.strip() for part in _text(cells, "category").replace("／", "/").split("/") if part.strip()
        )
        result.questions.append(ImportedQuestion(spec=spec, category=category, location=location))
    return result


def _read_row(cells: dict) -> QuestionSpec:
    raw_type = _text(cells, "type")
    if not raw_type:
        raise QuestionProblem(NO_TYPE)
    qtype = _TYPE_NAMES.get(re.sub(r"[\s\-_/]", "", unicodedata.normalize("NFKC", raw_type)).lower())
    if qtype is None:
        raise QuestionProblem(unknown_type(raw_type))
    stem = _text(cells, "stem")
    if not stem:
        raise QuestionProblem(NO_STEM)
    answer = _text(cells, "answer")
    if not answer and qtype not in (QuestionType.ORDERING, QuestionType.ESSAY, QuestionType.DESCRIPTION):
        raise QuestionProblem(NO_ANSWER)
    # A cell that holds tags is HTML; any other is plain text (escaped, line breaks kept).
    spec = {
        "qtype": qtype,
        "stem": text_to_html(stem),
        "mark": _mark(cells.get("score")),
        "general_feedback": text_to_html(_text(cells, "analysis")),
    }

    if qtype == QuestionType.DESCRIPTION:
        return QuestionSpec(**{**spec, "mark": Decimal(0)})
    if qtype == QuestionType.NUMERICAL:
        rows = []
        for part in _ANSWER_SEPARATORS.split(answer):
            if part.strip():
                value, tolerance = _numerical_cell(part)
                rows.append((value, Decimal(100), "", tolerance))
        answers, _notes = numerical_answers_from(rows)  # every answer full marks: only repeats are noted
        return QuestionSpec(answers=answers, **spec)
    if qtype == QuestionType.TRUE_FALSE:
        word = unicodedata.normalize("NFKC", answer).strip().lower()
        if word not in _TRUE_WORDS | _FALSE_WORDS:
            raise QuestionProblem(not_true_false(answer))
        return QuestionSpec(choices=true_false_choices(word in _TRUE_WORDS), **spec)
    if qtype == QuestionType.ESSAY:
        return QuestionSpec(grader_info=text_to_html(answer), **spec)
    if qtype == QuestionType.FILL_BLANK:
        accepted: list[str] = []
        for part in _ANSWER_SEPARATORS.split(answer):
            if part.strip() and part.strip() not in accepted:
                accepted.append(part.strip())
        return QuestionSpec(accepted_answers=tuple(accepted), **spec)
    if qtype == QuestionType.MATCHING:
        return QuestionSpec(pairs=_match_pairs(_options(cells), answer), **spec)

    options = [text_to_html(option) for option in _options(cells)]
    if len(options) < 2:
        raise QuestionProblem(TOO_FEW_ITEMS if qtype == QuestionType.ORDERING else TOO_FEW_OPTIONS)
    letters = _letters(answer, len(options), qtype) if answer else list(range(len(options)))
    if qtype == QuestionType.ORDERING:
        if sorted(letters) != list(range(len(options))):
            raise QuestionProblem(not_an_order(answer, len(options)))
        items = tuple(ChoiceSpec(key=option_letter(i).lower(), text=options[i]) for i in letters)
        return QuestionSpec(choices=items, **spec)
    # Several letters on a single-choice row: several fully correct options (valid in Moodle).
    choices = tuple(
        ChoiceSpec(key=option_letter(i).lower(), text=text, correct=i in letters) for i, text in enumerate(options)
    )
    return QuestionSpec(choices=choices, scoring=Scoring.ALL_OR_NOTHING, **spec)


def _numerical_cell(part: str) -> tuple[str, Decimal | None]:
    """ "3.14:0.01", "3.14±0.01", "1..5" or "3.14" -> (number, tolerance)."""
    part = unicodedata.normalize("NFKC", part).strip()
    value, separator, tolerance_text = part.replace("±", ":").partition(":")
    if separator:
        tolerance = parse_number(tolerance_text)
        if tolerance is None:
            raise QuestionProblem(tolerance_not_a_number(tolerance_text.strip()))
        return value, tolerance
    return numerical_range(part) or (part, None)


def _match_pairs(subquestions: list[str], answer: str) -> tuple[MatchPairSpec, ...]:
    """Option i's answer is the answer's i-th part; the parts after the last option are extra answers."""
    answers = [part.strip() for part in _ANSWER_SEPARATORS.split(answer)]
    if len(answers) < len(subquestions) or any(not part for part in answers[: len(subquestions)]):
        raise QuestionProblem(matching_answers_short(answer, len(subquestions)))
    texts = [text_to_html(text) for text in subquestions] + [""] * (len(answers) - len(subquestions))
    return tuple(
        MatchPairSpec(key=option_letter(i).lower(), text=text, answer=part)
        for i, (text, part) in enumerate(zip(texts, answers, strict=True))
        if text or part
    )


def _options(cells: dict) -> list[str]:
    options = [_text(cells, letter) for letter in OPTION_LETTERS]
    filled = [i for i, text in enumerate(options) if text]
    if not filled:
        return []
    for i in range(filled[-1]):
        if not options[i]:
            raise QuestionProblem(option_gap(i, next(j for j in filled if j > i)))
    return options[: filled[-1] + 1]


_LETTER_EXAMPLES = {QuestionType.SINGLE: "B", QuestionType.MULTIPLE: "ABD", QuestionType.ORDERING: "CABD"}


def _letters(answer: str, count: int, qtype: QuestionType) -> list[int]:
    """Option indexes named by an answer such as "ABD", "A,B,D", "A、B、D", "ａｂｄ" (order and repeats kept)."""
    compact = _LETTER_SEPARATORS.sub("", unicodedata.normalize("NFKC", answer)).upper()
    if not compact or not all("A" <= char <= "Z" for char in compact):
        raise QuestionProblem(not_letters(answer, _LETTER_EXAMPLES[qtype]))
    outside = "".join(char for char in compact if ord(char) - ord("A") >= count)
    if outside:
        raise QuestionProblem(not_an_option(outside, count))
    return [ord(char) - ord("A") for char in compact]


def _mark(value) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(1)
    if isinstance(value, bool):
        raise QuestionProblem(score_not_a_number(_cell_text(value)))
    if isinstance(value, int | float | Decimal):
        mark = parse_decimal(repr(value) if isinstance(value, float) else str(value))
    else:
        mark = parse_decimal(unicodedata.normalize("NFKC", _cell_text(value)))
    if mark is None:
        raise QuestionProblem(score_not_a_number(_cell_text(value)))
    return mark


def _text(cells: dict, name: str) -> str:
    return _cell_text(cells.get(name))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return normalise_newlines(str(value)).strip()


# ---------------------------------------------------------------------------------------------
# Export


def export_excel(questions: Sequence[ImportedQuestion]) -> bytes:
    """Write questions in the layout parse_excel() reads (see excel_unexportable for what is lost)."""
    workbook = Workbook()
    _question_sheet(workbook.active, questions)
    return _save(workbook)


def excel_unexportable(questions: Sequence[ImportedQuestion]) -> list[ImportProblem]:
    """What export_excel() leaves out: questions with more than 6 options (skipped) and details
    the layout cannot hold (title, tags, option feedback, partial credit, case sensitivity).
    A problem's location is the question's own location, else "question N" (its place in the list)."""
    problems = []
    for number, item in enumerate(questions, start=1):
        location = item.location or question_location(number)
        if not _fits(item.spec):
            count = len(item.spec.choices) or sum(1 for pair in item.spec.pairs if pair.text)
            problems.append(ImportProblem(location, too_many_options(count)))
            continue
        lost = losses_of(item.spec, excel=True)
        if item.spec.qtype == QuestionType.FILL_BLANK and any(
            _ANSWER_SEPARATORS.search(answer)
            for answer in [*item.spec.accepted_answers, *(a.text for a in item.spec.answers if a.fraction == 1)]
        ):
            lost.append(Message(gettext_noop("accepted answers containing | or ;")))
        if item.spec.qtype == QuestionType.MATCHING and any(
            _ANSWER_SEPARATORS.search(pair.answer) for pair in item.spec.pairs
        ):
            lost.append(Message(gettext_noop("matching answers containing | or ;")))
        if lost:
            problems.append(ImportProblem(location, losses_message(lost, "Excel"), skipped=False))
    return problems


def _fits(spec: QuestionSpec) -> bool:
    if spec.qtype == QuestionType.MATCHING:
        return sum(1 for pair in spec.pairs if pair.text) <= len(OPTION_LETTERS)
    without_options = (
        QuestionType.TRUE_FALSE,
        QuestionType.FILL_BLANK,
        QuestionType.ESSAY,
        QuestionType.NUMERICAL,
        QuestionType.DESCRIPTION,
    )
    return spec.qtype in without_options or len(spec.choices) <= len(OPTION_LETTERS)


def _question_sheet(sheet, questions: Sequence[ImportedQuestion]) -> None:
    sheet.title = "题库 Questions"
    _header(sheet, HEADERS, _COLUMN_WIDTHS)
    row = 2
    for item in questions:
        if not _fits(item.spec):
            continue
        for column, value in enumerate(_row_values(item), start=1):
            _put(sheet, row, column, value)
        row += 1


def _row_values(item: ImportedQuestion) -> list:
    spec = item.spec
    options = [""] * len(OPTION_LETTERS)
    if spec.qtype == QuestionType.TRUE_FALSE:
        answer = "正确" if true_false_answer(spec)[0] else "错误"
    elif spec.qtype == QuestionType.FILL_BLANK:
        # Excel holds only full-credit answers, each literal (excel_unexportable names the rest).
        full = [a.text for a in spec.answers if a.fraction == 1 and a.text not in spec.accepted_answers]
        answer = "|".join([*spec.accepted_answers, *full])
    elif spec.qtype == QuestionType.ESSAY:
        answer = _cell_html(spec.grader_info)
    elif spec.qtype == QuestionType.NUMERICAL:
        # Only the full-marks answers (excel_unexportable names the rest).
        answer = "|".join(
            a.text + (f":{decimal_text(a.tolerance)}" if a.tolerance else "") for a in spec.answers if a.fraction == 1
        )
    elif spec.qtype == QuestionType.DESCRIPTION:
        answer = ""
    elif spec.qtype == QuestionType.MATCHING:
        # The sub-questions in the option columns, their answers in the same order, then the extra ones.
        asked = [pair for pair in spec.pairs if pair.text]
        for column, pair in enumerate(asked):
            options[column] = _cell_html(pair.text)
        answer = "|".join([*(pair.answer for pair in asked), *(pair.answer for pair in spec.pairs if not pair.text)])
    elif spec.qtype == QuestionType.ORDERING:
        # Items go into the columns by key, so the sheet does not give the order away by itself.
        columns = sorted(range(len(spec.choices)), key=lambda i: spec.choices[i].key)
        for column, index in enumerate(columns):
            options[column] = _cell_html(spec.choices[index].text)
        answer = "".join(option_letter(columns.index(index)) for index in range(len(spec.choices)))
    else:
        for column, choice in enumerate(spec.choices):
            options[column] = _cell_html(choice.text)
        answer = "".join(option_letter(i) for i, choice in enumerate(spec.choices) if choice.correct)
    mark = clean_decimal(spec.mark)
    score = int(mark) if mark == mark.to_integral_value() else mark
    return [
        _TYPE_LABELS[spec.qtype],
        _cell_html(spec.stem),
        *options,
        answer,
        score,
        _cell_html(spec.general_feedback),
        item.category,
    ]


def _cell_html(text: str) -> str:
    """Question HTML in a cell: the plain text it shows when it is only text and line breaks."""
    return html_to_text(text) if is_simple(text) else text


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _header(sheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _put(sheet, row: int, column: int, value) -> None:
    """Write a value; text is always stored as text, never as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", normalise_newlines(value))
        if not value:
            return
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error; undo that
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True  # and Excel keeps it text even when the cell is edited
        if "\n" in value or len(value) > 40:
            cell.alignment = _WRAP
    else:
        sheet.cell(row=row, column=column, value=value)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Template


def _choices(*texts: str, correct: str = "") -> tuple[ChoiceSpec, ...]:
    return tuple(
        ChoiceSpec(key=option_letter(i).lower(), text=text, correct=option_letter(i) in correct)
        for i, text in enumerate(texts)
    )


_EXAMPLES = (
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="工作人员收到自称“信息中心”的邮件，要求点击链接重新登录办公系统并输入账号和口令。最恰当的做法是：",
            choices=_choices(
                "立即点击链接，按提示登录",
                "回复邮件询问对方身份",
                "不点击链接，通过单位公布的电话向信息中心核实",
                "转发给同事，请同事帮忙判断",
                correct="C",
            ),
            general_feedback="索要账号口令、催促点击链接是钓鱼邮件的典型特征，应通过官方渠道核实，不要在邮件中回复或转发。",
        ),
        category="信息安全/钓鱼邮件",
    ),
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.MULTIPLE,
            stem="下列哪些做法有助于保护政务办公电脑中的敏感信息？",
            mark=Decimal(2),
            choices=_choices(
                "离开座位时锁定屏幕",
                "使用强口令并定期更换",
                "把工作文件同步到个人互联网网盘",
                "及时安装操作系统和软件的安全补丁",
                correct="ABD",
            ),
            general_feedback="个人互联网网盘不受单位管控，工作文件不应存放其中。",
        ),
        category="信息安全/终端安全",
    ),
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.TRUE_FALSE,
            stem="非涉密计算机可以处理涉密信息，只要处理完成后及时删除即可。",
            choices=true_false_choices(False),
            general_feedback="涉密信息只能在涉密计算机上处理，“涉密不上网，上网不涉密”；删除的文件仍可能被恢复。",
        ),
        category="信息安全/保密管理",
    ),
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.FILL_BLANK,
            stem="《中华人民共和国数据安全法》自____年9月1日起施行。",
            accepted_answers=("2021", "二〇二一"),
            general_feedback="《数据安全法》于2021年6月10日通过，自2021年9月1日起施行。",
        ),
        category="电子政务/法律法规",
    ),
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.ORDERING,
            stem="请按先后顺序排列在政务服务网上办理事项的一般步骤。",
            mark=Decimal(2),
            choices=(
                ChoiceSpec(key="b", text="登录政务服务网并完成实名认证"),
                ChoiceSpec(key="a", text="在线填写申请表并上传材料"),
                ChoiceSpec(key="c", text="部门审核办理"),
                ChoiceSpec(key="d", text="获取办理结果（电子证照或邮寄送达）"),
            ),
            general_feedback="先实名认证，再提交申请，部门审核后送达办理结果。",
        ),
        category="电子政务/政务服务",
    ),
    ImportedQuestion(
        QuestionSpec(
            qtype=QuestionType.ESSAY,
            stem="请简述“一网通办”给群众办事带来的变化。",
            mark=Decimal(5),
            grader_info="要点：减少跑腿次数；材料共享、免于重复提交；办理进度可查。每点约 1–2 分。",
            general_feedback="“一网通办”依托数据共享，让群众少跑腿、好办事。",
        ),
        category="电子政务/政务服务",
    ),
)

_INSTRUCTIONS = (
    (
        "题型 Type",
        "必填。单选题、多选题、判断题、填空题、排序题、简答题、数值题、描述（仅文字，不计分）。",
        "Required. single, multiple, truefalse, fillblank, ordering, essay, numerical or description (text only, "
        "no mark; Chinese names work too).",
    ),
    (
        "题干 Stem",
        "必填。题目内容，单元格内可以换行。",
        "Required. The question text; line breaks inside the cell are kept.",
    ),
    (
        "选项A–F Option A–F",
        "单选题、多选题：从A开始连续填写，至少两个选项。排序题：填写需要排序的各项。判断题、填空题、简答题：留空。",
        "Single and multiple choice: at least two options, filled from A without gaps. Ordering: the items to put in order. True/false, fill-in-the-blank and essay: leave empty.",
    ),
    (
        "答案 Answer",
        "单选题：一个字母，如 B（写多个字母表示每个都完全正确）。多选题：多个字母，如 ABD、A,B,D 或 A、B、D。判断题：正确 或 错误（也可写 对/错、√/×、T/F）。"
        "填空题：可接受的答案，多个答案用 | 或 ; 分隔。排序题：按正确顺序写出选项字母，如 BACD；留空表示选项已按正确顺序排列。"
        "简答题：选填，评分参考（只给评分的培训师看）。"
        "数值题：数字及误差，如 3.14:0.01、3.14±0.01 或范围 1..5，多个满分答案用 | 分隔。描述：留空。",
        "Single: one letter, e.g. B (several letters: each one is fully correct). Multiple: several letters, e.g. ABD, A,B,D or A、B、D. True/false: 正确 or 错误 (also 对/错, √/×, T/F). "
        "Fill-in-the-blank: the accepted answers separated by | or ;. Ordering: the option letters in the correct order, e.g. BACD; empty means the options are already in order. "
        "Essay: optional, the reference answer for the trainer who marks it (learners never see it). "
        "Numerical: the number and its tolerance, e.g. 3.14:0.01, 3.14±0.01 or a range 1..5; several full-marks answers separated by |. Description: empty.",
    ),
    (
        "分值 Score",
        "选填。正数，留空为 1 分。多选题须全部选对才得分。",
        "Optional. A positive number; 1 when empty. Multiple choice scores only when every correct option, and nothing else, is chosen.",
    ),
    ("解析 Analysis", "选填。答题后显示的解析。", "Optional. The explanation shown after answering."),
    (
        "分类 Category",
        "选填。多级分类用 / 分隔，如 信息安全/口令。",
        "Optional. The category; separate levels with /, e.g. 信息安全/口令.",
    ),
    ("", "第一行是表头，请勿修改；空行会被跳过。", "Keep the first row as it is; empty rows are skipped."),
)


def excel_template() -> bytes:
    """An empty-to-fill workbook: the header, one example per question type and an instructions sheet."""
    workbook = Workbook()
    _question_sheet(workbook.active, _EXAMPLES)
    sheet = workbook.create_sheet("说明 Instructions")
    _header(sheet, ("列 Column", "说明", "Description"), (20, 60, 70))
    for row, values in enumerate(_INSTRUCTIONS, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = _WRAP
    return _save(workbook)
