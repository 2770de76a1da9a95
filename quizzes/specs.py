"""Plain-data shapes of questions and responses, shared by grading, import/export and analysis.

No ORM here: models convert to and from these, so the pure modules (grading.py, formats/,
analysis.py) can be tested exhaustively without a database."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class QuestionType(StrEnum):
    SINGLE = "single"  # one correct choice
    MULTIPLE = "multiple"  # several correct choices; all-or-nothing or partial credit
    TRUE_FALSE = "truefalse"
    FILL_BLANK = "fillblank"  # typed answer matched against accepted answers
    ORDERING = "ordering"  # put the items in the right order
    ESSAY = "essay"  # free text, marked by a trainer (issue 14): scores 0 until then
    NUMERICAL = "numerical"  # a typed number, graded against answers with a tolerance (issue 14)
    DESCRIPTION = "description"  # text only: no answer, no mark (issue 14)
    MATCHING = "matching"  # pick, for each sub-question, its answer from one list (Moodle's match)


class Scoring(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


@dataclass(frozen=True)
class ChoiceSpec:
    """A choice of a single/multiple/true-false question, or an item of an ordering question.

    key: stable identifier of the choice within its question version (a short string).
    correct: for single/multiple/true-false. Ordering questions list their items in the correct order.
    penalty: for multiple-response partial credit: the fraction (0..1) of the question's mark that
             selecting this wrong choice subtracts; None means 1 / number of correct choices.
    fraction: the choice's own grade, -1..1 of the question's mark, as Moodle writes it (100%, 50%,
             -33.33333%). None (every question before issue 14, and every question whose grades follow
             from `correct` and `penalty`) means: derived from them (quizzes.grading.choice_fraction).
    """

    key: str
    text: str
    correct: bool = False
    feedback: str = ""
    penalty: Decimal | None = None
    fraction: Decimal | None = None


@dataclass(frozen=True)
class AnswerSpec:
    """A graded accepted answer of a short-answer (fill-in-the-blank) question, as Moodle's
    shortanswer answer: its text may hold `*` (any sequence of characters; `\\*` is a literal
    asterisk), its fraction is its share of the mark (0..1) and its feedback is shown in the review
    when it is the answer that matched (the first in order).

    Numerical questions (issue 14) use the same shape, as Moodle's numerical answers: text is the
    number (or `*`, any number), tolerance the absolute error allowed either side (None: exact)."""

    text: str
    fraction: Decimal = Decimal("1")
    feedback: str = ""
    tolerance: Decimal | None = None


@dataclass(frozen=True)
class MatchPairSpec:
    """A pair of a matching question, as Moodle's qtype_match subquestion: its sub-question (HTML)
    and the answer that goes with it (plain text). A pair with no sub-question text is an extra,
    wrong answer (a distractor). key: stable identifier of the sub-question within its version."""

    key: str
    text: str
    answer: str


def match_answer_key(answer: str) -> str:
    """The key of one distinct answer of a matching question: from its text alone, so it says
    nothing about which sub-question it belongs to (answers with the same text are one answer)."""
    return "a" + hashlib.blake2s(answer.encode(), digest_size=5).hexdigest()


def match_subquestions(spec: "QuestionSpec") -> tuple[MatchPairSpec, ...]:
    """The pairs that are asked (those with sub-question text), in the trainer's order."""
    return tuple(pair for pair in spec.pairs if pair.text.strip())


def match_answers(spec: "QuestionSpec") -> dict[str, str]:
    """{answer key: answer text} of every distinct answer (distractors included), first use first."""
    answers: dict[str, str] = {}
    for pair in spec.pairs:
        answers.setdefault(match_answer_key(pair.answer), pair.answer)
    return answers


@dataclass(frozen=True)
class QuestionSpec:
    qtype: QuestionType
    stem: str
    mark: Decimal = Decimal("1")
    choices: tuple[ChoiceSpec, ...] = ()
    accepted_answers: tuple[str, ...] = ()  # fill-in-the-blank: literal, full marks (as before issue 14)
    # Fill-in-the-blank, issue 14: graded answers, tried after accepted_answers, first match wins.
    answers: tuple[AnswerSpec, ...] = ()
    case_sensitive: bool = False  # fill-in-the-blank
    pairs: tuple[MatchPairSpec, ...] = ()  # matching (issue 14): sub-questions and answers, distractors
    scoring: Scoring = Scoring.ALL_OR_NOTHING  # multiple and ordering
    general_feedback: str = ""
    name: str = ""  # optional short title (GIFT "::name::", Moodle <name>)
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Essay (issue 14): notes for the trainer who marks it (never shown to learners), and the most
    # characters a response may have (None: responses.ESSAY_MAX_LENGTH).
    grader_info: str = ""
    response_max_length: int | None = None


