"""Reads for learners and trainers. What a learner sees before submitting never includes
which answers are correct, feedback or a score: those are only built by attempt_review()."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .analysis import QuestionStats, QuizStats, analyse
from .formats import ImportedQuestion
from .grading import (
    combine_attempt_grades,
    matching_right,
    needs_manual_grading,
    normalize_answer,
    numerical_match,
    parse_number,
    short_answer_match,
)
from .models import (
    Attempt,
    AttemptGrade,
    AttemptQuestion,
    EssayGrade,
    Question,
    QuestionCategory,
    QuestionGrade,
    QuestionVersion,
    Quiz,
    SavedAnswer,
)
from .question_html import html_to_plain
from .responses import essay_max_length
from .services import (
    CATEGORY_PATH_SEPARATOR,
    attempt_latest_responses,
    current_grade,
    exam_windows,
    learner_record,
    question_spec,
    sitting_refusal_message,
)
from .sittings import Refusal, Sitting, sitting_for
from .specs import QuestionType, match_answers, match_subquestions, spec_from_data


@dataclass(frozen=True)
class ChoiceOption:
    key: str
    text: str
    position: int | None = None  # ordering: where the learner has put this item (1-based)


@dataclass(frozen=True)
class MatchRow:
    key: str
    text: str
    chosen: str  # the answer key the learner picked, "" for none


@dataclass(frozen=True)
class QuestionForLearner:
    """Only what the learner needs to answer: no correct flags, no feedback, no marks earned."""

    position: int
    qtype: str
    stem: str
    mark: str
    options: list[ChoiceOption]
    response: dict
    max_length: int | None = None  # essay: the most characters the answer may have
    # Matching: the sub-questions (key, text) and the answers offered to each, in this attempt's order.
    subquestions: list[tuple[str, str]] = field(default_factory=list)
    match_answers: list[ChoiceOption] = field(default_factory=list)

    @property
    def match_rows(self) -> list[MatchRow]:
        # From the response, so a refused form shows what was just sent (views._with_posted_answers).
        matches = self.response.get("matches") or {}
        return [MatchRow(key, text, str(matches.get(key) or "")) for key, text in self.subquestions]


def attempt_questions_with_versions(*, attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's questions in order, each with its version (one query)."""
    return list(attempt.questions.select_related("version").order_by("position"))


def attempt_questions_for_learner(
    *,
    attempt: Attempt,
    attempt_questions: list[AttemptQuestion] | None = None,
    responses: dict[int, dict] | None = None,
) -> list[QuestionForLearner]:
    """`attempt_questions`: attempt_questions_with_versions(), when the caller has it already;
    `responses`: the latest saved answers (services.attempt_responses_and_version), likewise, or
    {} for the questions without answers; None reads them."""
    if responses is None:
        responses = attempt_latest_responses(attempt)
    questions = []
    if attempt_questions is None:
        attempt_questions = attempt_questions_with_versions(attempt=attempt)
    for aq in attempt_questions:
        spec = aq.version.spec
        texts = {choice["key"]: choice["text"] for choice in spec.get("choices", [])}
        response = responses.get(aq.pk, {})
        shown = [key for key in aq.choice_order if key in texts]
        placed = response.get("order") or shown
        options = [
            ChoiceOption(
                key=key,
                text=texts[key],
                position=(placed.index(key) + 1) if spec["qtype"] == "ordering" and key in placed else None,
            )
            for key in shown
        ]
        subquestions, offered = _match_for_learner(spec, aq.choice_order)
        questions.append(
            QuestionForLearner(
                position=aq.position,
                qtype=spec["qtype"],
                stem=spec["stem"],
                mark=spec["mark"],
                options=options,
                response=response,
                max_length=essay_max_length(spec_from_data(spec)) if spec["qtype"] == QuestionType.ESSAY else None,
                subquestions=subquestions,
                match_answers=offered,
            )
        )
    return questions


