"""Shapes and helpers shared by the question-bank formats (GIFT, Moodle XML, Excel).

Pure Python: no Django. Parsers return an ImportResult: the questions that could be read and a
problem for every question that could not (or that lost something on the way in). A problem in
one question never stops the others; only a file that cannot be read at all raises
ImportFormatError.

Messages (problem texts, locations, ImportFormatError texts) are Message objects: plain English
strings that also carry their template and parameters, so the Django side can translate the
template and fill it in again (quizzes.format_messages.translated). Every template is marked
with gettext_noop so that makemessages collects it.
"""

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from quizzes.grading import choice_fraction, parse_number
from quizzes.question_html import html_to_plain, looks_like_html  # noqa: F401 - looks_like_html for the formats
from quizzes.specs import AnswerSpec, ChoiceSpec, MatchPairSpec, QuestionSpec, QuestionType, Scoring


def gettext_noop(message: str) -> str:
    """Marks a message template for translation; returns it unchanged.

    Not Django's function (this package stays Django-free), but makemessages runs xgettext with
    --keyword=gettext_noop, so every literal passed here ends up in the catalogue."""
    return message


class Message(str):
    """A message for people: the English text itself, plus what a translation needs.

    template: a %-format string with named placeholders, marked with gettext_noop.
    params: the values for the placeholders; a value may itself be a Message (a location, a
    list of details) and is then translated too. Other values are data (what the file said)
    and are never translated.
    """

    template: str
    params: dict

    def __new__(cls, template: str, /, **params) -> "Message":
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message

    def __getnewargs_ex__(self):
        return (self.template,), self.params


class ImportFormatError(ValueError):
    """The whole file cannot be read: wrong format, undecodable text, malformed XML..."""

    @property
    def message(self) -> str:
        """The Message given when raised (str(error) would be plain English text)."""
        return self.args[0] if self.args else ""


@dataclass(frozen=True)
class MediaFile:
    """A file embedded in a question (Moodle XML's <file encoding="base64">), referenced from its
    HTML as "@@PLUGINFILE@@/<name>"."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ImportedQuestion:
    """A question read from (or to be written to) a file.

    spec: its texts (stem, options, feedback) are HTML as the file wrote it (plain text already
    escaped), not yet sanitised: the import sanitises after embedding the media, and lists what
    that removed.
    category: "/"-separated path such as "信息安全/口令"; "" when the question has none.
    location: where the question came from, for messages: "row 7", "question 3 (line 25)" (a Message).
    media: the files the question embeds.
    """

    spec: QuestionSpec
    category: str = ""
    location: str = ""
    media: tuple[MediaFile, ...] = ()


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong with one question.

    skipped: True when the question was left out; False when it was imported (or exported) but
    lost something, e.g. partial-credit short answers that were dropped.
    """

    location: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = self.location[:1].upper() + self.location[1:]
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    questions: list[ImportedQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = ""  # what a text file was read as, for the dry run ("" for Excel)

    @property
    def ok(self) -> bool:
        """True when every question was imported as it was written."""
        return not self.problems


class QuestionProblem(Exception):
    """Raised while reading one question; the parser turns it into a skipped ImportProblem."""

    @property
    def message(self) -> str:
        """The Message given when raised (str(problem) would be plain English text)."""
        return self.args[0] if self.args else ""


def row_location(row: int) -> Message:
    return Message(gettext_noop("row %(row)s"), row=row)


def question_location(number: int, line: int | str | None = None) -> Message:
    """ "question 3 (line 25)", or "question 3" when the line is not known."""
    if line is None:
        return Message(gettext_noop("question %(number)s"), number=number)
    return Message(gettext_noop("question %(number)s (line %(line)s)"), number=number, line=line)


# Messages shared by the formats.
NO_STEM = Message(gettext_noop("The question has no text."))
TOO_FEW_OPTIONS = Message(gettext_noop("A choice question needs at least two options."))
NO_CORRECT_OPTION = Message(gettext_noop("A multiple-choice question needs at least one correct option."))
NO_ACCEPTED_ANSWER = Message(gettext_noop("A fill-in-the-blank question needs at least one accepted answer."))
TOO_FEW_ITEMS = Message(gettext_noop("An ordering question needs at least two items."))
MARK_NOT_POSITIVE = Message(gettext_noop("The score must be a positive number."))
SHORT_ANSWER_NEEDS_FULL_MARKS = Message(
    gettext_noop("A fill-in-the-blank question needs at least one answer worth full marks.")
)
SINGLE_NEEDS_FULL_MARKS = Message(
    gettext_noop("A single-choice question needs at least one option worth full marks.")
)
NO_TYPE_NAME = Message(gettext_noop("(none)"))
NO_NUMERICAL_ANSWER = Message(gettext_noop("A numerical question needs at least one answer."))
NUMERICAL_NEEDS_FULL_MARKS = Message(gettext_noop("A numerical question needs at least one answer worth full marks."))


def not_a_number_answer(answer: str) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' of a numerical question is not a number (or * for any number)."),
        answer=answer,
    )