@dataclass(frozen=True)
class GradeResult:
    """score is in marks (0..mark), fraction in 0..1, both Decimal rounded to 4 places.
    correct: True when full marks, False when zero, None when partly right.
    choice_feedback: the per-choice feedback texts that apply to this response, in choice order."""

    score: Decimal
    fraction: Decimal
    correct: bool | None
    choice_feedback: tuple[str, ...] = ()


# Responses, as stored and as sent by the browser (validated before grading):
#   single:     {"choice": "<key>"}
#   multiple:   {"choices": ["<key>", ...]}
#   truefalse:  {"choice": "true" | "false"}        (the two choices' keys are "true" and "false")
#   fillblank:  {"text": "<typed answer>"}
#   ordering:   {"order": ["<key>", ...]}            (every item key exactly once)
#   essay:      {"text": "<plain text>"}              (marked by a trainer, quizzes.services.essay_grade)
#   numerical:  {"text": "<typed number>"}           (parsed when graded: quizzes.grading.parse_number)
#   description: {} only                             (nothing to answer, worth no marks)
#   matching:   {"matches": {"<pair key>": "<answer key>", ...}}   (sub-questions left blank absent)
# An empty dict (or missing answer) scores zero.


def spec_to_data(spec: QuestionSpec) -> dict:
    """JSON-ready form of a spec, as stored in QuestionVersion.spec."""
    return {
        "qtype": str(spec.qtype),
        "stem": spec.stem,
        "mark": str(spec.mark),
        "choices": [
            {
                "key": choice.key,
                "text": choice.text,
                "correct": choice.correct,
                "feedback": choice.feedback,
                "penalty": None if choice.penalty is None else str(choice.penalty),
                # Only when set: versions stored before the field existed stay equal to a re-save.
                **({} if choice.fraction is None else {"fraction": str(choice.fraction)}),
            }
            for choice in spec.choices
        ],
        "accepted_answers": list(spec.accepted_answers),
        # Only when there are any: versions stored before the field existed stay equal to a re-save.
        **(
            {}
            if not spec.answers
            else {
                "answers": [
                    {
                        "text": a.text,
                        "fraction": str(a.fraction),
                        "feedback": a.feedback,
                        # Only when set, as above: short answers stored before it stay equal to a re-save.
                        **({} if a.tolerance is None else {"tolerance": str(a.tolerance)}),
                    }
                    for a in spec.answers
                ]
            }
        ),
        "case_sensitive": spec.case_sensitive,
        # Only for matching questions: every other version stays equal to a re-save.
        **(
            {}
            if not spec.pairs
            else {"pairs": [{"key": p.key, "text": p.text, "answer": p.answer} for p in spec.pairs]}
        ),
        "scoring": str(spec.scoring),
        "general_feedback": spec.general_feedback,
        "name": spec.name,
        "tags": list(spec.tags),
        # Only for essays: versions stored before the type existed stay equal to a re-save.
        **({} if not spec.grader_info else {"grader_info": spec.grader_info}),
        **({} if spec.response_max_length is None else {"response_max_length": spec.response_max_length}),
    }


def spec_from_data(data: dict) -> QuestionSpec:
    return QuestionSpec(
        qtype=QuestionType(data["qtype"]),
        stem=data["stem"],
        mark=Decimal(data["mark"]),
        choices=tuple(
            ChoiceSpec(
                key=choice["key"],
                text=choice["text"],
                correct=choice["correct"],
                feedback=choice.get("feedback", ""),
                penalty=None if choice.get("penalty") is None else Decimal(choice["penalty"]),
                fraction=None if choice.get("fraction") is None else Decimal(choice["fraction"]),
            )
            for choice in data.get("choices", [])
        ),
        accepted_answers=tuple(data.get("accepted_answers", [])),
        answers=tuple(
            AnswerSpec(
                text=a["text"],
                fraction=Decimal(a["fraction"]),
                feedback=a.get("feedback", ""),
                tolerance=None if a.get("tolerance") is None else Decimal(a["tolerance"]),
            )
            for a in data.get("answers", [])
        ),
        case_sensitive=data.get("case_sensitive", False),
        pairs=tuple(MatchPairSpec(key=p["key"], text=p["text"], answer=p["answer"]) for p in data.get("pairs", [])),
        scoring=Scoring(data.get("scoring", Scoring.ALL_OR_NOTHING)),
        general_feedback=data.get("general_feedback", ""),
        name=data.get("name", ""),
        tags=tuple(data.get("tags", [])),
        grader_info=data.get("grader_info", ""),
        response_max_length=data.get("response_max_length"),
    )