def _match_for_learner(spec: dict, order: list[str]) -> tuple[list[tuple[str, str]], list[ChoiceOption]]:
    """A matching question's sub-questions and answers in the attempt's drawn order (choice_order
    holds both kinds of key); only texts, never which answer goes with which sub-question."""
    if spec["qtype"] != QuestionType.MATCHING:
        return [], []
    question = spec_from_data(spec)
    stems = {pair.key: pair.text for pair in match_subquestions(question)}
    answers = match_answers(question)
    # Anything the drawn order misses (it cannot, short of a hand-edited row) goes last, in a fixed order.
    stem_keys = [key for key in order if key in stems] + [key for key in stems if key not in order]
    answer_keys = [key for key in order if key in answers] + sorted(key for key in answers if key not in order)
    return [(key, stems[key]) for key in stem_keys], [ChoiceOption(key, answers[key]) for key in answer_keys]


def seconds_left(*, attempt: Attempt, now: datetime | None = None) -> int | None:
    """Whole seconds until the deadline (the server's, not the browser's), or None if untimed."""
    if attempt.deadline is None:
        return None
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


def current_grade_of(attempt_ref=None) -> QuerySet[AttemptGrade]:
    """The current grade of the attempt an outer query names (OuterRef("pk") by default), for a
    Subquery: the other apps' reports use this rather than ordering grades themselves."""
    return AttemptGrade.objects.filter(
        attempt=attempt_ref if attempt_ref is not None else OuterRef("pk")
    ).latest_first()


def first_pass_at(*, user_id: int, quiz_ids) -> datetime | None:
    """When the learner first passed one of these quizzes (any grading that passed), or None. One query."""
    from django.db.models import Min

    passing = AttemptGrade.objects.filter(attempt__user_id=user_id, attempt__quiz_id__in=quiz_ids, passed=True)
    return passing.aggregate(first=Min("graded_at"))["first"]


@dataclass
class LearnerQuizSummary:
    quiz: Quiz
    attempts: list[Attempt]
    grades: dict[int, AttemptGrade]
    open_attempt: Attempt | None
    attempts_left: int | None  # None: unlimited
    final_percent: Decimal | None
    passed: bool
    review_allowed: bool = field(default=False)
    # The exam policy now (quizzes.sittings): may a new attempt start, a make-up one, or why not.
    sitting: Sitting | None = None
    refusal_message: str = ""
    makeup_passed: bool = False  # passed in a make-up sitting (reports show these apart)


def quiz_content_type():
    """The content type a review workflow is assigned to (courses.authoring)."""
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Quiz)


def question_content_type():
    """The question's, for the same workflow (courses.authoring)."""
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Question)


def learner_quiz_summary(*, quiz: Quiz, user, now: datetime | None = None) -> LearnerQuizSummary:
    """The learner's attempts with their current grades and the grade across attempts (two queries)."""
    attempts = list(
        Attempt.objects.filter(quiz=quiz, user=user)
        .order_by("number")
        .prefetch_related(Prefetch("grades", queryset=AttemptGrade.objects.latest_first()))
    )
    grades = {attempt.pk: attempt.grades.all()[0] for attempt in attempts if attempt.grades.all()}
    graded = [attempt for attempt in attempts if attempt.pk in grades]
    final_percent = combine_attempt_grades([grades[a.pk].percent for a in graded], quiz.grading_method)
    passed = any(grades[a.pk].passed for a in graded)
    attempts_left = None if not quiz.attempts_allowed else max(0, quiz.attempts_allowed - len(attempts))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.OPEN), None)
    summary = LearnerQuizSummary(
        quiz=quiz,
        attempts=attempts,
        grades=grades,
        open_attempt=open_attempt,
        attempts_left=attempts_left,
        final_percent=final_percent,
        passed=passed,
    )
    summary.review_allowed = review_allowed(summary)
    record = learner_record(
        attempts=[(a.pk, a.is_makeup) for a in attempts], passed_by_attempt={a.pk: grades[a.pk].passed for a in graded}
    )
    summary.sitting = sitting_for(exam_windows(quiz), record, now or timezone.now())
    if not quiz.live:
        # Never published (or taken offline): its row is a draft, so nobody starts it.
        summary.sitting = Sitting(refusal=Refusal.NOT_PUBLISHED)
    summary.refusal_message = "" if summary.sitting.allowed else sitting_refusal_message(summary.sitting)
    summary.makeup_passed = any(grades[a.pk].passed for a in graded if a.is_makeup)
    return summary


