"""Reads for learners and trainers. What a learner sees before submitting never includes
which answers are correct, feedback or a score: those are only built by attempt_review()."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from .grading import combine_attempt_grades
from .models import Attempt, AttemptGrade, AttemptQuestion, QuestionGrade, Quiz, SavedAnswer
from .services import grace_period


@dataclass(frozen=True)
class ChoiceOption:
    key: str
    text: str
    position: int | None = None  # ordering: where the learner has put this item (1-based)


@dataclass(frozen=True)
class QuestionForLearner:
    """Only what the learner needs to answer: no correct flags, no feedback, no marks earned."""

    position: int
    qtype: str
    stem: str
    mark: str
    options: list[ChoiceOption]
    response: dict


def _latest_responses(attempt: Attempt) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    rows = SavedAnswer.objects.filter(attempt_question__attempt=attempt).order_by(
        "attempt_question_id", "saved_at", "id"
    )
    for attempt_question_id, response in rows.values_list("attempt_question_id", "response"):
        latest[attempt_question_id] = response
    return latest


def attempt_questions_for_learner(*, attempt: Attempt) -> list[QuestionForLearner]:
    responses = _latest_responses(attempt)
    questions = []
    for aq in attempt.questions.select_related("version").order_by("position"):
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
        questions.append(
            QuestionForLearner(
                position=aq.position,
                qtype=spec["qtype"],
                stem=spec["stem"],
                mark=spec["mark"],
                options=options,
                response=response,
            )
        )
    return questions


def seconds_left(*, attempt: Attempt, now: datetime | None = None) -> int | None:
    """Whole seconds until the deadline (the server's, not the browser's), or None if untimed."""
    if attempt.deadline is None:
        return None
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


def attempt_is_accepting(*, attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return attempt.status == Attempt.Status.OPEN and (
        attempt.deadline is None or now <= attempt.deadline + grace_period()
    )


def current_grade(*, attempt: Attempt) -> AttemptGrade | None:
    return attempt.grades.order_by("-graded_at", "-id").first()


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


def learner_quiz_summary(*, quiz: Quiz, user) -> LearnerQuizSummary:
    """The learner's attempts with their current grades and the grade across attempts (two queries)."""
    attempts = list(
        Attempt.objects.filter(quiz=quiz, user=user)
        .order_by("number")
        .prefetch_related(Prefetch("grades", queryset=AttemptGrade.objects.order_by("-graded_at", "-id")))
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
                accepted_answers=list(spec.get("accepted_answers", [])) if show_correct else [],
                general_feedback=spec.get("general_feedback", "") if show_feedback else "",
            )
        )
    return grade_row, questions
