"""Writes for question banks and attempts. Grading itself is quizzes.grading (pure)."""

import dataclasses
import hashlib
import io
import logging
import random
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection

from privatefiles.storage import QUESTION_IMPORTS, private_storage

from . import signals
from .format_messages import translated
from .formats import ImportedQuestion, ImportProblem, ImportResult
from .formats.common import QuestionProblem, check_spec, clean_decimal, decimal_text, has_content
from .grading import attempt_grade, grade, needs_manual_grading, parse_number
from .models import (
    Attempt,
    AttemptGrade,
    AttemptQuestion,
    EssayGrade,
    Question,
    QuestionAnswer,
    QuestionCategory,
    QuestionChoice,
    QuestionGrade,
    QuestionMatchPair,
    QuestionVersion,
    Quiz,
    SavedAnswer,
)
from .question_html import embed_images, image_references, removed_markup, sanitise_html
from .responses import clean_answers
from .review import live_drawn_category_quizzes, may_publish_questions
from .sittings import ExamWindows, LearnerRecord, Refusal, Sitting, attempt_deadline, sitting_for
from .specs import (
    AnswerSpec,
    ChoiceSpec,
    GradeResult,
    MatchPairSpec,
    QuestionSpec,
    QuestionType,
    Scoring,
    match_answers,
    spec_from_data,
    spec_to_data,
)


class QuizError(Exception):
    """A refusal with a message for the learner."""


class AttemptsExhausted(QuizError):
    pass


class AttemptClosed(QuizError):
    """The attempt is already graded, or its deadline (plus grace) has passed."""


class QuizHasNoQuestions(QuizError):
    pass


class SittingRefused(QuizError):
    """Outside the quiz's window, or a make-up sitting the learner may not take (quizzes.sittings)."""


class AnswersStale(QuizError):
    """The answers were saved elsewhere (another tab) since the page that sends these was drawn:
    storing them would overwrite newer answers, often with blanks. Nothing is stored."""


logger = logging.getLogger(__name__)


def grace_period() -> timedelta:
    return timedelta(seconds=getattr(settings, "QUIZ_GRACE_SECONDS", 30))


# ---------------------------------------------------------------------------- question bank


def choice_key(choice: QuestionChoice) -> str:
    """An opaque, stable key for a choice. Not the row id: ids grow in the order the trainer
    typed the items, which for an ordering question is the answer."""
    digest = hashlib.blake2s(f"{settings.SECRET_KEY}:choice:{choice.pk}".encode(), digest_size=5)
    return digest.hexdigest()


def match_pair_key(pair: QuestionMatchPair) -> str:
    """An opaque, stable key for a matching question's sub-question (as choice_key)."""
    digest = hashlib.blake2s(f"{settings.SECRET_KEY}:match:{pair.pk}".encode(), digest_size=5)
    return digest.hexdigest()


def _match_pairs(question: Question) -> tuple[MatchPairSpec, ...]:
    # A pair with neither text nor answer is a blank row (Moodle ignores those too); a sub-question
    # that shows nothing (an empty paragraph) is a distractor's empty text.
    pairs = []
    for row in question.match_pairs.all():
        text = row.text if has_content(row.text) else ""
        if text or row.answer.strip():
            pairs.append(MatchPairSpec(key=match_pair_key(row), text=text, answer=row.answer.strip()))
    return tuple(pairs)


def question_spec(question: Question) -> QuestionSpec:
    """The editable question as a spec. True/false choices are keyed "true" and "false"."""
    qtype = QuestionType(question.qtype)
    if qtype == QuestionType.MATCHING:
        # Only the pairs: choices left in the form from another type are not part of the question.
        return dataclasses.replace(_question_spec(question, qtype, rows=[]), pairs=_match_pairs(question))
    return _question_spec(question, qtype, rows=list(question.choices.all()))


def _question_spec(question: Question, qtype: QuestionType, *, rows: list) -> QuestionSpec:
    if qtype == QuestionType.TRUE_FALSE:
        keys = ["true", "false"][: len(rows)]
    else:
        keys = [choice_key(choice) for choice in rows]
    choices = tuple(
        ChoiceSpec(
            key=keys[index],
            text=choice.text,
            correct=choice.correct,
            feedback=choice.feedback,
            penalty=choice.penalty,
            fraction=None if choice.fraction is None else clean_decimal(choice.fraction),
        )
        for index, choice in enumerate(rows)
    )
    accepted = tuple(line.strip() for line in question.accepted_answers.splitlines() if line.strip())
    answers = tuple(
        AnswerSpec(text=row.text.strip(), fraction=clean_decimal(row.fraction), feedback=row.feedback)
        for row in question.answers.all()
        if row.text.strip()
    )
    mark = Decimal(question.mark)
    if qtype == QuestionType.NUMERICAL:
        # Only what a numerical question uses (a type changed in the admin leaves the other rows).
        choices, accepted = (), ()
        answers = tuple(_numerical_answer(row) for row in question.answers.all() if row.text.strip())
    elif qtype == QuestionType.DESCRIPTION:
        choices, accepted, answers, mark = (), (), (), Decimal("0")
    return QuestionSpec(
        qtype=qtype,
        stem=question.stem,
        mark=mark,
        choices=choices,
        accepted_answers=accepted,
        answers=answers,
        case_sensitive=question.case_sensitive,
        scoring=Scoring(question.scoring),
        general_feedback=question.general_feedback,
        name=question.name,
        tags=tuple(sorted(question.tags.names())),
        grader_info=question.grader_info if qtype == QuestionType.ESSAY else "",
        response_max_length=question.response_max_length if qtype == QuestionType.ESSAY else None,
    )


def _numerical_answer(row: QuestionAnswer) -> AnswerSpec:
    """A numerical answer row as a spec: its number written plainly ("1,000" -> "1000"; the admin
    form and the import accept only numbers and `*`), its tolerance 0 when empty."""
    text = row.text.strip()
    number = parse_number(text) if text != "*" else None
    return AnswerSpec(
        text=decimal_text(number) if number is not None else text,
        fraction=clean_decimal(row.fraction),
        feedback=row.feedback,
        tolerance=clean_decimal(row.tolerance) if row.tolerance is not None else Decimal(0),
    )