def review_allowed(summary: LearnerQuizSummary) -> bool:
    """When the quiz lets a learner see the review of their graded attempts."""
    quiz = summary.quiz
    if quiz.review_when == Quiz.ReviewWhen.IMMEDIATELY:
        return True
    if quiz.review_when == Quiz.ReviewWhen.AFTER_PASSING:
        return summary.passed
    return summary.attempts_left == 0 and summary.open_attempt is None


@dataclass(frozen=True)
class ReviewOption:
    key: str
    text: str
    chosen: bool
    correct: bool | None  # None when the quiz does not show correct answers
    feedback: str
    position_given: int | None = None


@dataclass(frozen=True)
class ReviewQuestion:
    position: int
    qtype: str
    stem: str
    mark: Decimal
    score: Decimal
    correct: bool | None
    options: list[ReviewOption]
    text_answer: str
    accepted_answers: list[str]
    general_feedback: str
    answer_feedback: str = ""  # fill in the blank: the feedback of the graded answer that matched
    trainer_comment: str = ""  # essay: the comment of the trainer who marked it
    answer_feedback: str = ""  # fill in the blank, numerical: the feedback of the graded answer that matched
    not_a_number: bool = False  # numerical: the typed answer is not a number (so it scored 0)
    matches: list["ReviewMatch"] = field(default_factory=list)  # matching: one per sub-question


@dataclass(frozen=True)
class ReviewMatch:
    text: str  # the sub-question (HTML)
    given: str  # the answer the learner picked ("" for none, or when responses are not shown)
    right: bool | None  # None when responses are not shown
    right_answer: str  # "" when the quiz does not show correct answers


def attempt_review(*, attempt: Attempt) -> tuple[AttemptGrade | None, list[ReviewQuestion]]:
    """What the review page shows, honouring the quiz's review options. Call only when
    review_allowed(); the caller checks ownership."""
    quiz = attempt.quiz
    grade_row = current_grade(attempt=attempt)
    if grade_row is None:
        return None, []
    show_responses = quiz.review_show_responses
    show_correct = quiz.review_show_correct
    show_feedback = quiz.review_show_feedback
    grades = {
        qg.attempt_question_id: qg
        for qg in QuestionGrade.objects.filter(grade=grade_row).select_related("version", "attempt_question")
    }
    comments = (
        dict(EssayGrade.objects.filter(attempt_question__attempt=attempt).values_list("attempt_question_id", "comment"))
        if show_feedback and any(qg.version.spec["qtype"] == QuestionType.ESSAY for qg in grades.values())
        else {}
    )
    questions = []
    for aq in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        qg = grades.get(aq.pk)
        if qg is None:
            continue
        spec = qg.version.spec
        response = qg.response if show_responses else {}
        chosen = set(response.get("choices", [])) | ({response["choice"]} if response.get("choice") else set())
        order = response.get("order", [])
        by_key = {choice["key"]: choice for choice in spec.get("choices", [])}
        shown_order = [key for key in aq.choice_order if key in by_key] or list(by_key)
        options = [
            ReviewOption(
                key=key,
                text=by_key[key]["text"],
                chosen=key in chosen,
                correct=by_key[key]["correct"] if show_correct and spec["qtype"] != "ordering" else None,
                feedback=by_key[key].get("feedback", "") if show_feedback and key in chosen else "",
                position_given=(order.index(key) + 1) if key in order else None,
            )
            for key in shown_order
        ]
        if spec["qtype"] == "ordering" and show_correct:
            options = [
                ReviewOption(
                    key=c["key"],
                    text=c["text"],
                    chosen=False,
                    correct=True,
                    feedback="",
                    position_given=(order.index(c["key"]) + 1) if c["key"] in order else None,
                )
                for c in spec["choices"]
            ]
        questions.append(
            ReviewQuestion(
                position=aq.position,
                qtype=spec["qtype"],
                stem=spec["stem"],
                mark=Decimal(spec["mark"]),
                score=qg.score,
                correct=qg.correct,
                options=options,
                text_answer=response.get("text", "") if show_responses else "",
                accepted_answers=_full_marks_answers(spec) if show_correct else [],
                general_feedback=spec.get("general_feedback", "") if show_feedback else "",
                answer_feedback=_matched_answer_feedback(spec, qg.response) if show_feedback else "",
                trainer_comment=comments.get(aq.pk, ""),
                not_a_number=_not_a_number(spec, response),
                matches=_review_matches(spec, aq.choice_order, qg.response, show_responses, show_correct),
            )
        )
    return grade_row, questions


