"""Moodle XML question files.

Read: category pseudo-questions, multichoice (single true/false), multichoiceset (the
all-or-nothing multiple-choice plugin), truefalse, shortanswer, ordering (qtype_ordering: the
answers in the correct order), matching (<subquestion> HTML with its plain <answer>; an empty
sub-question is an extra answer); <name>, <questiontext>, <generalfeedback>, options and per-answer
<feedback> as HTML in the format their format="…" names, <defaultgrade> (the mark), <tags>, the
files embedded with <file encoding="base64"> (images referenced as @@PLUGINFILE@@/name become
Wagtail images on import) and Moodle 1.9's <image>/<image_base64>. Hints, combined feedback and
the ID number are not kept, and each question that had them says so. essay: <graderinfo> is kept;
the answer is always plain text here (another <responseformat> is noted), and attachments, a
response template and word limits are not kept (noted). Written essays carry
<responseformat>plain</responseformat>; their character limit has no Moodle field and is left out.
Numerical (answers with their <tolerance>; units are not kept, and a question that had them says so),
description and matching (issue 14). Other types (cloze...) are reported as problems and the rest
of the file is still read.

The XML is parsed with expat directly: a DOCTYPE (and so any ENTITY declaration) is refused before
anything is expanded, and malformed XML raises ImportFormatError with its line and column.
"""

import base64
import binascii
import dataclasses
import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds trees only; untrusted input goes through _parse_xml
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import quote
from xml.parsers import expat

from quizzes.formats.common import (
    NO_TYPE_NAME,
    ImportedQuestion,
    ImportFormatError,
    ImportProblem,
    ImportResult,
    MediaFile,
    Message,
    QuestionProblem,
    WeightedOption,
    check_spec,
    choice_key,
    choices_from_weights,
    decimal_text,
    decode_text,
    encoding_name,
    gettext_noop,
    listing,
    moodle_category,
    normalise_category,
    normalise_newlines,
    numerical_answers_from,
    parse_decimal,
    question_location,
    short_answers_for_export,
    short_answers_from,
    tolerance_not_a_number,
    true_false_answer,
    true_false_choices,
    unsupported_type,
    weights_for,
)
from quizzes.grading import parse_number
from quizzes.question_html import PLUGINFILE, text_to_html
from quizzes.specs import ChoiceSpec, MatchPairSpec, QuestionSpec, QuestionType, Scoring

HINTS_DROPPED = Message(gettext_noop("the hints"))
COMBINED_FEEDBACK_DROPPED = Message(gettext_noop("the combined feedback (for correct, partly correct, incorrect)"))
ID_NUMBER_DROPPED = Message(gettext_noop("the ID number"))
UNITS_DROPPED = Message(gettext_noop("the units (answers are numbers without units here)"))
NO_SHUFFLE_DROPPED = Message(
    gettext_noop("the setting not to shuffle the sub-questions (the quiz's “shuffle choices” decides)")
)


def not_kept(details: list[Message]) -> Message:
    return Message(gettext_noop("Not kept by this bank, so not imported: %(details)s."), details=listing(details))


def bad_base64(name: str) -> Message:
    return Message(gettext_noop("The embedded file “%(name)s” is not valid base64; it was dropped."), name=name)


def old_image_not_in_file(name: str) -> Message:
    return Message(
        gettext_noop("The image “%(name)s” (Moodle 1.9 <image>) is not inside the file; it was dropped."), name=name
    )
TRUE_FALSE_NEEDS_ONE = Message(gettext_noop("A true/false question needs exactly one correct answer (fraction 100)."))
EMPTY_FILE = Message(gettext_noop("The file is empty."))


def grade_not_a_number(value: str) -> Message:
    return Message(gettext_noop("The default grade '%(value)s' is not a number."), value=value)


def fraction_not_a_number(value: str) -> Message:
    return Message(gettext_noop("The fraction '%(value)s' is not a number."), value=value)


def not_quiz_root(tag: str) -> Message:
    return Message(
        gettext_noop("This is not a Moodle XML question file: the root element is <%(tag)s>, not <quiz>."), tag=tag
    )


# ---------------------------------------------------------------------------------------------
# Safe parsing


class _Refused(Exception):
    pass