@transaction.atomic
def question_version_save(*, question: Question, user=None) -> QuestionVersion | None:
    """The one place a version is stored: when a question is published (quizzes.receivers, and
    question_create of a live question), its row is what learners get from now on, so it becomes a
    new version when its content differs from the current one. A question that is not live (a
    draft, or one scheduled to go live later) gets none: attempts draw only published versions."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.live:
        return None
    data = spec_to_data(question_spec(question))
    if question.current_version is not None and question.current_version.spec == data:
        return None
    number = (question.versions.aggregate(latest=Max("number"))["latest"] or 0) + 1
    version = QuestionVersion.objects.create(question=question, number=number, spec=data, created_by=user)
    question.current_version = version
    question.save(update_fields=["current_version"])
    return version


@transaction.atomic
def question_create(*, spec: QuestionSpec, category: QuestionCategory, user=None, publish: bool = True) -> Question:
    """Create a bank question from a spec (imports, the demo). Published: live, with its first
    version. Not published (an import into a category a live quiz draws from, by someone who may not
    publish questions): a draft with one revision, which learners never get until a reviewer
    publishes it (then quizzes.receivers stores its first version)."""
    question = _unsaved_question(spec, category)
    question.live = publish
    question.has_unpublished_changes = not publish
    question.full_clean(exclude=["current_version", "tags"])
    question.tags.add(*spec.tags)
    question.save()
    choices, answers, pairs = _question_rows(spec, question)
    QuestionChoice.objects.bulk_create(choices)
    QuestionAnswer.objects.bulk_create(answers)
    QuestionMatchPair.objects.bulk_create(pairs)
    if publish:
        question.current_version = question_version_save(question=question, user=user)
    else:
        # Cleaned above; the revision holds the choices, answers and pairs just written.
        question.save_revision(user=user, clean=False, log_action=False)
    return question


# ---------------------------------------------------------------------------- attempts


def _draw_versions(quiz: Quiz, rng: random.Random) -> list[QuestionVersion]:
    """Three queries however many slots and however large the banks: the slots, the ids in every
    random slot's pool, the drawn versions. (Exam day: 100 learners start at once, and a pool's
    whole specs were read and parsed per slot, only to keep a few.)"""
    chosen: list[QuestionVersion | int] = []  # a version, or a drawn version's id until loaded
    used_questions: set[int] = set()
    slots = list(quiz.slots.select_related("question__current_version").order_by("sort_order"))
    pools: dict[int, list[tuple[int, int]]] = {}  # category id -> (version id, question id) by question id
    categories = {slot.random_category_id for slot in slots if not slot.question_id}
    if categories:
        current = (
            QuestionVersion.objects.filter(question__category_id__in=categories, question__live=True)
            .filter(question__current_version_id=F("pk"))
            .order_by("question_id")
        )
        for version_id, question_id, category_id in current.values_list("pk", "question_id", "question__category_id"):
            pools.setdefault(category_id, []).append((version_id, question_id))
    for slot in slots:
        if slot.question_id:
            # A question taken offline (unpublished) is asked no more; a draft has no version.
            version = slot.question.current_version if slot.question.live else None
            if version is not None and slot.question_id not in used_questions:
                chosen.append(version)
                used_questions.add(slot.question_id)
        else:
            pool = [entry for entry in pools.get(slot.random_category_id, []) if entry[1] not in used_questions]
            for version_id, question_id in rng.sample(pool, k=min(slot.random_count, len(pool))):
                chosen.append(version_id)
                used_questions.add(question_id)
    drawn = QuestionVersion.objects.in_bulk([item for item in chosen if isinstance(item, int)])
    chosen = [drawn[item] if isinstance(item, int) else item for item in chosen]
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _learner_record(quiz: Quiz, user) -> LearnerRecord:
    """What the sitting rule needs of a learner's attempts at a quiz (two queries)."""
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user).values_list("pk", "is_makeup"))
    latest: dict[int, bool] = {}
    for attempt_id, passed in (
        AttemptGrade.objects.filter(attempt__quiz=quiz, attempt__user=user)
        .order_by("attempt_id", "graded_at", "id")
        .values_list("attempt_id", "passed")
    ):
        latest[attempt_id] = passed  # ascending: the last row per attempt is its current grade
    return learner_record(attempts=attempts, passed_by_attempt=latest)


def learner_record(*, attempts: list[tuple[int, bool]], passed_by_attempt: dict[int, bool]) -> LearnerRecord:
    """(attempt id, is make-up) pairs and the graded ones' current pass as a LearnerRecord."""
    passed = any(passed_by_attempt.values())
    return LearnerRecord(
        regular_taken=sum(1 for _pk, makeup in attempts if not makeup),
        makeup_taken=sum(1 for _pk, makeup in attempts if makeup),
        failed=bool(passed_by_attempt) and not passed,
        passed=passed,
    )


def exam_windows(quiz: Quiz) -> ExamWindows:
    return ExamWindows(
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
        attempts_allowed=quiz.attempts_allowed,
        makeup_opens_at=quiz.makeup_opens_at,
        makeup_closes_at=quiz.makeup_closes_at,
        makeup_attempts=quiz.makeup_attempts,
    )


def _moment(value: datetime) -> str:
    # The learner's language's format (config/formats), in the site's time zone.
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def sitting_refusal_message(sitting: Sitting) -> str:
    """Why the learner cannot start an attempt now, for the learner, in their language."""
    refusal = sitting.refusal
    if refusal == Refusal.NOT_OPEN_YET:
        return _("This quiz opens at %(time)s. You can start it then.") % {"time": _moment(sitting.opens_at)}
    if refusal == Refusal.CLOSED:
        return _("This quiz closed at %(time)s.") % {"time": _moment(sitting.closes_at)}
    if refusal == Refusal.ATTEMPTS_USED:
        return str(_("You have used all the attempts this quiz allows."))
    if refusal == Refusal.PASSED:
        return str(_("You have passed this quiz; the make-up sitting is only for those who failed."))
    if refusal == Refusal.MAKEUP_NOT_OPEN_YET:
        return _("The make-up sitting opens at %(time)s.") % {"time": _moment(sitting.opens_at)}
    if refusal == Refusal.MAKEUP_CLOSED:
        return _("The make-up sitting closed at %(time)s.") % {"time": _moment(sitting.closes_at)}
    if refusal == Refusal.NOT_PUBLISHED:
        return str(_("This quiz is not published yet."))
    return str(_("You have used all the attempts of the make-up sitting."))