def _review_matches(
    spec: dict, order: list[str], response: dict, show_responses: bool, show_correct: bool
) -> list[ReviewMatch]:
    """A matching question's sub-questions as the attempt showed them, each right or wrong."""
    if spec["qtype"] != QuestionType.MATCHING:
        return []
    question = spec_from_data(spec)
    answers = match_answers(question)
    right = matching_right(question, response)
    given = response.get("matches") if isinstance(response.get("matches"), dict) else {}
    pairs = {pair.key: pair for pair in match_subquestions(question)}
    keys = [key for key in order if key in pairs] + [key for key in pairs if key not in order]
    return [
        ReviewMatch(
            text=pairs[key].text,
            given=answers.get(given.get(key), "") if show_responses else "",
            right=right[key] if show_responses else None,
            right_answer=pairs[key].answer if show_correct else "",
        )
        for key in keys
    ]


def _full_marks_answers(spec: dict) -> list[str]:
    """The answers a fill-in-the-blank question gives full marks for: the literal ones and the graded
    answers worth 100 % (issue 14). Numerical: each as "3.14 ± 0.01" (or the number alone when exact)."""
    if spec["qtype"] == "numerical":
        return [_number_with_tolerance(a) for a in spec.get("answers", []) if Decimal(a["fraction"]) >= 1]
    graded = [a["text"] for a in spec.get("answers", []) if Decimal(a["fraction"]) >= 1]
    return list(spec.get("accepted_answers", [])) + graded


def _number_with_tolerance(answer: dict) -> str:
    tolerance = Decimal(answer.get("tolerance") or 0)
    return f"{answer['text']} ± {tolerance.normalize():f}" if tolerance else answer["text"]


def _not_a_number(spec: dict, response: dict) -> bool:
    text = str(response.get("text") or "").strip()
    return spec["qtype"] == "numerical" and bool(text) and parse_number(text) is None


def _full_marks(spec, text: str) -> bool:
    if spec.qtype == "numerical":
        matched = numerical_match(spec, text)
        return matched is not None and matched.fraction >= 1
    matched = short_answer_match(spec, text)
    return matched is not None and matched.fraction >= 1


def _matched_answer_feedback(spec: dict, response: dict) -> str:
    if spec["qtype"] not in ("fillblank", "numerical") or not spec.get("answers"):
        return ""
    match = numerical_match if spec["qtype"] == "numerical" else short_answer_match
    matched = match(spec_from_data(spec), str(response.get("text") or ""))
    return matched.feedback if matched is not None else ""


# ---------------------------------------------------------------------------- trainers' tools


def quizzes_for_admin() -> QuerySet[Quiz]:
    """Quizzes with their number of graded attempts (one query)."""
    return Quiz.objects.annotate(
        graded_attempts=Count("attempts", filter=Q(attempts__status=Attempt.Status.GRADED))
    ).order_by("title", "pk")


def quiz_attempts_for_admin(*, quiz: Quiz) -> QuerySet[Attempt]:
    """A quiz's attempts, newest first, with the learner and the current grade's figures."""
    latest = current_grade_of()
    return (
        Attempt.objects.filter(quiz=quiz)
        .select_related("user")
        .annotate(
            grade_score=Subquery(latest.values("score")[:1]),
            grade_max_score=Subquery(latest.values("max_score")[:1]),
            grade_percent=Subquery(latest.values("percent")[:1]),
            grade_passed=Subquery(latest.values("passed")[:1]),
            grade_reason=Subquery(latest.values("reason")[:1]),
        )
        .order_by("-started_at", "-pk")
    )