def tolerance_not_a_number(value: str) -> Message:
    return Message(gettext_noop("The tolerance '%(value)s' is not a number."), value=value)


# Moodle's qtype_match edit form: "You must supply at least 2 questions and 3 answers."
MATCHING_TOO_FEW = Message(
    gettext_noop(
        "A matching question needs at least 2 sub-questions and 3 answers (extra answers may have no sub-question)."
    )
)


def matching_without_answer(subquestion: str) -> Message:
    return Message(gettext_noop("The sub-question '%(subquestion)s' has no answer."), subquestion=subquestion)


def weights_do_not_add_up(total: str) -> Message:
    return Message(
        gettext_noop(
            "The correct options' grades add up to %(total)s%%; as in Moodle, they must add up to 100%%."
        ),
        total=total,
    )


def option_without_text(index: int) -> Message:
    return Message(gettext_noop("Option %(letter)s has no text."), letter=option_letter(index))


def unsupported_type(name: str | Message) -> Message:
    return Message(gettext_noop("Type '%(name)s' is not supported."), name=name)


def short_answer_out_of_range(answer: str, weight: str) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' has the grade %(weight)s%%, outside 0%% to 100%%; it was left out."),
        answer=answer,
        weight=weight,
    )


def short_answer_repeated(answer: str) -> Message:
    return Message(
        gettext_noop("The answer '%(answer)s' is given twice; only the first can ever match, the other was left out."),
        answer=answer,
    )


EMPTY_SHORT_ANSWER = Message(gettext_noop("An empty answer was left out."))


def weight_out_of_range(weight: str) -> Message:
    return Message(gettext_noop("The weight '%(weight)s%%' is outside the range -100%% to 100%%."), weight=weight)


# ---------------------------------------------------------------------------------------------
# Text decoding

NOT_UTF8 = Message(gettext_noop("The file starts like UTF-8 text but is not valid UTF-8."))
NOT_UTF16 = Message(gettext_noop("The file starts like UTF-16 text but is not valid UTF-16."))
NOT_UTF8_OR_GBK = Message(
    gettext_noop("The file is not UTF-8, UTF-16, GBK (GB18030) or Windows-1252 text; choose its encoding.")
)
BINARY_DATA = Message(gettext_noop("The file contains binary data, not text."))

# Encodings a person may choose instead of detection (the import form), by codec name.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GBK / GB18030",
    "cp1252": "Windows-1252",
}


def not_in_encoding(encoding: str) -> Message:
    return Message(
        gettext_noop("The file is not valid %(encoding)s text; choose another encoding or let it be detected."),
        encoding=ENCODINGS.get(encoding, encoding),
    )


def detect_encoding(data: bytes) -> str:
    """The codec an uploaded text file is most likely written in, tried in this order: a byte order
    mark (UTF-8, UTF-16); UTF-16 without one (every other byte zero); valid UTF-8; then GBK
    (GB18030) or Windows-1252. Those two accept many of the same byte strings, so the choice is by
    what the bytes look like: Chinese text in GBK keeps to the GB2312 plane (both bytes 0xA1-0xFE),
    while a Western accented letter is followed by an ASCII byte, which GB2312 never has."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4000]
    # Without a BOM, UTF-16 shows in its zero bytes, all on one side (the file's markup is ASCII).
    if len(sample) >= 16 and sample.count(0) * 8 >= len(sample):
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        if odd_zeros > even_zeros * 2:
            return "utf-16-le"
        if even_zeros > odd_zeros * 2:
            return "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return "cp1252"
    wide = [char for char in text if ord(char) > 0x7F]
    chinese = sum(1 for char in wide if _looks_chinese(char))
    if wide and chinese / len(wide) < 0.9 and _decodes(data, "cp1252"):
        return "cp1252"
    return "gb18030"


def _looks_chinese(char: str) -> bool:
    """In GB2312's plane, or written with GB18030's four bytes (digits between high bytes, which
    Western text almost never has)."""
    for encoding, expected in (("gb2312", True), ("gbk", False)):
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            continue
        return expected
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode an uploaded text file: in `encoding` when one was chosen, else as detect_encoding()
    finds (UTF-8 with or without BOM, UTF-16, GBK/GB18030, Windows-1252)."""
    if encoding:
        if encoding not in ENCODINGS:
            raise ImportFormatError(not_in_encoding(encoding))
        codec = {"utf-8": "utf-8-sig"}.get(encoding, encoding)
        text = _decode(data, codec, not_in_encoding(encoding))
    else:
        found = detect_encoding(data)
        message = {"utf-8-sig": NOT_UTF8, "utf-16": NOT_UTF16}.get(found, NOT_UTF8_OR_GBK)
        text = _decode(data, found, message)
    if "\x00" in text:
        raise ImportFormatError(BINARY_DATA)
    return text.lstrip("\ufeff")