# Moodle files are about 6 deep, plus any HTML written without CDATA; far deeper is an attack on
# the (recursive) serialiser, not a question bank.
MAX_DEPTH = 100


def _parse_xml(data: bytes, encoding: str | None = None) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse with expat, refusing DTDs; returns the root and the line of every <question>."""
    text = _xml_text(data, encoding)
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    lines: dict[ET.Element, int] = {}
    depth = 0

    def start(tag, attributes):
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(
                Message(
                    gettext_noop("The XML file nests elements more than %(depth)s deep (line %(line)s)."),
                    depth=MAX_DEPTH,
                    line=parser.CurrentLineNumber,
                )
            )
        element = builder.start(tag, attributes)
        if tag == "question":
            lines[element] = parser.CurrentLineNumber

    def end(tag):
        nonlocal depth
        depth -= 1
        builder.end(tag)

    def refuse_doctype(*_args):
        raise _Refused(
            Message(
                gettext_noop("The XML file contains a DOCTYPE declaration (line %(line)s), which is not allowed."),
                line=parser.CurrentLineNumber,
            )
        )

    def refuse_entity(*_args):
        raise _Refused(
            Message(
                gettext_noop("The XML file declares an entity (line %(line)s), which is not allowed."),
                line=parser.CurrentLineNumber,
            )
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        raise ImportFormatError(refused.args[0]) from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code)
        # expat's reason is English only; it is passed on as it is.
        raise ImportFormatError(
            Message(
                gettext_noop("The file is not well-formed XML: %(reason)s (line %(line)s, column %(column)s)."),
                reason=reason,
                line=error.lineno,
                column=error.offset + 1,
            )
        ) from None
    return builder.close(), lines


_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _declared_encoding(data: bytes) -> str | None:
    """The encoding the XML declaration names, when Python knows it and the bytes agree."""
    match = _DECLARED_ENCODING.match(data)
    if not match:
        return None
    encoding = match.group(1).decode("ascii").lower()
    try:
        data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    return encoding


def _xml_text(data: bytes, encoding: str | None = None) -> str:
    """Decode the file ourselves (the chosen encoding, else the declared one, else detection) so
    expat always reads UTF-8."""
    match = _DECLARED_ENCODING.match(data.lstrip(b"\xef\xbb\xbf"))
    if encoding:
        text = decode_text(data, encoding)
    elif match and not data.startswith(b"\xef\xbb\xbf"):
        encoding = match.group(1).decode("ascii")
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ImportFormatError(
                Message(gettext_noop("The XML file declares an unknown encoding '%(encoding)s'."), encoding=encoding)
            ) from None
        except UnicodeDecodeError:
            # Files that declare one encoding and use another are common; fall back to detection.
            text = decode_text(data)
    else:
        text = decode_text(data)
    if not text.strip():
        raise ImportFormatError(EMPTY_FILE)
    # expat reads str as UTF-8 whatever the declaration says; drop it so nothing contradicts that.
    return re.sub(r"^(\s*)<\?xml[^>]*\?>", r"\1", text.lstrip("\ufeff"), count=1)


# ---------------------------------------------------------------------------------------------
# Import


def parse_moodle_xml(data: bytes, encoding: str | None = None) -> ImportResult:
    """Read a Moodle XML question file (in `encoding` when one was chosen, see decode_text)."""
    root, lines = _parse_xml(data, encoding)
    if root.tag != "quiz":
        raise ImportFormatError(not_quiz_root(root.tag))
    result = ImportResult(encoding=encoding_name(data, encoding or _declared_encoding(data)))
    category = ""
    number = 0
    for element in root.findall("question"):
        qtype = element.get("type", "").strip()
        if qtype == "category":
            category = normalise_category(_category_path(element))
            continue
        number += 1
        location = question_location(number, lines.get(element, "?"))
        try:
            spec, notes = _read_question(element, qtype)
            media, more_notes = _media(element)
            notes.extend(more_notes)
            spec, more_notes = _old_image(element, spec, media)
            notes.extend(more_notes)
            check_spec(spec)
        except QuestionProblem as problem:
            result.problems.append(ImportProblem(location, problem.message))
            continue
        result.questions.append(
            ImportedQuestion(spec=spec, category=category, location=location, media=tuple(media))
        )
        result.problems.extend(ImportProblem(location, note, skipped=False) for note in notes)
    return result


def _category_path(element: ET.Element) -> str:
    category = element.find("category")
    if category is None:
        return ""
    text = category.find("text")
    return _inner(text if text is not None else category)


_SUPPORTED = (
    "multichoice",
    "multichoiceset",
    "truefalse",
    "shortanswer",
    "ordering",
    "essay",
    "numerical",
    "description",
    "matching",
)


def essay_plain_text(response_format: str) -> Message:
    return Message(
        gettext_noop("The answer is plain text here, not formatted text (Moodle's “%(format)s”)."),
        format=response_format,
    )


ESSAY_ATTACHMENTS = Message(gettext_noop("attachments"))
ESSAY_TEMPLATE = Message(gettext_noop("the response template"))
ESSAY_WORD_LIMITS = Message(gettext_noop("word limits"))


def _read_question(element: ET.Element, qtype: str) -> tuple[QuestionSpec, list[str]]:
    if qtype not in _SUPPORTED:
        raise QuestionProblem(unsupported_type(qtype or NO_TYPE_NAME))
    notes: list[str] = []
    mark = Decimal(1)
    grade = _child_text(element, "defaultgrade")
    if grade:
        mark = parse_decimal(grade)
        if mark is None:
            raise QuestionProblem(grade_not_a_number(grade))
    common = {
        "stem": _html_of(element, "questiontext"),
        "general_feedback": _html_of(element, "generalfeedback"),
        "name": _text_of(element, "name"),
        "mark": mark,
        "tags": _tags(element),
    }
    not_kept_here = []
    if any(_text_of(hint, None) for hint in element.findall("hint")):
        not_kept_here.append(HINTS_DROPPED)
    if any(_text_of(element, name) for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")):
        not_kept_here.append(COMBINED_FEEDBACK_DROPPED)
    if _child_text(element, "idnumber"):
        not_kept_here.append(ID_NUMBER_DROPPED)
    if qtype == "matching" and _child_text(element, "shuffleanswers").lower() in ("0", "false"):
        not_kept_here.append(NO_SHUFFLE_DROPPED)
    if not_kept_here:
        notes.append(not_kept(not_kept_here))
    # Choice questions take their options as HTML; short answers and true/false as plain words.
    html_answers = qtype in ("multichoice", "multichoiceset", "ordering")
    answers = [
        (
            _html_of(answer, None) if html_answers else _text_of(answer, None),
            _fraction(answer),
            _html_of(answer, "feedback"),
        )
        for answer in element.findall("answer")
    ]

    if qtype == "description":
        common["mark"] = Decimal(0)  # text only, worth nothing (Moodle writes defaultgrade 0)
        return QuestionSpec(qtype=QuestionType.DESCRIPTION, **common), notes
    if qtype == "numerical":
        rows = []
        for (text, weight, feedback), answer in zip(answers, element.findall("answer"), strict=True):
            raw = _child_text(answer, "tolerance")
            tolerance = parse_number(raw) if raw else None
            if raw and tolerance is None:
                raise QuestionProblem(tolerance_not_a_number(raw))
            rows.append((text, weight, feedback, tolerance))
        graded, more_notes = numerical_answers_from(rows)
        notes.extend(more_notes)
        if any(_child_text(unit, "unit_name") for unit in element.iter("unit")):
            notes.append(not_kept([UNITS_DROPPED]))
        return QuestionSpec(qtype=QuestionType.NUMERICAL, answers=graded, **common), notes

    if qtype in ("multichoice", "multichoiceset"):
        options = [WeightedOption(text=text, weight=weight, feedback=feedback) for text, weight, feedback in answers]
        if qtype == "multichoiceset":
            choices = tuple(
                ChoiceSpec(key=choice_key(i), text=option.text, correct=option.weight > 0, feedback=option.feedback)
                for i, option in enumerate(options)
            )
            spec = QuestionSpec(qtype=QuestionType.MULTIPLE, choices=choices, scoring=Scoring.ALL_OR_NOTHING, **common)
        else:
            # As in Moodle: no <single> means single choice, an empty one means multiple.
            single = element.find("single") is None or _child_text(element, "single").lower() not in ("false", "0", "")
            found_type, scoring, choices, more_notes = choices_from_weights(options, single=single)
            notes.extend(more_notes)
            spec = QuestionSpec(qtype=found_type, choices=choices, scoring=scoring, **common)
    elif qtype == "truefalse":
        spec = QuestionSpec(qtype=QuestionType.TRUE_FALSE, choices=_true_false(answers), **common)
    elif qtype == "essay":
        spec = QuestionSpec(qtype=QuestionType.ESSAY, grader_info=_html_of(element, "graderinfo"), **common)
        notes.extend(_essay_notes(element))
    elif qtype == "matching":
        # The sub-question in the format its format="…" names; the answer plain text, as Moodle's.
        pairs = tuple(
            MatchPairSpec(key=choice_key(i), text=_html_of(sub, None), answer=_text_of(sub, "answer"))
            for i, sub in enumerate(element.findall("subquestion"))
        )
        spec = QuestionSpec(qtype=QuestionType.MATCHING, pairs=pairs, **common)
    elif qtype == "shortanswer":
        accepted, graded, more_notes = short_answers_from(answers)
        notes.extend(more_notes)
        case_sensitive = _child_text(element, "usecase").lower() in ("1", "true")
        spec = QuestionSpec(
            qtype=QuestionType.FILL_BLANK,
            accepted_answers=accepted,
            answers=graded,
            case_sensitive=case_sensitive,
            **common,
        )
    else:
        items = tuple(
            ChoiceSpec(key=choice_key(i), text=text, feedback=feedback) for i, (text, _, feedback) in enumerate(answers)
        )
        all_or_nothing = _child_text(element, "gradingtype").upper() == "ALL_OR_NOTHING"
        scoring = Scoring.ALL_OR_NOTHING if all_or_nothing else Scoring.PARTIAL
        spec = QuestionSpec(qtype=QuestionType.ORDERING, choices=items, scoring=scoring, **common)
    return spec, notes


def _essay_notes(element: ET.Element) -> list:
    notes = []
    response_format = _child_text(element, "responseformat")
    if response_format and response_format not in ("plain", "monospaced"):
        notes.append(essay_plain_text(response_format))
    dropped = []
    if _child_text(element, "attachments") not in ("", "0"):
        dropped.append(ESSAY_ATTACHMENTS)
    if _text_of(element, "responsetemplate"):
        dropped.append(ESSAY_TEMPLATE)
    if any(_child_text(element, name) not in ("", "0") for name in ("minwordlimit", "maxwordlimit")):
        dropped.append(ESSAY_WORD_LIMITS)
    if dropped:
        notes.append(not_kept(dropped))
    return notes


def _true_false(answers: list[tuple[str, Decimal, str]]) -> tuple[ChoiceSpec, ...]:
    # Moodle writes "true" and "false"; very old files rely on the order (true first).
    correct, feedback = {}, {"true": "", "false": ""}
    for index, (text, fraction, answer_feedback) in enumerate(answers[:2]):
        value = text.lower() if text.lower() in ("true", "false") else ("true" if index == 0 else "false")
        correct[value] = fraction == 100
        feedback[value] = answer_feedback
    if sorted(correct.values()) != [False, True]:
        raise QuestionProblem(TRUE_FALSE_NEEDS_ONE)
    return true_false_choices(correct["true"], feedback["true"], feedback["false"])


def _fraction(answer: ET.Element) -> Decimal:
    raw = answer.get("fraction", "0")
    value = parse_decimal(raw)
    if value is None:
        raise QuestionProblem(fraction_not_a_number(raw))
    return value


def _tags(element: ET.Element) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in element.findall("tags/tag"):
        text = _text_of(tag, None)
        if text and text not in tags:
            tags.append(text)
    return tuple(tags)


# Moodle's text formats -> quizzes.question_html.text_to_html's.
_TEXT_FORMATS = {"html": "html", "moodle_auto_format": "auto", "plain_text": "plain", "markdown": "markdown"}


def _html_of(element: ET.Element, tag: str | None) -> str:
    """The <text> of element/tag as HTML, read in the format its format="…" attribute names."""
    container = element.find(tag) if tag else element
    if container is None:
        return ""
    text = container.find("text")
    raw = _inner(text) if text is not None else ""
    return text_to_html(raw, _TEXT_FORMATS.get(container.get("format", ""), "auto")) if raw else ""


def _media(element: ET.Element) -> tuple[list[MediaFile], list[str]]:
    """The files embedded anywhere in the question (<file name=… path=… encoding="base64">)."""
    files: list[MediaFile] = []
    notes: list[str] = []
    for file in element.iter("file"):
        name = (file.get("path", "/").strip("/") + "/" + file.get("name", "")).strip("/")
        if not name:
            continue
        try:
            data = base64.b64decode("".join((file.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            notes.append(bad_base64(name))
            continue
        files.append(MediaFile(name=name, data=data))
    return files, notes


def _old_image(
    element: ET.Element, spec: QuestionSpec, media: list[MediaFile]
) -> tuple[QuestionSpec, list[str]]:
    """Moodle 1.9's <image>name</image> with <image_base64>: the image goes below the question text."""
    name = _child_text(element, "image")
    encoded = "".join((_child_text(element, "image_base64") or "").split())
    if not name and not encoded:
        return spec, []
    name = name.rsplit("/", 1)[-1] or "image"
    if not encoded:
        return spec, [old_image_not_in_file(name)]
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return spec, [bad_base64(name)]
    media.append(MediaFile(name=name, data=data))
    image = f'<p><img src="{PLUGINFILE}{html.escape(quote(name), quote=True)}" alt=""></p>'
    return dataclasses.replace(spec, stem=spec.stem + image), []