def attempt_start(
    *,
    quiz: Quiz,
    user,
    now: datetime | None = None,
    rng: random.Random | None = None,
    quiz_is_row: bool = False,
) -> Attempt:
    """Open an attempt, or return the learner's open one. Concurrent starts give one attempt:
    the database allows one open attempt per learner and quiz, and numbers are unique. The exam
    policy (quizzes.sittings) decides whether a new attempt may start, and whether it is a make-up;
    an open attempt already past its deadline is first closed as its time-out policy says.
    quiz_is_row: the caller has just read `quiz` from its table in this request (a join), so it is
    not read again."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    # The rules come from the quiz's row, never from the instance given (unless it was just read
    # from the row): while the quiz is live its row (and slots) is the published version, edits
    # waiting for review live in revisions.
    if not quiz_is_row:
        quiz = Quiz.objects.get(pk=quiz.pk)
    with transaction.atomic():
        existing = Attempt.objects.select_for_update().filter(quiz=quiz, user=user, status=Attempt.Status.OPEN).first()
        if existing is not None:
            if not attempt_past_deadline(existing, now):
                return existing
            _close_and_grade(existing, closed_by=Attempt.ClosedBy.DEADLINE, now=now)
        if not quiz.live:
            raise SittingRefused(sitting_refusal_message(Sitting(refusal=Refusal.NOT_PUBLISHED)))
        record = _learner_record(quiz, user)
        sitting = sitting_for(exam_windows(quiz), record, now)
        if not sitting.allowed:
            error = AttemptsExhausted if sitting.refusal == Refusal.ATTEMPTS_USED else SittingRefused
            raise error(sitting_refusal_message(sitting))
        taken = record.regular_taken + record.makeup_taken  # every attempt at the quiz, as read just now
        versions = _draw_versions(quiz, rng)
        if not versions:
            raise QuizHasNoQuestions(_("This quiz has no questions yet."))
        time_limit = timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    quiz=quiz,
                    user=user,
                    number=taken + 1,
                    is_makeup=sitting.makeup,
                    timeout_policy=quiz.timeout_policy,
                    started_at=now,
                    deadline=attempt_deadline(started_at=now, time_limit=time_limit, closes_at=sitting.closes_at),
                    pass_mark_percent=quiz.pass_mark_percent,
                    max_score=sum((Decimal(v.spec["mark"]) for v in versions), Decimal("0")),
                )
        except IntegrityError:
            # Another request opened (or numbered) an attempt first: use that one.
            attempt = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.Status.OPEN).first()
            if attempt is None:
                raise AttemptsExhausted(_("You have used all the attempts this quiz allows.")) from None
            return attempt
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                version=version,
                choice_order=(
                    _match_order(version, shuffle=quiz.shuffle_choices, rng=rng)
                    if version.spec["qtype"] == QuestionType.MATCHING
                    else _choice_order(version, shuffle=quiz.shuffle_choices, rng=rng)
                ),
            )
            for position, version in enumerate(versions, start=1)
        )
    return attempt


def _choice_order(version: QuestionVersion, *, shuffle: bool, rng: random.Random) -> list[str]:
    keys = [choice["key"] for choice in version.spec.get("choices", [])]
    qtype = version.spec["qtype"]
    if qtype == QuestionType.TRUE_FALSE:
        return keys
    if qtype == QuestionType.ORDERING or shuffle:
        # Ordering items are always shown shuffled: their stored order is the answer.
        shuffled = keys[:]
        for _ in range(5):
            rng.shuffle(shuffled)
            if shuffled != keys or len(keys) < 2:
                break
        return shuffled
    return keys


def _match_order(version: QuestionVersion, *, shuffle: bool, rng: random.Random) -> list[str]:
    """A matching question's sub-question keys (shuffled when the quiz shuffles choices, as Moodle's
    shufflestems), then its answer keys, always shuffled (as Moodle does): the answers' order comes
    from this attempt's draw, never from the pairs' order, so it says nothing about the pairing."""
    spec = spec_from_data(version.spec)
    stems = [pair.key for pair in spec.pairs if pair.text]
    if shuffle:
        rng.shuffle(stems)
    answers = list(match_answers(spec))
    rng.shuffle(answers)
    return stems + answers


def attempt_past_deadline(attempt: Attempt, now: datetime) -> bool:
    """The rule for a timed attempt: answers count until the deadline plus the grace period
    (network delay, a slow submit); the server's clock decides. The overdue finaliser asks the
    same in SQL (deadline < now - grace)."""
    return attempt.deadline is not None and now > attempt.deadline + grace_period()


def attempt_accepts_answers(attempt: Attempt, now: datetime) -> bool:
    """Open, and not past its deadline plus the grace period."""
    return attempt.status == Attempt.Status.OPEN and not attempt_past_deadline(attempt, now)


def _locked_own_attempt(attempt_id: int, user) -> Attempt:
    # Only the attempt's row: locking the joined quiz too (FOR UPDATE on every joined table) made
    # all submits of one exam queue behind each other and held up new attempts' foreign-key checks.
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id, user=user)
    attempt.user = user  # looked up by it: the grade's receivers ask no query for it
    return attempt


def _specs_by_position(
    attempt: Attempt, attempt_questions: list[AttemptQuestion] | None = None
) -> dict[int, tuple[AttemptQuestion, QuestionSpec]]:
    """By position. `attempt_questions` (with their versions) saves reading them again: they are
    written with the attempt and never change, so rows read before its lock are still exact."""
    if attempt_questions is None or any(aq.attempt_id != attempt.pk for aq in attempt_questions):
        attempt_questions = attempt.questions.select_related("version").order_by("position")
    return {aq.position: (aq, spec_from_data(aq.version.spec)) for aq in attempt_questions}


@dataclass(frozen=True)
class SaveResult:
    saved: int
    saved_at: datetime
    version: int  # the attempt's answers version after this save
    previous_version: int  # ... and before it: a page that knew this one is still up to date


def attempt_answers_version(attempt_id: int) -> int:
    """The version of an attempt's answers: the id of its latest SavedAnswer (0 before any).
    Answers are append-only rows, so any save from anywhere changes it; read under the attempt's
    row lock it is exact."""
    return SavedAnswer.objects.filter(attempt_question__attempt_id=attempt_id).aggregate(v=Max("pk"))["v"] or 0


def _check_version(
    attempt: Attempt, questions, cleaned: dict[int, dict], expected_version: int | None, saved: list | None = None
) -> None:
    """Refuse answers that would overwrite, with something different, an answer saved after the
    page that sends them was drawn (another tab's). An answer saved since that the post repeats
    (this tab's own autosave, still in flight when the form was sent) is no conflict. `saved`:
    the attempt's saved rows (_saved_rows), already read under its lock."""
    if expected_version is None:
        return
    newer: dict[int, dict] = {}
    if saved is None:
        rows = SavedAnswer.objects.filter(attempt_question__attempt=attempt, pk__gt=expected_version).order_by("id")
        pairs = rows.values_list("attempt_question_id", "response")
    else:
        pairs = [(row[1], row[3]) for row in sorted(saved) if row[0] > expected_version]
    for attempt_question_id, response in pairs:
        newer[attempt_question_id] = response
    if any(
        questions[position][0].pk in newer and newer[questions[position][0].pk] != response
        for position, response in cleaned.items()
    ):
        raise AnswersStale(
            _(
                "Your answers were changed in another window or tab after this page was opened, so "
                "nothing was saved. The page now shows the latest saved answers: check them and save again."
            )
        )


def answers_save(
    *, attempt_id: int, user, answers: object, now: datetime | None = None, expected_version: int | None = None
) -> SaveResult:
    """Validate every answer first, then store them all, or nothing. With `expected_version` (the
    form post: it sends every field, blanks included) an answer that differs from one saved since
    that version refuses the save (AnswersStale); autosave sends only the questions just changed
    and passes None."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_own_attempt(attempt_id, user)
        if not attempt_accepts_answers(attempt, now):
            raise AttemptClosed(_("This attempt is closed; your answer was not saved."))
        questions = _specs_by_position(attempt)
        cleaned = clean_answers({position: spec for position, (_aq, spec) in questions.items()}, answers)
        previous = attempt_answers_version(attempt.pk)
        _check_version(attempt, questions, cleaned, expected_version)
        SavedAnswer.objects.bulk_create(
            SavedAnswer(attempt_question=questions[position][0], response=response, saved_at=now)
            for position, response in cleaned.items()
        )
        version = attempt_answers_version(attempt.pk) if cleaned else previous
    return SaveResult(saved=len(cleaned), saved_at=now, version=version, previous_version=previous)


def _saved_rows(attempt: Attempt) -> list[tuple[int, int, datetime, dict]]:
    """Every saved answer of the attempt as (id, attempt question id, saved_at, response)."""
    rows = SavedAnswer.objects.filter(attempt_question__attempt=attempt)
    return list(rows.values_list("pk", "attempt_question_id", "saved_at", "response"))


def _latest_of(saved: list[tuple[int, int, datetime, dict]]) -> dict[int, dict]:
    """The latest saved answer per attempt question, of rows already read: the last by saved_at,
    then id (every autosave is kept; the last counts). The one home of that rule."""
    latest: dict[int, dict] = {}
    for _pk, attempt_question_id, _saved_at, response in sorted(saved, key=lambda row: (row[1], row[2], row[0])):
        latest[attempt_question_id] = response
    return latest


def attempt_responses_and_version(attempt: Attempt) -> tuple[dict[int, dict], int]:
    """The latest saved answer per attempt question and the answers version they make (the id of
    the latest SavedAnswer, 0 before any), from one read: a page drawn from them sends back the
    version of exactly the answers it shows, even when another tab saves in between (read apart,
    a save landing between the two reads gave a page of older answers with the newer version, and
    its submit was not refused as stale)."""
    saved = _saved_rows(attempt)
    return _latest_of(saved), max((row[0] for row in saved), default=0)


def attempt_latest_responses(attempt: Attempt) -> dict[int, dict]:
    """The latest saved answer per attempt question (every autosave is kept; the last counts)."""
    return attempt_responses_and_version(attempt)[0]


def _record_grade(
    attempt: Attempt,
    *,
    reason: str,
    now: datetime,
    graded_by=None,
    note: str = "",
    versions: dict[int, QuestionVersion] | None = None,
    overrides: dict[int, Decimal] | None = None,
    attempt_questions: list[AttemptQuestion] | None = None,
    responses: dict[int, dict] | None = None,
    specs: dict[int, QuestionSpec] | None = None,
) -> AttemptGrade:
    """Grade every question of the attempt (with given versions for a regrade) into new rows.
    Essays score the trainer's mark once they have one (EssayGrade), and 0 until then.
    `responses` (the latest per attempt question) and `specs` (of the attempt's own versions, by
    attempt question id) save the submit reading and parsing again what it already has."""
    if responses is None:
        responses = attempt_latest_responses(attempt)
    rows = []
    max_score = Decimal("0")
    if attempt_questions is None:
        attempt_questions = list(attempt.questions.select_related("version").order_by("position"))
    essay_marks = _essay_marks(attempt, attempt_questions, versions)
    # The quiz's time-out policy when the attempt started: not submitted by its deadline, it
    # counts as a fail with zero (the answers are kept in the grade rows, each scored 0).
    zeroed = attempt.closed_by == Attempt.ClosedBy.DEADLINE and attempt.timeout_policy == Quiz.TimeoutPolicy.ZERO
    for aq in attempt_questions:
        version = (versions or {}).get(aq.pk, aq.version)
        spec = specs[aq.pk] if specs and aq.pk in specs and version is aq.version else spec_from_data(version.spec)
        response = responses.get(aq.pk, {})
        result = grade(spec, response)
        score, fraction, correct = result.score, result.fraction, result.correct
        if aq.pk in essay_marks and spec.qtype == QuestionType.ESSAY:
            score, fraction, correct = _manual_score(essay_marks[aq.pk], spec.mark)
        if zeroed:
            score, fraction, correct = Decimal("0"), Decimal("0"), False
        if overrides and aq.pk in overrides:
            score = overrides[aq.pk]
            score, fraction, correct = _manual_score(score, spec.mark)
        max_score += spec.mark
        rows.append((aq, version, response, score, fraction, correct, bool(overrides and aq.pk in overrides)))
    score, percent, passed = attempt_grade(
        [GradeResult(score=row[3], fraction=row[4], correct=row[5]) for row in rows],
        max_score=max_score,
        pass_mark_percent=attempt.pass_mark_percent,
    )
    attempt_grade_row = AttemptGrade.objects.create(
        attempt=attempt,
        reason=reason,
        score=score,
        max_score=max_score,
        percent=percent,
        passed=passed,
        note=note,
        graded_at=now,
        graded_by=graded_by,
    )
    QuestionGrade.objects.bulk_create(
        QuestionGrade(
            grade=attempt_grade_row,
            attempt_question=aq,
            version=version,
            response=response,
            score=score,
            fraction=fraction,
            correct=correct,
            overridden=overridden,
        )
        for aq, version, response, score, fraction, correct, overridden in rows
    )
    return attempt_grade_row


def _essay_marks(
    attempt: Attempt, attempt_questions: list[AttemptQuestion], versions: dict[int, QuestionVersion] | None
) -> dict[int, Decimal]:
    """The trainers' marks of the attempt's essays; no query for an attempt without essays."""
    if not any((versions or {}).get(aq.pk, aq.version).spec["qtype"] == QuestionType.ESSAY for aq in attempt_questions):
        return {}
    return dict(EssayGrade.objects.filter(attempt_question__attempt=attempt).values_list("attempt_question_id", "mark"))


def _manual_score(score: Decimal, mark: Decimal) -> tuple[Decimal, Decimal, bool | None]:
    """(score, fraction, correct) of a score a trainer gave (an override, an essay's mark)."""
    fraction = (score / mark).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return score, fraction, True if score == mark else False if score == 0 else None


def _essays_to_mark(attempt_questions: list[AttemptQuestion], responses: dict[int, dict]) -> list[AttemptQuestion]:
    """The attempt's essays answered, which a trainer marks before the attempt has a grade."""
    return [
        aq
        for aq in attempt_questions
        if aq.version.spec["qtype"] == QuestionType.ESSAY
        and needs_manual_grading(spec_from_data(aq.version.spec), responses.get(aq.pk))
    ]


def _close_and_grade(
    attempt: Attempt,
    *,
    closed_by: str,
    now: datetime,
    attempt_questions: list[AttemptQuestion] | None = None,
    responses: dict[int, dict] | None = None,
    specs: dict[int, QuestionSpec] | None = None,
) -> AttemptGrade | None:
    """Close the attempt and grade it; None when it holds answered essays: it then awaits a trainer's
    marks (Attempt.Status.PENDING, no grade, nothing announced) unless its time-out policy zeroes it."""
    if attempt_questions is None:
        attempt_questions = list(attempt.questions.select_related("version").order_by("position"))
    if responses is None:
        responses = attempt_latest_responses(attempt)
    zeroed = closed_by == Attempt.ClosedBy.DEADLINE and attempt.timeout_policy == Quiz.TimeoutPolicy.ZERO
    if not zeroed and _essays_to_mark(attempt_questions, responses):
        attempt.status = Attempt.Status.PENDING
        attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
        attempt.closed_by = closed_by
        attempt.save(update_fields=["status", "submitted_at", "closed_by"])
        return None
    attempt.status = Attempt.Status.GRADED
    # Finished when the learner finished, or at the deadline for an attempt closed after it (a
    # submit within the grace period, the overdue finaliser minutes later): never the moment a
    # late request or job happened to be processed. Grading time is the grade's graded_at.
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.closed_by = closed_by
    attempt.save(update_fields=["status", "submitted_at", "closed_by"])
    grade_row = _record_grade(
        attempt,
        reason=AttemptGrade.Reason.SUBMITTED,
        now=now,
        attempt_questions=attempt_questions,
        responses=responses,
        specs=specs,
    )
    _announce_graded(attempt, grade_row)
    return grade_row


def _announce_graded(attempt: Attempt, grade_row: AttemptGrade) -> None:
    """Every path that grades (submit, the deadline finaliser, an override, a regrade) announces
    here, inside its transaction: the receivers (the course's step, best scores, final-exam hours)
    write rows that must commit or roll back with the grade, and lock rows as they do."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("attempt_graded must be sent inside the grading transaction")
    signals.attempt_graded.send(sender=Attempt, attempt=attempt, grade=grade_row)


def attempt_submit(
    *,
    attempt_id: int,
    user,
    answers: object = None,
    now: datetime | None = None,
    expected_version: int | None = None,
    timed_out: bool = False,
    attempt_questions: list[AttemptQuestion] | None = None,
) -> AttemptGrade | None:
    """Submit and grade once. A repeated or late submit is refused and changes nothing;
    answers arriving after the deadline and grace period are not stored. With `expected_version`,
    answers saved since that version refuse the submit (AnswersStale) while answers still count.
    `timed_out`: the page's clock reached the deadline and sent the form itself; the attempt is
    closed at the deadline (its time-out policy applies), not by the learner. None: the attempt holds
    essays and awaits a trainer's marks (essay_grade). `attempt_questions`: the attempt's questions
    with their versions, when the caller has read them already.

    Exam day's costliest request (benchmarks/quiz_submit.py), so it reads each thing once: the
    attempt (locked), its questions, its saved answers; then writes the answers, the attempt's
    status, the grade and the question grades."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_own_attempt(attempt_id, user)
        if attempt.status != Attempt.Status.OPEN:
            raise AttemptClosed(_("This attempt has already been submitted."))
        questions = _specs_by_position(attempt, attempt_questions)
        responses = None
        if answers and attempt_accepts_answers(attempt, now):
            cleaned = clean_answers({position: spec for position, (_aq, spec) in questions.items()}, answers)
            saved = _saved_rows(attempt)
            _check_version(attempt, questions, cleaned, expected_version, saved)
            created = SavedAnswer.objects.bulk_create(
                SavedAnswer(attempt_question=questions[position][0], response=response, saved_at=now)
                for position, response in cleaned.items()
            )
            if all(row.pk is not None for row in created):  # ids returned (PostgreSQL, SQLite)
                saved += [(row.pk, row.attempt_question_id, row.saved_at, row.response) for row in created]
                responses = _latest_of(saved)
        closed_by = Attempt.ClosedBy.LEARNER
        if attempt_past_deadline(attempt, now) or (timed_out and attempt.deadline is not None):
            closed_by = Attempt.ClosedBy.DEADLINE
        return _close_and_grade(
            attempt,
            closed_by=closed_by,
            now=now,
            attempt_questions=[aq for aq, _spec in questions.values()],
            responses=responses,
            specs={aq.pk: spec for aq, spec in questions.values()},
        )


def attempts_finalise_overdue(*, now: datetime | None = None) -> int:
    """Grade open attempts whose deadline and grace have passed, from their saved answers.
    Safe to run twice or alongside a late submit: each attempt is locked and re-checked."""
    now = now or timezone.now()
    overdue_ids = list(
        Attempt.objects.filter(status=Attempt.Status.OPEN, deadline__lt=now - grace_period()).values_list(
            "pk", flat=True
        )
    )
    finalised = 0
    for attempt_id in overdue_ids:
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update(skip_locked=True).filter(pk=attempt_id).first()
            if attempt is None or attempt.status != Attempt.Status.OPEN:
                continue
            _close_and_grade(attempt, closed_by=Attempt.ClosedBy.DEADLINE, now=now)
            finalised += 1
    return finalised


# ---------------------------------------------------------------------------- corrections


def attempt_grade_override(
    *, attempt: Attempt, position: int, score: Decimal, reason: str, user, now: datetime | None = None
) -> AttemptGrade:
    """A trainer sets one question's score, with a reason; recorded in Wagtail's audit log. The
    score the question is already overridden to changes nothing and writes nothing (the form sent
    twice): the current grade is returned."""
    now = now or timezone.now()
    if not reason.strip():
        raise QuizError(_("Give a reason for the override."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != Attempt.Status.GRADED:
            raise QuizError(_("Only graded attempts can be overridden."))
        aq = attempt.questions.select_related("version").get(position=position)
        mark = Decimal(aq.version.spec["mark"])
        if not Decimal("0") <= score <= mark:
            raise QuizError(_("The score must be between 0 and %(mark)s.") % {"mark": mark})
        overrides = _current_overrides(attempt)
        if overrides.get(aq.pk) == score:
            return current_grade(attempt=attempt)
        overrides[aq.pk] = score
        grade_row = _record_grade(
            attempt,
            reason=AttemptGrade.Reason.OVERRIDE,
            now=now,
            graded_by=user,
            note=reason,
            versions=_current_versions(attempt),
            overrides=overrides,
        )
        log(
            instance=attempt.quiz,
            action="quizzes.grade_override",
            user=user,
            data={
                "attempt": attempt.pk,
                "learner": attempt.user_id,
                "question": position,
                "score": str(score),
                "reason": reason,
                "percent": str(grade_row.percent),
            },
        )
        _announce_graded(attempt, grade_row)
    return grade_row


class EssayAlreadyGraded(QuizError):
    """Another trainer marked this answer first; nothing was stored."""


def essay_grade(
    *, attempt_question_id: int, mark: Decimal, comment: str, user, now: datetime | None = None
) -> EssayGrade:
    """A trainer marks one essay answer of an attempt awaiting grading, with a comment the learner
    sees in the review; logged in Wagtail's audit log. When it was the attempt's last essay to mark,
    the attempt is graded (a new AttemptGrade, reason "manual") and announced in this transaction, so
    a pass completes the course step once. Two trainers marking the same answer at once: the attempt's
    row lock makes the second wait and then refuses it (EssayAlreadyGraded); the one-grade-per-answer
    constraint backs that up."""
    now = now or timezone.now()
    with transaction.atomic():
        aq = AttemptQuestion.objects.select_related("version").filter(pk=attempt_question_id).first()
        if aq is None or aq.version.spec["qtype"] != QuestionType.ESSAY:
            raise QuizError(_("This is not an essay answer."))
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=aq.attempt_id)
        if EssayGrade.objects.filter(attempt_question=aq).exists():
            raise EssayAlreadyGraded(_("Another trainer has already marked this answer."))
        if attempt.status != Attempt.Status.PENDING:
            raise QuizError(_("This attempt is not awaiting grading."))
        spec = spec_from_data(aq.version.spec)
        if not Decimal("0") <= mark <= spec.mark:
            raise QuizError(_("The score must be between 0 and %(mark)s.") % {"mark": spec.mark})
        try:
            with transaction.atomic():
                row = EssayGrade.objects.create(
                    attempt_question=aq, mark=mark, comment=comment.strip(), graded_at=now, graded_by=user
                )
        except IntegrityError:
            raise EssayAlreadyGraded(_("Another trainer has already marked this answer.")) from None
        attempt_questions = list(attempt.questions.select_related("version").order_by("position"))
        responses = attempt_latest_responses(attempt)
        marked = set(
            EssayGrade.objects.filter(attempt_question__attempt=attempt).values_list("attempt_question_id", flat=True)
        )
        remaining = [q for q in _essays_to_mark(attempt_questions, responses) if q.pk not in marked]
        grade_row = None
        if not remaining:
            attempt.status = Attempt.Status.GRADED
            attempt.save(update_fields=["status"])
            grade_row = _record_grade(
                attempt,
                reason=AttemptGrade.Reason.MANUAL,
                now=now,
                graded_by=user,
                attempt_questions=attempt_questions,
                responses=responses,
            )
        log(
            instance=attempt.quiz,
            action="quizzes.essay_grade",
            user=user,
            data={
                "attempt": attempt.pk,
                "learner": attempt.user_id,
                "question": aq.position,
                "score": str(mark),
                "comment": row.comment,
                "percent": None if grade_row is None else str(grade_row.percent),
            },
        )
        if grade_row is not None:
            _announce_graded(attempt, grade_row)
    return row


def current_grade(*, attempt: Attempt) -> AttemptGrade | None:
    """An attempt's grade is its latest grading (AttemptGrade.objects.latest_first)."""
    return attempt.grades.latest_first().first()


def _current_versions(attempt: Attempt) -> dict[int, QuestionVersion]:
    grade_row = current_grade(attempt=attempt)
    if grade_row is None:
        return {}
    return {qg.attempt_question_id: qg.version for qg in grade_row.question_grades.select_related("version")}


def _current_overrides(attempt: Attempt) -> dict[int, Decimal]:
    """Overrides stay in force through later regrades: the trainer's judgement wins."""
    grade_row = current_grade(attempt=attempt)
    if grade_row is None:
        return {}
    return dict(grade_row.question_grades.filter(overridden=True).values_list("attempt_question_id", "score"))


def question_regrade(*, question: Question, user, now: datetime | None = None) -> int:
    """After a question is corrected, grade every graded attempt that asked it again against
    the current version. Returns the number of attempts regraded; logged in the audit log."""
    now = now or timezone.now()
    current = question.current_version
    if current is None:
        return 0
    attempt_ids = list(
        AttemptQuestion.objects.filter(version__question=question, attempt__status=Attempt.Status.GRADED)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    regraded = 0
    for attempt_id in attempt_ids:
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
            versions = _current_versions(attempt)
            for aq in attempt.questions.filter(version__question=question):
                versions[aq.pk] = current
            previous = current_grade(attempt=attempt)
            grade_row = _record_grade(
                attempt,
                reason=AttemptGrade.Reason.REGRADE,
                now=now,
                graded_by=user,
                note=f"question {question.pk} v{current.number}",
                versions=versions,
                overrides=_current_overrides(attempt),
            )
            regraded += 1
            if previous is None or previous.passed != grade_row.passed or previous.score != grade_row.score:
                _announce_graded(attempt, grade_row)
    log(instance=question, action="quizzes.regrade", user=user, data={"version": current.number, "attempts": regraded})
    return regraded


# ---------------------------------------------------------------------------- import


CATEGORY_PATH_SEPARATOR = " / "
# Imported images go into this collection (created on first use). A fixed name in both languages:
# the import finds it again by name whatever language its trainer reads the admin in.
QUESTION_MEDIA_COLLECTION = "导入题目的图片 · Imported question media"
# What Wagtail can show, by Pillow's name for the format -> file extension.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def import_category_name(
    item: ImportedQuestion, *, default_category: QuestionCategory | None, use_file_categories: bool
) -> str | None:
    """The name of the category a question goes into: its path in the file joined with " / "
    ("信息安全/口令" -> "信息安全 / 口令"), else the chosen category; None when there is neither."""
    if use_file_categories:
        parts = [part.strip() for part in item.category.split("/") if part.strip()]
        if parts:
            return CATEGORY_PATH_SEPARATOR.join(parts)
    return default_category.name if default_category is not None else None


def _unsaved_question(spec: QuestionSpec, category: QuestionCategory | None = None) -> Question:
    """A spec's question row, unsaved: question_create() stores it, the import's dry run checks it."""
    return Question(
        category=category,
        name=spec.name,
        qtype=str(spec.qtype),
        stem=spec.stem,
        mark=spec.mark,
        scoring=str(spec.scoring),
        accepted_answers="\n".join(spec.accepted_answers),
        case_sensitive=spec.case_sensitive,
        general_feedback=spec.general_feedback,
        grader_info=spec.grader_info,
        response_max_length=spec.response_max_length,
    )


def _question_rows(
    spec: QuestionSpec, question: Question
) -> tuple[list[QuestionChoice], list[QuestionAnswer], list[QuestionMatchPair]]:
    """A spec's choice, answer and match-pair rows of the question, unsaved: question_create() stores
    them and the import's dry run checks them, so the dry run checks exactly what is written."""
    choices = [
        QuestionChoice(
            question=question,
            sort_order=index,
            text=choice.text,
            correct=choice.correct,
            feedback=choice.feedback,
            penalty=choice.penalty,
            fraction=choice.fraction,
        )
        for index, choice in enumerate(spec.choices)
    ]
    answers = [
        QuestionAnswer(
            question=question,
            sort_order=index,
            text=a.text,
            fraction=a.fraction,
            feedback=a.feedback,
            tolerance=a.tolerance,
        )
        for index, a in enumerate(spec.answers)
    ]
    pairs = [
        QuestionMatchPair(question=question, sort_order=index, text=pair.text, answer=pair.answer)
        for index, pair in enumerate(spec.pairs)
    ]
    return choices, answers, pairs


@dataclass(frozen=True)
class PreparedQuestion:
    """A question of an import as the bank would store it (the dry run shows this, the
    confirmation stores it): its spec with the bank's limits applied and its HTML sanitised (image
    embeds numbered 0 until the images exist), the images it shows, and every problem: changes
    (skipped=False) and, when it is refused, the reason (skipped=True)."""

    item: ImportedQuestion
    spec: QuestionSpec
    category_name: str | None
    images: dict
    problems: tuple[ImportProblem, ...]
    # The live quizzes drawing from its category when its importer may not publish questions: it
    # is stored as a draft awaiting review (issue 14 item 4). Empty: stored live.
    review_quizzes: tuple[str, ...] = ()

    @property
    def draft(self) -> bool:
        return bool(self.review_quizzes)

    @property
    def refused(self) -> bool:
        return any(problem.skipped for problem in self.problems)


def _image_format(data: bytes) -> str | None:
    """The file extension of an image Wagtail can show, or None."""
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            image.verify()
            return IMAGE_FORMATS.get(image.format or "")
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None


def _html_fields(spec: QuestionSpec, image_ids: dict[str, int]) -> tuple[QuestionSpec, list[str]]:
    """The spec with every text field sanitised (its images embedded), and what was removed."""
    removed: list[str] = []

    def clean(text: str) -> str:
        embedded = embed_images(text, image_ids)
        cleaned = sanitise_html(embedded)
        removed.extend(item for item in removed_markup(embedded, cleaned) if item not in removed)
        return cleaned

    choices = tuple(
        dataclasses.replace(choice, text=clean(choice.text), feedback=clean(choice.feedback)) for choice in spec.choices
    )
    # A sub-question that shows nothing once sanitised is a distractor's empty text (as in the admin).
    pairs = tuple(
        dataclasses.replace(pair, text=text if has_content(text := clean(pair.text)) else "") for pair in spec.pairs
    )
    spec = dataclasses.replace(
        spec,
        stem=clean(spec.stem),
        general_feedback=clean(spec.general_feedback),
        grader_info=clean(spec.grader_info),
        choices=choices,
        pairs=pairs,
    )
    return spec, removed


def _texts(spec: QuestionSpec) -> list[str]:
    return [
        spec.stem,
        spec.general_feedback,
        spec.grader_info,
        *(c.text for c in spec.choices),
        *(c.feedback for c in spec.choices),
        *(p.text for p in spec.pairs),
    ]


def _limited(spec: QuestionSpec) -> tuple[QuestionSpec, list[str]]:
    """The name and tags cut to what the columns hold, with a note for each cut."""
    notes = []
    name_limit = Question._meta.get_field("name").max_length
    name = " ".join(spec.name.split())
    if len(name) > name_limit:
        notes.append(
            _("The name is longer than %(limit)s characters; it was shortened to “%(name)s”.")
            % {"limit": name_limit, "name": name[:name_limit]}
        )
        name = name[:name_limit]
    tag_limit = Tag._meta.get_field("name").max_length
    tags: list[str] = []
    for tag in spec.tags:
        tag = " ".join(tag.split())
        if len(tag) > tag_limit:
            notes.append(
                _("The tag “%(tag)s…” is longer than %(limit)s characters; it was shortened.")
                % {"tag": tag[:40], "limit": tag_limit}
            )
            tag = tag[:tag_limit].strip()
        if tag and tag.casefold() not in {kept.casefold() for kept in tags}:
            tags.append(tag)
    return dataclasses.replace(spec, name=name, tags=tuple(tags)), notes


def _bank_spec(spec: QuestionSpec, image_ids: dict[str, int]) -> tuple[QuestionSpec, list[str], list[str]]:
    """An imported spec as the bank stores it (its HTML sanitised with the images embedded, then its
    name and tags cut to the columns), the markup removed and the notes on cuts: the dry run shows
    it with images numbered 0, the confirmation stores it with the stored images' ids."""
    spec, removed = _html_fields(spec, image_ids)
    spec, notes = _limited(spec)
    return spec, removed, notes


def _prepare(item: ImportedQuestion, category_name: str | None) -> PreparedQuestion:
    changes: list[str] = []
    refusals: list[str] = []
    name_limit = QuestionCategory._meta.get_field("name").max_length
    if category_name is None:
        refusals.append(_("The question has no category in the file; choose a category."))
    elif len(category_name) > name_limit:
        refusals.append(
            _("The category name “%(name)s” is longer than %(limit)s characters.")
            % {"name": category_name, "limit": name_limit}
        )

    media = {}
    for file in item.media:
        if _image_format(file.data) is None:
            changes.append(
                _(
                    "The embedded file “%(name)s” is not an image this site can show (PNG, JPEG, GIF, WebP); it was dropped."
                )
                % {"name": file.name}
            )
        else:
            media[file.name] = file
    referenced = {name for text in _texts(item.spec) for name, _alt in image_references(text)}
    embedded_names = {file.name for file in item.media}
    for name in sorted(referenced - embedded_names):
        changes.append(_("The image “%(name)s” is not inside the file; it was dropped.") % {"name": name})
    images = {name: file for name, file in media.items() if name in referenced}

    spec, removed, notes = _bank_spec(item.spec, dict.fromkeys(images, 0))
    if removed:
        changes.append(_("HTML this bank does not keep was removed: %(markup)s.") % {"markup": ", ".join(removed)})
    changes.extend(notes)
    try:
        check_spec(spec)
    except QuestionProblem as problem:
        refusals.append(translated(problem.message))
    refusals.extend(_database_refusals(spec))
    problems = [ImportProblem(item.location, message, skipped=False) for message in changes]
    problems += [ImportProblem(item.location, message) for message in refusals]
    return PreparedQuestion(item=item, spec=spec, category_name=category_name, images=images, problems=tuple(problems))


def _database_refusals(spec: QuestionSpec) -> list[str]:
    """Every value a column would refuse (decimal places of the mark, its range, choices' penalties…)."""
    messages = []
    question = _unsaved_question(spec)
    checks = [(question, ["category", "current_version", "tags"])]
    checks += [(row, ["question"]) for rows in _question_rows(spec, question) for row in rows]
    for instance, exclude in checks:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, field_messages in error.message_dict.items():
                label = instance._meta.get_field(field_name).verbose_name if field_name != "__all__" else ""
                for message in field_messages:
                    text = f"{label}: {message}" if label else message
                    if text not in messages:
                        messages.append(text)
    return messages


def questions_import_check(
    *, result: ImportResult, default_category: QuestionCategory | None, use_file_categories: bool, user=None
) -> list[PreparedQuestion]:
    """The dry run: every question of the file as the bank would store it, with every change and
    every reason to refuse it (no category, a name or value a column refuses, nothing left after
    sanitising…), and whether it would be a draft awaiting review (going into a category a live quiz
    draws from, imported by someone who may not publish questions). Writes nothing;
    questions_import() stores exactly the ones not refused, as drafts where this says so."""
    prepared = [
        _prepare(
            item,
            import_category_name(item, default_category=default_category, use_file_categories=use_file_categories),
        )
        for item in result.questions
    ]
    if may_publish_questions(user):
        return prepared
    drawn = live_drawn_category_quizzes(
        category_names={question.category_name for question in prepared if question.category_name}
    )
    return [
        dataclasses.replace(question, review_quizzes=tuple(drawn[question.category_name]))
        if question.category_name in drawn
        else question
        for question in prepared
    ]


def _question_media_collection() -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=QUESTION_MEDIA_COLLECTION).first()
    return collection or root.add_child(name=QUESTION_MEDIA_COLLECTION)


def _stored_image(file, *, alt: str, collection: Collection, user) -> int:
    """The id of a Wagtail image with this content in the collection (created when missing)."""
    image_model = get_image_model()
    digest = hashlib.sha1(file.data).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    existing = image_model.objects.filter(collection=collection, file_hash=digest).values_list("pk", flat=True).first()
    if existing:
        return existing
    # Named by content, not by the file's own name ("right_answer.png" would give the answer away).
    extension = _image_format(file.data)
    image = image_model(
        title=(alt or file.name.rsplit("/", 1)[-1])[:255],
        collection=collection,
        uploaded_by_user=user,
        file=ImageFile(io.BytesIO(file.data), name=f"question-{digest[:16]}.{extension}"),
    )
    image._set_image_file_metadata()
    image.full_clean(exclude=["file"])
    image.save()
    return image.pk


@dataclass(frozen=True)
class ImportOutcome:
    created: list
    refused: list  # PreparedQuestion left out (listed in the dry run)
    drafts: list = dataclasses.field(default_factory=list)  # the created questions awaiting review


def questions_import(
    *,
    result: ImportResult,
    default_category: QuestionCategory | None,
    user,
    use_file_categories: bool = False,
) -> ImportOutcome:
    """Store every question of an import that its dry run does not refuse; a refused question never
    stops the others. With use_file_categories, a question goes into the category named by its
    path in the file (created when missing) and default_category only takes questions without one;
    otherwise all go into default_category. Imported images become Wagtail images in the
    QUESTION_MEDIA_COLLECTION. A question going into a category a live quiz draws from, imported by
    someone who may not publish questions, is a draft awaiting review (the dry run says so)."""
    prepared = questions_import_check(
        result=result, default_category=default_category, use_file_categories=use_file_categories, user=user
    )
    created: list[Question] = []
    drafts: list[Question] = []
    refused = [question for question in prepared if question.refused]
    categories: dict[str, QuestionCategory] = {}
    if default_category is not None:
        categories[default_category.name] = default_category
    collection = None
    with transaction.atomic():
        for question in prepared:
            if question.refused:
                continue
            category = categories.get(question.category_name)
            if category is None:
                category, _created = QuestionCategory.objects.get_or_create(name=question.category_name)
                categories[question.category_name] = category
            image_ids = {}
            if question.images:
                collection = collection or _question_media_collection()
                alts = dict(reference for text in _texts(question.item.spec) for reference in image_references(text))
                image_ids = {
                    name: _stored_image(file, alt=alts.get(name, ""), collection=collection, user=user)
                    for name, file in question.images.items()
                }
            spec, _removed, _notes = _bank_spec(question.item.spec, image_ids)
            try:
                # A savepoint per question: should the database still refuse one that passed the
                # dry run (a check missing there), it is left out and the rest are stored.
                with transaction.atomic():
                    created_question = question_create(
                        spec=spec, category=category, user=user, publish=not question.draft
                    )
                    log(instance=created_question, action="wagtail.create", user=user)
            except (ValidationError, DatabaseError):
                logger.exception("An import question passed the dry run but was refused by the database")
                refused.append(question)
                continue
            created.append(created_question)
            if question.draft:
                drafts.append(created_question)
    return ImportOutcome(created=created, refused=refused, drafts=drafts)


# ---------------------------------------------------------------------------- import uploads
# An uploaded question file waits in the private storage for its dry run to be confirmed, under
# `question-imports/<token>.bin`; only the uploader's session holds the token.

_UPLOAD_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def _upload_name(token: str) -> str:
    if not _UPLOAD_TOKEN.fullmatch(token):  # never a path built from anything else
        raise ValueError("not an upload token")
    return f"{QUESTION_IMPORTS}/{token}.bin"


def question_import_upload_keep(*, data: bytes) -> str:
    """Store an uploaded file; returns its token."""
    token = secrets.token_urlsafe(32)
    private_storage().save(_upload_name(token), ContentFile(data))
    return token


def question_import_upload_read(*, token: str) -> bytes | None:
    """The kept file's bytes, or None when it is gone (confirmed, removed or expired)."""
    storage = private_storage()
    name = _upload_name(token)
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return handle.read()


def question_import_upload_delete(*, token: str) -> None:
    private_storage().delete(_upload_name(token))


def question_import_uploads_purge(*, older_than: datetime) -> int:
    """Delete kept uploads last written before `older_than`. Idempotent; returns how many."""
    storage = private_storage()
    try:
        _folders, files = storage.listdir(QUESTION_IMPORTS)
    except FileNotFoundError:
        return 0
    removed = 0
    for filename in files:
        name = f"{QUESTION_IMPORTS}/{filename}"
        try:
            if storage.get_modified_time(name) >= older_than:
                continue
        except FileNotFoundError:
            continue  # removed meanwhile by a confirmation or another run
        storage.delete(name)
        removed += 1
    return removed