def encoding_name(data: bytes, encoding: str | None = None) -> str:
    """What the dry run says the file was read as."""
    found = encoding or detect_encoding(data)
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(
        found, ENCODINGS.get(found, found)
    )


def _decode(data: bytes, encoding: str, message: Message) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(message) from exc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------------------------
# Choices


def choice_key(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa", ..."""
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


def option_letter(index: int) -> str:
    return choice_key(index).upper()


TRUE_TEXT = "正确"
FALSE_TEXT = "错误"


def true_false_choices(answer: bool, true_feedback: str = "", false_feedback: str = "") -> tuple[ChoiceSpec, ...]:
    """The two choices of a true/false question; `answer` is the correct one."""
    return (
        ChoiceSpec(key="true", text=TRUE_TEXT, correct=answer, feedback=true_feedback),
        ChoiceSpec(key="false", text=FALSE_TEXT, correct=not answer, feedback=false_feedback),
    )


def true_false_answer(spec: QuestionSpec) -> tuple[bool, str, str]:
    """(correct answer, feedback of the "true" choice, feedback of the "false" choice)."""
    by_key = {choice.key: choice for choice in spec.choices}
    true_choice = by_key.get("true") or (spec.choices[0] if spec.choices else None)
    false_choice = by_key.get("false") or (spec.choices[1] if len(spec.choices) > 1 else None)
    answer = bool(true_choice and true_choice.correct)
    return (
        answer,
        true_choice.feedback if true_choice else "",
        false_choice.feedback if false_choice else "",
    )


@dataclass(frozen=True)
class WeightedOption:
    """An option as GIFT and Moodle XML write it: a weight in percent (None when not given)."""

    text: str
    weight: Decimal | None
    feedback: str = ""


ONE_PERCENT = Decimal("0.01")
PENALTY_TOLERANCE = Decimal("0.000001")
# 3 × 33.33333% is 99.99999%: as near to 100% as a file can write a third.
WEIGHT_TOTAL_TOLERANCE = Decimal("0.0001")


def choices_from_weights(
    options: list[WeightedOption], single: bool
) -> tuple[QuestionType, Scoring, tuple[ChoiceSpec, ...], list[str]]:
    """Turn weighted options into choices, keeping every grade as written (no re-weighting).

    single: every 100% option is correct (Moodle allows several); an option with another grade
    keeps it as its `fraction` (the grade for choosing it).
    multiple: a positive weight marks a correct option. When the positive weights are equal and the
    negative ones are plain penalties, the question is stored as before (a penalty equal to the
    default, 1 / number of correct options, becomes None); otherwise every option keeps its own
    grade as `fraction`. The positive weights must add up to 100%, as Moodle requires.
    Returns (qtype, scoring, choices, notes); raises QuestionProblem for out-of-range weights.
    """
    notes: list[str] = []
    for option in options:
        if option.weight is not None and abs(option.weight) > 100:
            raise QuestionProblem(weight_out_of_range(decimal_text(option.weight)))
    if single:
        keep_grades = any(option.weight not in (None, 0, 100) for option in options)
        choices = tuple(
            ChoiceSpec(
                key=choice_key(i),
                text=option.text,
                correct=option.weight == 100,
                feedback=option.feedback,
                fraction=clean_decimal((option.weight or Decimal(0)) * ONE_PERCENT) if keep_grades else None,
            )
            for i, option in enumerate(options)
        )
        return QuestionType.SINGLE, Scoring.ALL_OR_NOTHING, choices, notes

    positive = [option.weight for option in options if option.weight is not None and option.weight > 0]
    total = sum(positive, Decimal(0))
    if positive and abs(total - 100) > WEIGHT_TOTAL_TOLERANCE:
        raise QuestionProblem(weights_do_not_add_up(decimal_text(total)))
    keep_grades = len(set(positive)) > 1
    default_penalty = Decimal(1) / len(positive) if positive else None
    choices = []
    for i, option in enumerate(options):
        weight = option.weight or Decimal(0)
        penalty = fraction = None
        if keep_grades:
            fraction = clean_decimal(weight * ONE_PERCENT)
        elif weight <= 0:
            penalty = clean_decimal(-weight * ONE_PERCENT)
            if default_penalty is not None and abs(penalty - default_penalty) < PENALTY_TOLERANCE:
                penalty = None
        choices.append(
            ChoiceSpec(
                key=choice_key(i),
                text=option.text,
                correct=weight > 0,
                feedback=option.feedback,
                penalty=penalty,
                fraction=fraction,
            )
        )
    return QuestionType.MULTIPLE, Scoring.PARTIAL, tuple(choices), notes


def weights_for(spec: QuestionSpec) -> list[Decimal]:
    """The weight in percent of every choice of a single/multiple question, for GIFT and Moodle XML."""
    if any(choice.fraction is not None for choice in spec.choices) or spec.qtype != QuestionType.MULTIPLE:
        return [_percent(choice_fraction(spec, choice)) for choice in spec.choices]
    correct = sum(1 for choice in spec.choices if choice.correct) or 1
    share = (Decimal(100) / correct).quantize(Decimal("0.00001"))
    weights = []
    for choice in spec.choices:
        if choice.correct:
            weights.append(share)
        elif choice.penalty is None:
            weights.append(-share)
        else:
            weights.append(-choice.penalty * 100)
    return [clean_decimal(weight) for weight in weights]


def _percent(value: Fraction) -> Decimal:
    """A choice's grade in percent, to Moodle's precision (1/3 -> 33.33333)."""
    percent = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return clean_decimal(percent.quantize(Decimal("0.00001")))


def short_answers_from(
    answers: Iterable[tuple[str, Decimal, str]],
) -> tuple[tuple[str, ...], tuple[AnswerSpec, ...], list[Message]]:
    """(text, grade in percent, feedback) -> (accepted answers, graded answers, notes).

    Answers that are all full marks, literal and without feedback stay plain accepted answers (as
    every import before issue 14). Otherwise every answer becomes a graded answer in its order, as
    Moodle keeps them (`*` is Moodle's wildcard, and stays one). A note names each answer left out."""
    kept: list[AnswerSpec] = []
    notes: list[Message] = []
    seen: set[str] = set()
    for text, weight, feedback in answers:
        text = text.strip()
        if not text:
            notes.append(EMPTY_SHORT_ANSWER)
        elif not 0 <= weight <= 100:
            notes.append(short_answer_out_of_range(text, decimal_text(weight)))
        elif text in seen:
            notes.append(short_answer_repeated(text))
        else:
            seen.add(text)
            kept.append(AnswerSpec(text=text, fraction=clean_decimal(weight / 100), feedback=feedback))
    if all(a.fraction == 1 and not a.feedback and "*" not in a.text for a in kept):
        return tuple(a.text for a in kept), (), notes
    return (), tuple(kept), notes


def numerical_answers_from(
    answers: Iterable[tuple[str, Decimal, str, Decimal | None]],
) -> tuple[tuple[AnswerSpec, ...], list[Message]]:
    """(number or `*`, grade in percent, feedback, tolerance) -> (numerical answers, notes), in their
    order. An answer that is not a number refuses the question (Moodle refuses it too); one with a grade
    outside 0-100 % or given twice is left out with a note. Numbers are written plainly, tolerances
    as their absolute value (Moodle uses abs() too), None as 0."""
    kept: list[AnswerSpec] = []
    notes: list[Message] = []
    seen: set[tuple[str, Decimal]] = set()
    for text, weight, feedback, tolerance in answers:
        text = text.strip()
        number = None if text == "*" else parse_number(text)
        if text != "*" and number is None:
            raise QuestionProblem(not_a_number_answer(text) if text else EMPTY_SHORT_ANSWER)
        text = "*" if number is None else decimal_text(number)
        tolerance = clean_decimal(abs(tolerance)) if tolerance is not None else Decimal(0)
        if not 0 <= weight <= 100:
            notes.append(short_answer_out_of_range(text, decimal_text(weight)))
        elif (text, tolerance) in seen:
            notes.append(short_answer_repeated(text))
        else:
            seen.add((text, tolerance))
            kept.append(
                AnswerSpec(text=text, fraction=clean_decimal(weight / 100), feedback=feedback, tolerance=tolerance)
            )
    return tuple(kept), notes


def numerical_range(text: str) -> tuple[str, Decimal | None] | None:
    """GIFT's "min..max" as (centre, tolerance), Moodle's qformat_gift: "1..5" -> ("3", 2). None
    when the text is not a range of two numbers."""
    low_text, separator, high_text = text.partition("..")
    low, high = parse_number(low_text), parse_number(high_text)
    if not separator or low is None or high is None:
        return None
    centre = (low + high) / 2
    return decimal_text(centre), clean_decimal(abs(high - centre))


def short_answers_for_export(spec: QuestionSpec) -> list[tuple[str, Decimal, str]]:
    """(text, grade in percent, feedback) of every answer, in the order they are tried: the literal
    accepted answers first, their `*` escaped (Moodle would read it as a wildcard), then the graded ones."""
    literal = [(answer.replace("*", "\\*"), Decimal(100), "") for answer in spec.accepted_answers]
    graded = [(a.text, clean_decimal(a.fraction * 100), a.feedback) for a in spec.answers]
    return literal + graded


# ---------------------------------------------------------------------------------------------
# Validation


def has_content(text: str) -> bool:
    """Question HTML that shows something: words or an image."""
    return bool(html_to_plain(text)) or "<embed" in text or "<img" in text


def matching_problem(pairs: Iterable[MatchPairSpec]) -> Message | None:
    """What Moodle's match edit form refuses (qtype_match_edit_form::validation), or None: a
    sub-question without an answer; fewer than 2 sub-questions; fewer than 3 answers, counting each
    pair with a sub-question or an answer (as Moodle counts, so a repeated answer text counts twice).
    A pair with neither is ignored, as Moodle ignores its blank rows."""
    questions = answers = 0
    for pair in pairs:
        has_question, has_answer = has_content(pair.text), bool(pair.answer.strip())
        if has_question and not has_answer:
            return matching_without_answer(html_to_plain(pair.text)[:60])
        questions += has_question
        answers += has_question or has_answer
    if questions < 2 or answers < 3:
        return MATCHING_TOO_FEW
    return None


def check_spec(spec: QuestionSpec) -> None:
    """Raise QuestionProblem with the first rule the question breaks."""
    if not has_content(spec.stem):
        raise QuestionProblem(NO_STEM)
    if spec.mark <= 0 and spec.qtype != QuestionType.DESCRIPTION:
        raise QuestionProblem(MARK_NOT_POSITIVE)
    if spec.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING):
        minimum = TOO_FEW_ITEMS if spec.qtype == QuestionType.ORDERING else TOO_FEW_OPTIONS
        if len(spec.choices) < 2:
            raise QuestionProblem(minimum)
        for index, choice in enumerate(spec.choices):
            if not has_content(choice.text):
                raise QuestionProblem(option_without_text(index))
    correct = sum(1 for choice in spec.choices if choice.correct)
    if spec.qtype == QuestionType.SINGLE and (
        correct == 0 or max(choice_fraction(spec, choice) for choice in spec.choices) != 1
    ):
        raise QuestionProblem(SINGLE_NEEDS_FULL_MARKS)
    if spec.qtype == QuestionType.MULTIPLE and correct == 0:
        raise QuestionProblem(NO_CORRECT_OPTION)
    if spec.qtype == QuestionType.FILL_BLANK and not any(answer.strip() for answer in spec.accepted_answers):
        if not spec.answers:
            raise QuestionProblem(NO_ACCEPTED_ANSWER)
        if max(a.fraction for a in spec.answers) != 1:  # Moodle's "fractionsnomax"
            raise QuestionProblem(SHORT_ANSWER_NEEDS_FULL_MARKS)
    if spec.qtype == QuestionType.NUMERICAL:
        if not spec.answers:
            raise QuestionProblem(NO_NUMERICAL_ANSWER)
        for answer in spec.answers:
            if answer.text != "*" and parse_number(answer.text) is None:
                raise QuestionProblem(not_a_number_answer(answer.text))
        if max(a.fraction for a in spec.answers) != 1:  # Moodle's "fractionsnomax"
            raise QuestionProblem(NUMERICAL_NEEDS_FULL_MARKS)
    if spec.qtype == QuestionType.MATCHING and (problem := matching_problem(spec.pairs)) is not None:
        raise QuestionProblem(problem)