def _current_question_grade_rows(quiz: Quiz) -> list[tuple[int, int, float, str]]:
    """(attempt id, version id, score, response as JSON text) of every question of each graded
    attempt's current grade, in one query: a grade row counts when no later grade of its attempt
    exists (served by the attemptgrade_latest index). The score comes as a float and the response
    as text, which skips Django's per-value Decimal and JSON converters (most of the cost at
    200,000 rows); identical responses are then decoded once."""
    later_grade = AttemptGrade.objects.filter(attempt_id=OuterRef("grade__attempt_id")).filter(
        Q(graded_at__gt=OuterRef("grade__graded_at"))
        | Q(graded_at=OuterRef("grade__graded_at"), pk__gt=OuterRef("grade_id"))
    )
    return list(
        QuestionGrade.objects.filter(grade__attempt__quiz=quiz, grade__attempt__status=Attempt.Status.GRADED)
        .filter(~Exists(later_grade))
        .values_list(
            "grade__attempt_id",
            "version_id",
            Cast("score", output_field=FloatField()),
            Cast("response", output_field=TextField()),
        )
    )


@dataclass(frozen=True)
class _VersionInfo:
    question_id: int
    number: int
    spec: dict


def _chosen(spec: dict, response_text: str) -> tuple[str, ...]:
    """The keys a response chose (fill in the blank: its normalised text), for the distribution."""
    response = json.loads(response_text) if response_text else None
    if not isinstance(response, dict) or not response:
        return ()
    qtype = spec["qtype"]
    if qtype == "multiple":
        return tuple(key for key in response.get("choices") or () if isinstance(key, str))
    if qtype in ("single", "truefalse"):
        return (response["choice"],) if isinstance(response.get("choice"), str) and response["choice"] else ()
    if qtype == "fillblank":
        text = normalize_answer(str(response.get("text") or ""), case_sensitive=bool(spec.get("case_sensitive")))
        return (text,) if text else ()
    if qtype == "numerical":  # the typed text as learners wrote it, trimmed: "3,14" and "3.14" differ
        text = normalize_answer(str(response.get("text") or ""))
        return (text,) if text else ()
    return ()  # ordering: no distribution


def _item_analysis(quiz: Quiz) -> tuple[QuizStats, dict[int, _VersionInfo]]:
    rows = _current_question_grade_rows(quiz)
    version_ids = {row[1] for row in rows}
    versions = {
        pk: _VersionInfo(question_id, number, spec)
        for pk, question_id, number, spec in QuestionVersion.objects.filter(pk__in=version_ids).values_list(
            "pk", "question_id", "number", "spec"
        )
    }
    # A description (text only, worth nothing) has no statistics: left out, as in Moodle's report.
    rows = [row for row in rows if versions[row[1]].spec["qtype"] != "description"]
    # Versions of one question aggregate together: rows are keyed by the question, not the version.
    question_of = {pk: info.question_id for pk, info in versions.items()}
    mark_of = {pk: float(info.spec["mark"]) for pk, info in versions.items()}

    def choices():
        decoded: dict[tuple[int, str], tuple[str, ...]] = {}
        for _attempt_id, version_id, _score, response_text in rows:
            chosen = decoded.get((version_id, response_text))
            if chosen is None:
                chosen = decoded[version_id, response_text] = _chosen(versions[version_id].spec, response_text)
            question_id = question_of[version_id]
            for key in chosen:
                yield question_id, key

    fixed_order = list(
        quiz.slots.filter(question__isnull=False).order_by("sort_order").values_list("question_id", flat=True)
    )
    stats = analyse(
        (
            (attempt_id, question_of[version_id], score, mark_of[version_id])
            for attempt_id, version_id, score, _response in rows
        ),
        choices=choices(),
        question_order=fixed_order,
    )
    return stats, versions