def _child_text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _text_of(element: ET.Element, tag: str | None) -> str:
    """The <text> of element/tag (or of element itself when tag is None), trimmed."""
    container = element.find(tag) if tag else element
    if container is None:
        return ""
    text = container.find("text")
    return _inner(text) if text is not None else ""


_CDATA = re.compile(r"^<!\[CDATA\[(.*)\]\]>$", re.DOTALL)


def _inner(element: ET.Element) -> str:
    """Text content, keeping any unescaped HTML tags inside it; a doubly wrapped CDATA is unwrapped."""
    content = (element.text or "") + "".join(ET.tostring(child, encoding="unicode") for child in element)
    content = normalise_newlines(content).strip()
    match = _CDATA.match(content)
    return match.group(1).strip() if match else content


# ---------------------------------------------------------------------------------------------
# Export


def export_moodle_xml(questions: Sequence[ImportedQuestion]) -> bytes:
    """Write questions as a Moodle XML file (UTF-8)."""
    quiz = ET.Element("quiz")
    category = ""
    for item in questions:
        if item.category != category:
            category = item.category
            pseudo = ET.SubElement(quiz, "question", type="category")
            _text_element(pseudo, "category", moodle_category(category), with_format=False)
            _text_element(pseudo, "info", "")
        quiz.append(_question_element(item.spec))
    ET.indent(quiz, space="  ")
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