# ---------------------------------------------------------------------------------------------
# Small helpers

_CONTEXT_PREFIX = re.compile(r"^\$[a-z]+\$/?")


def normalise_category(path: str) -> str:
    """Moodle's "$course$/top/A/B" (or "top/A/B", "A / B") -> "A/B"; "$course$/top" -> ""."""
    path = _CONTEXT_PREFIX.sub("", path.strip())
    parts = [part.strip() for part in path.split("/")]
    parts = [part for part in parts if part]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def moodle_category(category: str) -> str:
    return "$course$/top/" + category if category else "$course$/top"


def clean_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation: 1.0000000 -> 1, 2.50 -> 2.5."""
    if value == 0:
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def decimal_text(value: Decimal) -> str:
    return format(clean_decimal(value), "f")


def parse_decimal(text: str) -> Decimal | None:
    """A finite decimal from text, or None."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return clean_decimal(value) if value.is_finite() else None


def losses_of(spec: QuestionSpec, *, excel: bool) -> list[Message]:
    """The details of a question that GIFT (excel=False) or Excel (excel=True) cannot hold."""
    lost = []
    if excel:
        if spec.name:
            lost.append(Message(gettext_noop("the title")))
        if spec.tags:
            lost.append(Message(gettext_noop("the tags")))
        if any(choice.feedback for choice in spec.choices):
            lost.append(Message(gettext_noop("the option feedback")))
        if spec.qtype in (QuestionType.MULTIPLE, QuestionType.ORDERING) and spec.scoring == Scoring.PARTIAL:
            lost.append(Message(gettext_noop("partial-credit scoring")))
        if any(choice.fraction is not None for choice in spec.choices):
            lost.append(Message(gettext_noop("the options' own grades")))
        if any(answer.fraction != 1 for answer in spec.answers):
            lost.append(Message(gettext_noop("the answers worth part of the mark")))
        if any(answer.feedback for answer in spec.answers):
            lost.append(Message(gettext_noop("the answers' feedback")))
        # A numerical `*` worth full marks is written as it is; worth less, it goes with the partial answers.
        if spec.qtype != QuestionType.NUMERICAL and any("*" in answer.text for answer in spec.answers):
            lost.append(Message(gettext_noop("the * wildcard")))
    else:
        if spec.mark != 1 and spec.qtype != QuestionType.DESCRIPTION:
            lost.append(Message(gettext_noop("the score %(mark)s"), mark=decimal_text(spec.mark)))
        if spec.qtype == QuestionType.DESCRIPTION and spec.general_feedback:
            lost.append(Message(gettext_noop("a description's general feedback")))
        if spec.qtype == QuestionType.MULTIPLE and spec.scoring == Scoring.ALL_OR_NOTHING:
            lost.append(Message(gettext_noop("all-or-nothing scoring")))
    if spec.qtype == QuestionType.FILL_BLANK and spec.case_sensitive:
        lost.append(Message(gettext_noop("case-sensitive matching")))
    if spec.qtype == QuestionType.ESSAY and spec.grader_info and not excel:
        lost.append(Message(gettext_noop("the information for graders")))
    if spec.qtype == QuestionType.ESSAY and spec.response_max_length is not None:
        lost.append(Message(gettext_noop("the longest answer allowed")))
    return lost


def listing(items: list[Message]) -> Message:
    """ "a", "a and b", "a, b and c": nested Messages, so each language joins them its own way."""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return Message(gettext_noop("%(first)s and %(last)s"), first=items[0], last=items[1])
    return Message(gettext_noop("%(first)s, %(rest)s"), first=items[0], rest=listing(items[1:]))


def losses_message(lost: list[Message], format_name: str) -> Message:
    details = listing(lost)
    if len(lost) == 1:
        return Message(
            gettext_noop("%(format)s cannot hold %(details)s; the export leaves it out."),
            format=format_name,
            details=details,
        )
    return Message(
        gettext_noop("%(format)s cannot hold %(details)s; the export leaves them out."),
        format=format_name,
        details=details,
    )