def quiz_item_analysis(*, quiz: Quiz) -> QuizStats:
    """Item analysis of a quiz from the stored grades (each graded attempt's current grade):
    facility and discrimination per question, choice distribution. Three queries whatever the
    number of attempts; no model instances are built for the grade rows."""
    return _item_analysis(quiz)[0]


@dataclass(frozen=True)
class ChoiceCount:
    label: str
    count: int
    percent: float  # of the attempts that had the question
    correct: bool | None  # None: a typed answer (fill in the blank)


@dataclass(frozen=True)
class QuestionAnalysis:
    number: int
    question_id: int
    stem: str
    qtype: str
    mark: Decimal
    stats: QuestionStats
    choices: list[ChoiceCount]
    other_answers: int = 0  # fill in the blank: answers beyond the most frequent ones shown


@dataclass(frozen=True)
class ItemAnalysisReport:
    stats: QuizStats
    questions: list[QuestionAnalysis]


FILL_BLANK_ANSWERS_SHOWN = 10


def quiz_item_analysis_report(*, quiz: Quiz) -> ItemAnalysisReport:
    """quiz_item_analysis() with what the admin page shows beside it: each question's text (from
    the newest version asked) and its choices' texts with their counts."""
    stats, versions = _item_analysis(quiz)
    newest: dict[int, _VersionInfo] = {}
    texts: dict[int, dict[str, str]] = {}
    for info in sorted(versions.values(), key=lambda info: info.number):
        newest[info.question_id] = info
        texts.setdefault(info.question_id, {}).update(
            {choice["key"]: html_to_plain(choice["text"]) for choice in info.spec.get("choices", [])}
        )
    questions = []
    for number, question_stats in enumerate(stats.questions, start=1):
        info = newest[question_stats.question_id]
        spec = info.spec
        counts = question_stats.choice_counts
        attempts = question_stats.attempts or 1
        other = 0
        if spec["qtype"] in ("fillblank", "numerical"):
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            # Full marks as graded: a literal accepted answer, or a graded answer worth 100 % (issue 14).
            question_spec = spec_from_data(spec)
            full_marks = {text for text, _count in ranked if _full_marks(question_spec, text)}
            choices = [
                ChoiceCount(text, count, 100.0 * count / attempts, text in full_marks)
                for text, count in ranked[:FILL_BLANK_ANSWERS_SHOWN]
            ]
            other = sum(count for _text, count in ranked[FILL_BLANK_ANSWERS_SHOWN:])
        elif spec["qtype"] == "ordering":
            choices = []
        else:
            correct = {choice["key"]: choice["correct"] for choice in spec.get("choices", [])}
            keys = [choice["key"] for choice in spec.get("choices", [])]
            keys += sorted(key for key in counts if key not in correct)  # choices of older versions only
            choices = [
                ChoiceCount(
                    texts[info.question_id].get(key, key),
                    counts.get(key, 0),
                    100.0 * counts.get(key, 0) / attempts,
                    correct.get(key),
                )
                for key in keys
            ]
        questions.append(
            QuestionAnalysis(
                number=number,
                question_id=question_stats.question_id,
                stem=spec["stem"],
                qtype=spec["qtype"],
                mark=Decimal(spec["mark"]),
                stats=question_stats,
                choices=choices,
                other_answers=other,
            )
        )
    return ItemAnalysisReport(stats=stats, questions=questions)


def questions_for_export(*, category: QuestionCategory | None = None) -> list[ImportedQuestion]:
    """Bank questions as the formats write them (current versions), by category then age. A
    category named "A / B" is written as the path "A/B", which an import turns back into "A / B"."""
    questions = Question.objects.select_related("category", "current_version").order_by("category__name", "pk")
    if category is not None:
        questions = questions.filter(category=category)
    items = []
    for question in questions:
        if question.current_version is not None:
            spec = spec_from_data(question.current_version.spec)
        else:  # only for rows written outside the services
            spec = question_spec(question)
        items.append(
            ImportedQuestion(
                spec=spec,
                category="/".join(part.strip() for part in question.category.name.split(CATEGORY_PATH_SEPARATOR)),
                location=str(question.pk),
            )
        )
    return items