_QTYPE_NAMES = {
    QuestionType.SINGLE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.FILL_BLANK: "shortanswer",
    QuestionType.ORDERING: "ordering",
    QuestionType.ESSAY: "essay",
    QuestionType.NUMERICAL: "numerical",
    QuestionType.DESCRIPTION: "description",
    QuestionType.MATCHING: "matching",
}


def _question_element(spec: QuestionSpec) -> ET.Element:
    if spec.qtype == QuestionType.MULTIPLE:
        qtype = "multichoiceset" if spec.scoring == Scoring.ALL_OR_NOTHING else "multichoice"
    else:
        qtype = _QTYPE_NAMES[spec.qtype]
    question = ET.Element("question", type=qtype)
    _text_element(question, "name", spec.name, with_format=False)
    _text_element(question, "questiontext", spec.stem)
    _text_element(question, "generalfeedback", spec.general_feedback)
    ET.SubElement(question, "defaultgrade").text = decimal_text(spec.mark)
    ET.SubElement(question, "hidden").text = "0"

    if spec.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if qtype == "multichoice":
            ET.SubElement(question, "single").text = "true" if spec.qtype == QuestionType.SINGLE else "false"
        ET.SubElement(question, "shuffleanswers").text = "false"
        ET.SubElement(question, "answernumbering").text = "ABCD"
        if qtype == "multichoiceset":
            weights = [Decimal(100) if choice.correct else Decimal(0) for choice in spec.choices]
        else:
            weights = weights_for(spec)
        for choice, weight in zip(spec.choices, weights, strict=True):
            _answer(question, choice.text, weight, choice.feedback)
    elif spec.qtype == QuestionType.TRUE_FALSE:
        answer, true_feedback, false_feedback = true_false_answer(spec)
        _answer(question, "true", Decimal(100 if answer else 0), true_feedback, answer_format="moodle_auto_format")
        _answer(question, "false", Decimal(0 if answer else 100), false_feedback, answer_format="moodle_auto_format")
    elif spec.qtype == QuestionType.ESSAY:
        ET.SubElement(question, "responseformat").text = "plain"
        ET.SubElement(question, "responserequired").text = "1"
        ET.SubElement(question, "responsefieldlines").text = "15"
        ET.SubElement(question, "attachments").text = "0"
        ET.SubElement(question, "attachmentsrequired").text = "0"
        _text_element(question, "graderinfo", spec.grader_info)
        _text_element(question, "responsetemplate", "")
    elif spec.qtype == QuestionType.NUMERICAL:
        for answer in spec.answers:
            _answer(question, answer.text, answer.fraction * 100, answer.feedback, answer_format="moodle_auto_format")
            ET.SubElement(question[-1], "tolerance").text = decimal_text(answer.tolerance or Decimal(0))
        # As Moodle writes a numerical question without units (showunits 3: no unit asked for).
        units = (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3"), ("unitsleft", "0"))
        for tag, value in units:
            ET.SubElement(question, tag).text = value
    elif spec.qtype == QuestionType.DESCRIPTION:
        pass  # text only: defaultgrade 0, no answers
    elif spec.qtype == QuestionType.MATCHING:
        # Moodle's shufflestems; the answers are shuffled for every attempt whatever it says.
        ET.SubElement(question, "shuffleanswers").text = "true"
        for pair in spec.pairs:
            subquestion = ET.SubElement(question, "subquestion", format=_format(pair.text))
            ET.SubElement(subquestion, "text").text = _xml_safe(pair.text)
            ET.SubElement(ET.SubElement(subquestion, "answer"), "text").text = _xml_safe(pair.answer)
    elif spec.qtype == QuestionType.FILL_BLANK:
        ET.SubElement(question, "usecase").text = "1" if spec.case_sensitive else "0"
        for text, weight, feedback in short_answers_for_export(spec):
            _answer(question, text, weight, feedback, answer_format="moodle_auto_format")
    else:
        ET.SubElement(question, "layouttype").text = "VERTICAL"
        ET.SubElement(question, "selecttype").text = "ALL"
        ET.SubElement(question, "selectcount").text = "0"
        grading = "ALL_OR_NOTHING" if spec.scoring == Scoring.ALL_OR_NOTHING else "ABSOLUTE_POSITION"
        ET.SubElement(question, "gradingtype").text = grading
        ET.SubElement(question, "showgrading").text = "SHOW"
        for position, item in enumerate(spec.choices, start=1):
            _answer(question, item.text, Decimal(position), item.feedback)

    if spec.tags:
        tags = ET.SubElement(question, "tags")
        for tag in spec.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = _xml_safe(tag)
    return question


def _answer(
    question: ET.Element, text: str, fraction: Decimal, feedback: str, answer_format: str | None = None
) -> None:
    answer = ET.SubElement(question, "answer", fraction=decimal_text(fraction), format=answer_format or _format(text))
    ET.SubElement(answer, "text").text = _xml_safe(text)
    _text_element(answer, "feedback", feedback)


def _text_element(parent: ET.Element, tag: str, text: str, with_format: bool = True) -> None:
    element = ET.SubElement(parent, tag, format=_format(text)) if with_format else ET.SubElement(parent, tag)
    ET.SubElement(element, "text").text = _xml_safe(text)


def _format(text: str) -> str:
    # Question texts, options and feedback are stored as HTML (quizzes.question_html).
    return "html"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Normalise newlines and drop the control characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", normalise_newlines(text))
