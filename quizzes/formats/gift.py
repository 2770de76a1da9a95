"""Moodle's GIFT text format.

Read: // comments (a "// [tag:x]" comment line inside a question gives it tags, as Moodle writes
them), $CATEGORY: lines, ::title::, [html]/[moodle]/[plain]/[markdown] markers (dropped), single
choice {=right ~wrong}, multiple response with weights {~%50%a ~%50%b ~%-100%c}, true/false
{T} {TRUE} {F} {FALSE} with #wrong-answer#right-answer feedback, short answers {=a =b} (as
fill-in-the-blank), matching {=sub-question -> answer = -> extra answer} (Moodle's match),
per-answer #feedback, ####general feedback, the "missing word" form
(text {answers} more text -> "text _____ more text") and the escapes \\~ \\= \\# \\{ \\} \\: \\n \\\\.
Questions are separated by blank lines. GIFT has no score: imported questions are worth 1.

Essay: an empty answer block {} (or one holding only ####general feedback), as Moodle reads it; its
information for graders and its character limit have no GIFT syntax (export says so).
Numerical {#3.14:0.01}, {#1..5} (a range: centre and tolerance) and {#=%100%3.14:0.01#fb =%50%3:1 ~#fb}
(issue 14); a question without an answer block is a description (text only, worth nothing), as in
Moodle. Matching {=sub-question -> answer = -> extra} (issue 14).
Not written: ordering questions (no standard GIFT syntax); see gift_unexportable().
"""

import re
from collections.abc import Sequence
from decimal import Decimal

from quizzes.formats.common import (
    ImportedQuestion,
    ImportProblem,
    ImportResult,
    Message,
    QuestionProblem,
    WeightedOption,
    check_spec,
    choice_key,
    choices_from_weights,
    decimal_text,
    gettext_noop,
    losses_message,
    losses_of,
    moodle_category,
    normalise_category,
    normalise_newlines,
    numerical_answers_from,
    numerical_range,
    question_location,
    short_answers_for_export,
    short_answers_from,
    tolerance_not_a_number,
    true_false_answer,
    true_false_choices,
    weights_for,
)
from quizzes.grading import parse_number
from quizzes.question_html import html_to_plain, html_to_text, is_simple, text_to_html
from quizzes.specs import MatchPairSpec, QuestionSpec, QuestionType

# Escaped special characters are swapped for Unicode noncharacters while the question is parsed.
_ESCAPES = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4", "~": "\ufdd5", "n": "\ufdd6"}
_UNESCAPES = str.maketrans({code: (char if char != "n" else "\n") for char, code in _ESCAPES.items()})
_FORMAT_MARKER = re.compile(r"^\s*\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_FORMAT_OF_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
# GIFT's formats -> quizzes.question_html.text_to_html's; "moodle" (the default) is auto-format.
_TEXT_FORMATS = {"html": "html", "moodle": "auto", "plain": "plain", "markdown": "markdown"}
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d*)?)%")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

UNMATCHED_BRACES = Message(gettext_noop("The braces { } of the answer block do not match."))
SEVERAL_ANSWER_BLOCKS = Message(
    gettext_noop("The question has more than one answer block; separate questions with a blank line.")
)
UNCLOSED_TITLE = Message(gettext_noop("The title has no closing '::'."))
MATCH_WITHOUT_ARROW = Message(
    gettext_noop("Every pair of a matching question needs '->' between its sub-question and answer.")
)
ORDERING_NOT_IN_GIFT = Message(
    gettext_noop("Ordering questions cannot be written in GIFT; the export leaves the question out as a comment.")
)