def question_regrade_scope(*, question: Question) -> int:
    """How many graded attempts asked a version of this question (what a regrade would touch)."""
    return (
        AttemptQuestion.objects.filter(version__question=question, attempt__status=Attempt.Status.GRADED)
        .values("attempt_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class AdminAnswer:
    position: int
    question_id: int
    stem: str
    qtype: str
    mark: Decimal
    response: list[str]  # the learner's answer in words: chosen texts, typed text, items in order
    right_answer: list[str]
    score: Decimal | None  # None while the attempt is open
    correct: bool | None
    overridden: bool


def _answer_in_words(spec: dict, response: dict) -> tuple[list[str], list[str]]:
    # In words: the admin pages and the personal-data archive show plain text, not the HTML.
    by_key = {choice["key"]: html_to_plain(choice["text"]) for choice in spec.get("choices", [])}
    qtype = spec["qtype"]
    if qtype in ("fillblank", "numerical"):
        given = [response["text"]] if response.get("text") else []
        return given, _full_marks_answers(spec)
    if qtype == QuestionType.ESSAY:  # no right answer: a trainer marks it
        return ([response["text"]] if response.get("text") else []), []
    if qtype == "description":
        return [], []
    if qtype == "matching":
        question = spec_from_data(spec)
        answers = match_answers(question)
        matches = response.get("matches") if isinstance(response.get("matches"), dict) else {}
        subquestions = match_subquestions(question)
        given = [
            f"{html_to_plain(p.text)} → {answers[matches[p.key]]}"
            for p in subquestions
            if matches.get(p.key) in answers
        ]
        return given, [f"{html_to_plain(p.text)} → {p.answer}" for p in subquestions]
    if qtype == "ordering":
        given = [by_key.get(key, key) for key in response.get("order", [])]
        return given, [by_key[choice["key"]] for choice in spec.get("choices", [])]
    keys = list(response.get("choices") or ()) + ([response["choice"]] if response.get("choice") else [])
    given = [by_key.get(key, key) for key in keys]
    return given, [by_key[choice["key"]] for choice in spec.get("choices", []) if choice["correct"]]


def _admin_answer(
    position: int, version, response: dict, *, score=None, correct=None, overridden: bool = False
) -> AdminAnswer:
    """One question of an attempt as a trainer reviews it: its version's words, the response in words
    and, once graded, that grade's score."""
    spec = version.spec
    given, right = _answer_in_words(spec, response)
    return AdminAnswer(
        position=position,
        question_id=version.question_id,
        stem=spec["stem"],
        qtype=spec["qtype"],
        mark=Decimal(spec["mark"]),
        response=given,
        right_answer=right,
        score=score,
        correct=correct,
        overridden=overridden,
    )


def attempt_for_admin(*, attempt: Attempt) -> tuple[AttemptGrade | None, list[AdminAnswer], list[AttemptGrade]]:
    """An attempt as a trainer reviews it: the current grade, every question with the response and
    score of that grade (or the saved answers while open), and the history of gradings."""
    history = list(attempt.grades.select_related("graded_by").latest_first())
    grade_row = history[0] if history else None
    if grade_row is not None:
        answers = [
            _admin_answer(
                qg.attempt_question.position,
                qg.version,
                qg.response or {},
                score=qg.score,
                correct=qg.correct,
                overridden=qg.overridden,
            )
            for qg in QuestionGrade.objects.filter(grade=grade_row)
            .select_related("version", "attempt_question")
            .order_by("attempt_question__position")
        ]
    else:
        responses = attempt_latest_responses(attempt)
        answers = [
            _admin_answer(aq.position, aq.version, responses.get(aq.pk, {}))
            for aq in attempt.questions.select_related("version").order_by("position")
        ]
    return grade_row, answers, history


# A person's own attempts and answers, for their data archive (privacy): {kind: (columns, rows)}.
# The answers are the learner's own (the latest saved per question, in words as well as keys);
# nothing says which answer is correct, as before submission (review settings decide that).
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    attempt_columns = (
        "id",
        "quiz_id",
        "quiz__title",
        "number",
        "status",
        "started_at",
        "deadline",
        "submitted_at",
        "closed_by",
        "pass_mark_percent",
        "max_score",
        "grade_score",
        "grade_percent",
        "grade_passed",
    )
    current = AttemptGrade.objects.filter(attempt=OuterRef("pk")).latest_first()
    attempts = list(
        Attempt.objects.filter(user=user)
        .annotate(
            grade_score=Subquery(current.values("score")[:1]),
            grade_percent=Subquery(current.values("percent")[:1]),
            grade_passed=Subquery(current.values("passed")[:1]),
        )
        .order_by("started_at", "pk")
        .values(*attempt_columns)
    )
    latest: dict[int, tuple] = {}
    for question_id, response, saved_at in (
        SavedAnswer.objects.filter(attempt_question__attempt__user=user)
        .order_by("saved_at", "id")
        .values_list("attempt_question_id", "response", "saved_at")
    ):
        latest[question_id] = (response, saved_at)
    answer_columns = (
        "attempt_id",
        "quiz__title",
        "position",
        "question",
        "question_type",
        "answer",
        "response",
        "saved_at",
    )
    answers = []
    for aq in (
        AttemptQuestion.objects.filter(attempt__user=user)
        .select_related("version", "attempt__quiz")
        .order_by("attempt__started_at", "attempt_id", "position")
    ):
        spec = aq.version.spec
        response, saved_at = latest.get(aq.pk, ({}, None))
        given, _right = _answer_in_words(spec, response or {})
        answers.append(
            {
                "attempt_id": aq.attempt_id,
                "quiz__title": aq.attempt.quiz.title,
                "position": aq.position,
                "question": html_to_plain(spec.get("stem", "")),
                "question_type": spec.get("qtype", ""),
                "answer": " | ".join(given),
                "response": response or {},
                "saved_at": saved_at,
            }
        )
    return {"quiz_attempts": (attempt_columns, attempts), "quiz_answers": (answer_columns, answers)}


# ---------------------------------------------------------------------------- essay grading queue


@dataclass(frozen=True)
class EssayToMark:
    attempt_question_id: int
    attempt: Attempt
    position: int
    stem: str
    mark: Decimal
    grader_info: str
    text: str


def essays_awaiting_grading(*, attempt_question_id: int | None = None) -> list[EssayToMark]:
    """Answered essays of submitted attempts that no trainer has marked yet, oldest submission first
    (three queries). Blank essays are not listed: they score 0 without a trainer (grading.needs_manual_grading)."""
    candidates = AttemptQuestion.objects.filter(
        attempt__status=Attempt.Status.PENDING, version__spec__qtype=QuestionType.ESSAY, essay_grade__isnull=True
    )
    if attempt_question_id is not None:
        candidates = candidates.filter(pk=attempt_question_id)
    candidates = list(
        candidates.select_related("attempt__quiz", "attempt__user", "version").order_by(
            "attempt__submitted_at", "attempt_id", "position"
        )
    )
    latest: dict[int, dict] = {}
    rows = SavedAnswer.objects.filter(attempt_question__in=[aq.pk for aq in candidates]).order_by(
        "attempt_question_id", "saved_at", "id"
    )
    for attempt_question_id, response in rows.values_list("attempt_question_id", "response"):
        latest[attempt_question_id] = response
    essays = []
    for aq in candidates:
        spec = aq.version.spec
        response = latest.get(aq.pk, {})
        if not needs_manual_grading(spec_from_data(spec), response):
            continue
        essays.append(
            EssayToMark(
                attempt_question_id=aq.pk,
                attempt=aq.attempt,
                position=aq.position,
                stem=spec["stem"],
                mark=Decimal(spec["mark"]),
                grader_info=spec.get("grader_info", ""),
                text=str(response.get("text") or ""),
            )
        )
    return essays


def essay_to_mark(*, attempt_question_id: int) -> EssayToMark | None:
    """One essay answer of the queue, or None when it is not (any longer) awaiting a mark."""
    return next(iter(essays_awaiting_grading(attempt_question_id=attempt_question_id)), None)