def parse_gift(text: str) -> ImportResult:
    """Read a GIFT file (already decoded; see decode_text)."""
    result = ImportResult()
    category = ""
    number = 0
    block: list[tuple[int, str]] = []
    comments: list[str] = []

    def flush() -> None:
        nonlocal number
        if block:
            number += 1
            location = question_location(number, block[0][0])
            _read_question(block, comments, category, location, result)
        block.clear()
        comments.clear()

    for line_number, line in enumerate(normalise_newlines(text.lstrip("\ufeff")).split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("$CATEGORY:"):
            flush()
            category = normalise_category(stripped[len("$CATEGORY:") :])
        elif not stripped:
            flush()
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            block.append((line_number, line))
    flush()
    return result


def _read_question(
    block: list[tuple[int, str]], comments: list[str], category: str, location: str, result: ImportResult
) -> None:
    try:
        spec, notes = _parse_question("\n".join(line for _, line in block).strip(), comments)
        check_spec(spec)
    except QuestionProblem as problem:
        result.problems.append(ImportProblem(location, problem.message))
        return
    result.questions.append(ImportedQuestion(spec=spec, category=category, location=location))
    result.problems.extend(ImportProblem(location, note, skipped=False) for note in notes)


def _parse_question(raw: str, comments: list[str]) -> tuple[QuestionSpec, list[str]]:
    text = _escape(raw)
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise QuestionProblem(UNCLOSED_TITLE)
        name = _clean(text[2:end])
        text = text[end + 2 :].strip()

    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        # No answer block: Moodle's description (text only, worth nothing).
        stem, _format = _html(text, "auto")
        return QuestionSpec(
            qtype=QuestionType.DESCRIPTION, stem=stem, mark=Decimal(0), name=name, tags=tuple(_tags(comments))
        ), []
    if start < 0 or end < start:
        raise QuestionProblem(UNMATCHED_BRACES)
    if text.count("{") > 1 or text.count("}") > 1:
        raise QuestionProblem(SEVERAL_ANSWER_BLOCKS)
    answers = text[start + 1 : end].strip()
    # Text after the answer block: Moodle's "missing word" form, the block stands for a blank.
    stem, text_format = _html(
        text[:start] + "_____" + text[end + 1 :] if text[end + 1 :].strip() else text[:start], "auto"
    )

    general_feedback = ""
    separator = answers.rfind("####")
    if separator >= 0:
        general_feedback, _ = _html(answers[separator + 4 :], text_format)
        answers = answers[:separator].strip()

    common = {
        "stem": stem,
        "general_feedback": general_feedback,
        "name": name,
        "tags": tuple(_tags(comments)),
    }
    notes: list[str] = []
    if not answers:
        return QuestionSpec(qtype=QuestionType.ESSAY, **common), notes
    if answers.startswith("#"):
        graded, notes = numerical_answers_from(_numerical_answers(answers[1:], text_format))
        return QuestionSpec(qtype=QuestionType.NUMERICAL, answers=graded, **common), notes
    if "~" in answers:
        options = [
            _weighted_option(part, text_format) for part in _split_answers(answers.replace("=", "~="), "~")
        ]
        qtype, scoring, choices, notes = choices_from_weights(options, single="=" in answers)
        spec = QuestionSpec(qtype=qtype, choices=choices, scoring=scoring, **common)
    elif "=" in answers and "->" in answers:
        spec = QuestionSpec(qtype=QuestionType.MATCHING, pairs=_match_pairs(answers, text_format), **common)
    elif answers.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        value, wrong, right = ([*answers.split("#", 2), "", ""])[:3]
        answer = _TRUE_FALSE[value.strip().upper()]
        wrong, right = _html(wrong, text_format)[0], _html(right, text_format)[0]
        choices = true_false_choices(answer, right if answer else wrong, wrong if answer else right)
        spec = QuestionSpec(qtype=QuestionType.TRUE_FALSE, choices=choices, **common)
    else:
        parsed = []
        for part in _split_answers(answers, "="):
            weight, part = _weight(part)
            answer, _, feedback = part.partition("#")
            feedback_html = _html(feedback, text_format)[0] if feedback.strip() else ""
            parsed.append((_clean(answer), Decimal(100) if weight is None else weight, feedback_html))
        accepted, graded, notes = short_answers_from(parsed)
        spec = QuestionSpec(qtype=QuestionType.FILL_BLANK, accepted_answers=accepted, answers=graded, **common)
    return spec, notes


def _numerical_answers(answers: str, text_format: str) -> list[tuple[str, Decimal, str, Decimal | None]]:
    """A numerical block after its "#", as Moodle's qformat_gift reads it: "3.14:0.01" (answer and
    tolerance), "1..5" (a range: centre 3, tolerance 2), "3.14" (exact); several answers each start
    with "=" and may carry a %grade% (100 % without one) and #feedback; a trailing "~#feedback" is a
    `*` answer worth 0 that gives feedback to every other number."""
    answers, tilde, wrong = answers.partition("~")
    parts = answers.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    parsed = []
    for part in parts:
        weight, part = _weight(part.strip())
        value, _, feedback = part.partition("#")
        value = _clean(value)
        tolerance: Decimal | None = None
        if ":" in value:
            value, _, tolerance_text = value.partition(":")
            tolerance = parse_number(tolerance_text)
            if tolerance is None:
                raise QuestionProblem(tolerance_not_a_number(tolerance_text.strip()))
        elif ".." in value and numerical_range(value) is not None:
            value, tolerance = numerical_range(value)
        feedback_html = _html(feedback, text_format)[0] if feedback.strip() else ""
        parsed.append((value.strip(), Decimal(100) if weight is None else weight, feedback_html, tolerance))
    if tilde:
        feedback = wrong.partition("#")[2]
        parsed.append(("*", Decimal(0), _html(feedback, text_format)[0] if feedback.strip() else "", None))
    return parsed


def _match_pairs(answers: str, text_format: str) -> tuple[MatchPairSpec, ...]:
    """Moodle's GIFT match: "=sub-question -> answer" per pair, split at the first "->"; the
    sub-question in the question text's format, the answer plain text; "= -> answer" is an extra answer."""
    pairs = []
    for part in _split_answers(answers, "="):
        if "->" not in part:
            raise QuestionProblem(MATCH_WITHOUT_ARROW)
        text, _, answer = part.partition("->")
        text = _html(text, text_format)[0] if _clean(text) else ""
        pairs.append(MatchPairSpec(key=choice_key(len(pairs)), text=text, answer=_clean(answer)))
    return tuple(pairs)


def _split_answers(answers: str, marker: str) -> list[str]:
    parts = answers.split(marker)
    if not parts[0].strip():
        parts = parts[1:]
    return parts


def _weighted_option(part: str, text_format: str) -> WeightedOption:
    part = part.strip()
    full_credit = part.startswith("=")
    if full_credit:
        part = part[1:]
    weight, part = _weight(part)
    if weight is None and full_credit:
        weight = Decimal(100)
    text, _, feedback = part.partition("#")
    return WeightedOption(text=_html(text, text_format)[0], weight=weight, feedback=_html(feedback, text_format)[0])


def _weight(part: str) -> tuple[Decimal | None, str]:
    match = _WEIGHT.match(part)
    if not match:
        return None, part
    return Decimal(match.group(1)), part[match.end() :]


def _tags(comments: list[str]) -> list[str]:
    tags: list[str] = []
    for comment in comments:
        for raw in _TAG.findall(comment):
            tag = raw.replace("\\]", "]").strip()
            if tag and tag not in tags:
                tags.append(tag)
    return tags


def _escape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following in _ESCAPES:
                out.append(_ESCAPES[following])
                i += 2
                continue
            if following == "\\":
                out.append("\\")
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _html(text: str, default_format: str) -> tuple[str, str]:
    """A text as HTML, in the format its [marker] names, else in default_format; and that format
    (the answers of a question default to the format of its text, as in Moodle)."""
    match = _FORMAT_OF_MARKER.match(text)
    text_format = _TEXT_FORMATS[match.group(1).lower()] if match else default_format
    return text_to_html(_clean(text), text_format), text_format


def _clean(text: str) -> str:
    """Drop a format marker, turn placeholders back into characters, trim."""
    return _FORMAT_MARKER.sub("", text, count=1).translate(_UNESCAPES).strip()


# ---------------------------------------------------------------------------------------------
# Export


def export_gift(questions: Sequence[ImportedQuestion]) -> str:
    """Write questions as GIFT. Ordering questions become a comment line (see gift_unexportable)."""
    chunks: list[str] = []
    category = ""
    for item in questions:
        if item.category != category:
            category = item.category
            chunks.append(f"$CATEGORY: {moodle_category(category)}")
        spec = item.spec
        if spec.qtype == QuestionType.ORDERING:
            stem = html_to_plain(spec.stem)
            chunks.append(f"// ordering question not expressible in GIFT: {stem}")
            continue
        chunks.append(_question_text(spec))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def gift_unexportable(questions: Sequence[ImportedQuestion]) -> list[ImportProblem]:
    """What export_gift() leaves out: ordering questions (skipped) and details GIFT cannot hold.
    A problem's location is the question's own location, else "question N" (its place in the list)."""
    problems = []
    for number, item in enumerate(questions, start=1):
        location = item.location or question_location(number)
        if item.spec.qtype == QuestionType.ORDERING:
            problems.append(ImportProblem(location, ORDERING_NOT_IN_GIFT))
            continue
        lost = losses_of(item.spec, excel=False)
        if lost:
            problems.append(ImportProblem(location, losses_message(lost, "GIFT"), skipped=False))
    return problems


def _question_text(spec: QuestionSpec) -> str:
    lines = []
    if spec.tags:
        lines.append("// " + " ".join("[tag:" + tag.replace("]", "\\]") + "]" for tag in spec.tags))
    head = (f"::{_escape_text(spec.name)}::" if spec.name else "") + _gift_html(spec.stem)
    general = f"####{_gift_html(spec.general_feedback)}" if spec.general_feedback else ""

    if spec.qtype == QuestionType.DESCRIPTION:
        lines.append(head)  # no answer block: a description (its general feedback has no place)
        return "\n".join(lines)
    if spec.qtype == QuestionType.NUMERICAL:
        lines.append(head + "{#" + _numerical_block(spec) + general + "}")
        return "\n".join(lines)

    if spec.qtype == QuestionType.TRUE_FALSE:
        answer, true_feedback, false_feedback = true_false_answer(spec)
        right, wrong = (true_feedback, false_feedback) if answer else (false_feedback, true_feedback)
        block = "TRUE" if answer else "FALSE"
        if wrong or right:
            block += "#" + _gift_html(wrong)
        if right:
            block += "#" + _gift_html(right)
        lines.append(f"{head}{{{block}{general}}}")
        return "\n".join(lines)

    if spec.qtype == QuestionType.ESSAY:
        lines.append(f"{head}{{{general}}}")
        return "\n".join(lines)

    lines.append(head + "{")
    if spec.qtype == QuestionType.MATCHING:
        # As Moodle writes it; an extra answer has an empty sub-question. The answer is plain text.
        for pair in spec.pairs:
            text = _gift_html(pair.text) if pair.text else ""
            lines.append(f"\t={text} -> {_escape_text(pair.answer)}")
    elif spec.qtype == QuestionType.FILL_BLANK:
        for text, weight, feedback in short_answers_for_export(spec):
            marker = "=" if weight == 100 else f"=%{decimal_text(weight)}%"
            lines.append(f"\t{marker}{_escape_text(text)}" + (f"#{_gift_html(feedback)}" if feedback else ""))
    else:
        for choice, weight in zip(spec.choices, weights_for(spec), strict=True):
            if spec.qtype == QuestionType.SINGLE and weight in (0, 100):
                marker = "=" if weight == 100 else "~"
            else:
                marker = "~" if weight == 0 else f"~%{decimal_text(weight)}%"
            feedback = f"#{_gift_html(choice.feedback)}" if choice.feedback else ""
            lines.append(f"\t{marker}{_gift_html(choice.text)}{feedback}")
    if general:
        lines.append(f"\t{general}")
    lines.append("}")
    return "\n".join(lines)


def _numerical_block(spec: QuestionSpec) -> str:
    """{#3.14:0.01} for one exact full-marks answer without feedback, else every answer on its own line."""

    def value(answer) -> str:
        tolerance = f":{decimal_text(answer.tolerance)}" if answer.tolerance else ""
        return _escape_text(answer.text) + tolerance

    if len(spec.answers) == 1 and spec.answers[0].fraction == 1 and not spec.answers[0].feedback:
        return value(spec.answers[0])
    lines = [""]
    for answer in spec.answers:
        feedback = f"#{_gift_html(answer.feedback)}" if answer.feedback else ""
        lines.append(f"\t=%{decimal_text(answer.fraction * 100)}%{value(answer)}{feedback}")
    return "\n".join(lines) + "\n"


_EXPORT_ESCAPES = str.maketrans(
    {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""}
)


def _gift_html(text: str) -> str:
    """Question HTML in GIFT: as the plain text it shows when it is only text and line breaks,
    else marked [html]."""
    if is_simple(text):
        return _escape_text(html_to_text(text))
    return "[html]" + _escape_text(text)


def _escape_text(text: str) -> str:
    return normalise_newlines(text).translate(_EXPORT_ESCAPES)
