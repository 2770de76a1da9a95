"""Writes for learner progress and course outlines. Each event and the stored progress row it
changes are written in one transaction."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from outbox.services import enqueue_on_commit
from studytime.selectors import step_verified_seconds, step_watched_seconds
from studytime.services import study_time_enforced

from .completion import completion_change_announce
from .models import CourseOutline, CoursePage, CourseProgress, Enrolment, LessonPage, QuizStepPage, StepCompletion
from .progress import is_step_locked, progress_figures
from .selectors import (
    NO_QUIZ_STANDING,
    course_denial_reason,
    course_for_step,
    live_step_ids,
    outline_cache_key,
    quiz_standing_by_learner,
)


class CourseNotAccessible(PermissionDenied):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StepLocked(PermissionDenied):
    """A sequential course's step opened before the steps ahead of it were finished."""


class StepUnavailable(PermissionDenied):
    """Not a live step of a course."""


class StudyTimeShort(PermissionDenied):
    """ "Mark as done" before the step's minimum study time (STUDY_TIME_MODE = "enforce")."""

    def __init__(self, seconds_left: int):
        super().__init__(f"{seconds_left} s of study time left")
        self.seconds_left = seconds_left


def study_seconds_left(*, user, step: LessonPage, course: CoursePage) -> int:
    """Seconds of verified active time the learner still needs on this step (0: enough). The
    step's videos count only as far as they were watched: a video skipped by seeking ahead leaves
    its unwatched seconds to do, however long the page stayed open."""
    verified = step_verified_seconds(user_id=user.pk, step_id=step.pk, course_id=course.pk)
    left = step.minimum_study_seconds - verified
    lengths = step.video_lengths
    if any(lengths):
        watched = step_watched_seconds(user_id=user.pk, step_id=step.pk, course_id=course.pk, lengths=lengths)
        left = max(left, sum(max(0, length - seen) for length, seen in zip(lengths, watched, strict=True)))
    return max(0, left)


@dataclass(frozen=True)
class StepCompletionResult:
    progress: CourseProgress
    created: bool
    course_completed_now: bool
    next_step_id: int | None


def _require_access(*, user, course: CoursePage) -> None:
    reason = course_denial_reason(user=user, course=course)
    if reason is not None:
        raise CourseNotAccessible(reason)


def _locked_progress_row(
    *, user, course: CoursePage, now: datetime, step_ids: list[int] | None = None
) -> tuple[CourseProgress, bool]:
    """Ensure the enrolment and progress rows exist, then lock the progress row so that
    concurrent events for the same learner and course are applied one after the other. Returns
    (the row, whether it was created here). Many first events at once (a class pressing Start on
    an exam together, two tabs) neither duplicate a row nor fail: the enrolment is inserted with
    ON CONFLICT DO NOTHING, the progress row created in a savepoint, and a creation that lost the
    race (it waited on the unique index until the winner committed) locks the winner's row.
    `step_ids` (the live outline) is read only when the row must be created, unless given."""
    Enrolment.objects.bulk_create([Enrolment(user=user, course=course, enrolled_at=now)], ignore_conflicts=True)
    progress = CourseProgress.objects.select_for_update().filter(user=user, course=course).first()
    if progress is not None:
        return progress, False
    if step_ids is None:
        step_ids = live_step_ids(course=course)
    # Steps done before the learner started the course (moved in with their completions from a
    # course they took: step_completions_follow) count from the start, as every recompute counts them.
    figures = progress_figures(
        step_ids, set(StepCompletion.objects.filter(user=user, course=course).values_list("step_id", flat=True))
    )
    try:
        with transaction.atomic():
            progress = CourseProgress.objects.create(
                user=user,
                course=course,
                steps_done=figures.steps_done,
                steps_total=figures.steps_total,
                percent=figures.percent,
                resume_step_id=figures.resume_step_id,
                started_at=now,
                last_activity_at=now,
            )
    except IntegrityError:
        return CourseProgress.objects.select_for_update().get(user=user, course=course), False
    if figures.all_done:  # every step moved in done: a completion, announced as any other
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    # Attempts at the course's quizzes graded before the learner started it (a quiz shared with
    # another course, or a quiz step moved in) count from the start. The new row is this
    # transaction's until it commits: no one else can change it meanwhile.
    standing = quiz_standing_by_learner(course=course, user_id=user.pk).get(user.pk, NO_QUIZ_STANDING)
    if standing.attempts:
        progress.best_score_percent, progress.quiz_attempts = standing.best_percent, standing.attempts
        progress.makeup_passed = standing.makeup_passed
        CourseProgress.objects.filter(pk=progress.pk).update(
            best_score_percent=progress.best_score_percent,
            quiz_attempts=progress.quiz_attempts,
            makeup_passed=progress.makeup_passed,
        )
    return progress, True


def course_start(*, user, course: CoursePage, now: datetime | None = None) -> CourseProgress:
    """Enrol the learner (idempotent) and return their progress row."""
    _require_access(user=user, course=course)
    now = now or timezone.now()
    with transaction.atomic():
        progress, _created = _locked_progress_row(user=user, course=course, now=now)
        # A row created just now already has this time: no second write (and no second signal).
        if progress.last_activity_at != now:
            progress.last_activity_at = now
            progress.save(update_fields=["last_activity_at"])
    return progress


def course_activity_touch(*, user, course: CoursePage, now: datetime | None = None) -> None:
    """A learner opens a course they may take again (Start on its exam): course_start, but for one
    who has started it before only the activity time moves, in one UPDATE: their enrolment and
    progress row exist, no summary reads the time (reports.receivers), and there is nothing to lock
    the row for. On exam day every learner presses Start at once; the enrolment insert, the row lock
    and the transaction around them cost each press four more queries."""
    _require_access(user=user, course=course)
    now = now or timezone.now()
    if not CourseProgress.objects.filter(user=user, course=course).update(last_activity_at=now):
        course_start(user=user, course=course, now=now)  # not started yet: enrol, create the row


def step_complete(*, user, step: Page, now: datetime | None = None, via_quiz: bool = False) -> StepCompletionResult:
    """Record that the learner finished a step. Completing it again changes nothing but the
    activity time; two requests at once still give one completion row. A quiz step is completed
    only by passing its quiz (via_quiz, from courses.receivers), never by a button. A lesson step
    is refused (StudyTimeShort) before its minimum study time when STUDY_TIME_MODE is "enforce"."""
    course = course_for_step(step=step)
    if course is None:
        raise StepUnavailable(_("This page is not a step of a course."))
    if isinstance(step, QuizStepPage) and not via_quiz:
        raise StepUnavailable(_("Pass the quiz to complete this step."))
    _require_access(user=user, course=course)
    now = now or timezone.now()
    step_ids = live_step_ids(course=course)
    if step.id not in step_ids:
        raise StepUnavailable(_("This step is not published."))
    if isinstance(step, LessonPage) and study_time_enforced():
        # A step already done stays done; otherwise the time studied must reach the minimum.
        if not StepCompletion.objects.filter(user=user, step_id=step.id).exists():
            seconds_left = study_seconds_left(user=user, step=step, course=course)
            if seconds_left > 0:
                raise StudyTimeShort(seconds_left)
    with transaction.atomic():
        progress, _created = _locked_progress_row(user=user, course=course, step_ids=step_ids, now=now)
        progress.user = user  # the row's own: the completion's receivers (a certificate's name) ask no query for it
        completed = set(StepCompletion.objects.filter(user=user, course=course).values_list("step_id", flat=True))
        if step.id not in completed and is_step_locked(step_ids, completed, step.id, sequential=course.sequential):
            raise StepLocked(_("Finish the earlier steps of this course first."))
        created = False
        # Done in this course: the row exists (read under the progress row's lock, which every
        # completion of this learner and course takes). Otherwise write it; a row of the step
        # under another course (written before a move reached it: step_completions_follow) is
        # brought into this one, where every count looks for it, keeping its time.
        if step.id not in completed:
            try:
                with transaction.atomic():
                    StepCompletion.objects.create(user=user, step_id=step.id, course=course, completed_at=now)
                created = True
            except IntegrityError:
                StepCompletion.objects.filter(user=user, step_id=step.id).update(course=course)
        completed.add(step.id)
        was_completed = progress.completed_at is not None
        _apply_figures(progress, step_ids, completed, now=now)
        progress.last_activity_at = now
        # No full_clean(): its checks (the learner and course exist, one row per pair, percent at
        # most 100) are the database's own constraints, and cost six round trips on every completion.
        progress.save()
    position = step_ids.index(step.id)
    return StepCompletionResult(
        progress=progress,
        created=created,
        course_completed_now=not was_completed and progress.completed_at is not None,
        next_step_id=step_ids[position + 1] if position + 1 < len(step_ids) else None,
    )


def step_completions_follow(*, course_id: int, step_ids: list[int] | None = None) -> int:
    """Completions follow their step: the outline, the stored progress and its recompute,
    records_verify and the reports count a learner's completions per course, and a learner
    completes a step once, so a step moved into this course brings its completions along (their
    times kept). step_ids: these steps (a move); None: every step of the course, live or not (a
    repair). Returns the rows moved; idempotent. The caller recomputes the course's progress."""
    if step_ids is None:
        course = CoursePage.objects.filter(pk=course_id).first()
        if course is None:
            return 0
        step_ids = Page.objects.child_of(course).values("pk")
    return StepCompletion.objects.filter(step_id__in=step_ids).exclude(course_id=course_id).update(course_id=course_id)


def _apply_figures(progress: CourseProgress, step_ids: list[int], completed: set[int], *, now: datetime) -> bool:
    """Set the stored figures from the live outline; returns whether anything changed.
    A completed course stays completed when steps are added later: completion is a record."""
    figures = progress_figures(step_ids, completed)
    before = (
        progress.steps_done,
        progress.steps_total,
        progress.percent,
        progress.resume_step_id,
        progress.completed_at,
    )
    progress.steps_done = figures.steps_done
    progress.steps_total = figures.steps_total
    progress.percent = figures.percent
    progress.resume_step_id = figures.resume_step_id
    if figures.all_done and progress.completed_at is None:
        progress.completed_at = now
    after = (
        progress.steps_done,
        progress.steps_total,
        progress.percent,
        progress.resume_step_id,
        progress.completed_at,
    )
    return before != after


def course_progress_recompute(*, course_id: int, now: datetime | None = None) -> int:
    """Recompute every stored progress row of a course from the completion records and the
    live outline. Idempotent: a second run changes nothing. Returns the number of rows changed."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    now = now or timezone.now()
    step_ids = live_step_ids(course=course)
    completed_by_user: dict[int, set[int]] = {}
    for user_id, step_id in StepCompletion.objects.filter(course=course).values_list("user_id", "step_id"):
        completed_by_user.setdefault(user_id, set()).add(step_id)
    with transaction.atomic():
        changed = [
            row
            for row in CourseProgress.objects.select_for_update().filter(course=course).order_by("pk")
            if _apply_figures(row, step_ids, completed_by_user.get(row.user_id, set()), now=now)
        ]
        CourseProgress.objects.bulk_update(
            changed, ["steps_done", "steps_total", "percent", "resume_step", "completed_at"], batch_size=1000
        )
        # Rows written in bulk send no post_save: announce each completion the way a single save
        # does (courses.completion), in this transaction, so every listener hears it once.
        for row in changed:
            completion_change_announce(progress=row)
        CourseOutline.objects.update_or_create(course=course, defaults={"step_ids": step_ids})
    return len(changed)


def course_outline_refresh(*, course: CoursePage) -> bool:
    """Compare the course's live steps with the stored outline; when they differ, store the
    new outline and recompute progress in Celery once this transaction commits."""
    from .tasks import recompute_course_progress

    cache.delete(outline_cache_key(course.pk))  # titles or order may have changed even if the set did not
    step_ids = live_step_ids(course=course)
    with transaction.atomic():
        outline, created = CourseOutline.objects.select_for_update().get_or_create(
            course=course, defaults={"step_ids": step_ids}
        )
        if not created and outline.step_ids == step_ids:
            return False
        outline.step_ids = step_ids
        outline.save(update_fields=["step_ids", "updated_at"])
        course_id = course.pk
        enqueue_on_commit(recompute_course_progress, course_id)
    return True


def course_quiz_scores_refresh(*, course_id: int) -> int:
    """Recompute every learner's stored best quiz score and attempt count for a course from the
    graded attempts (for attempts written in bulk, which send no "graded" signal), and bring the
    last activity up to the latest submission, as courses.receivers does. Idempotent; returns the
    number of rows changed."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    standings = quiz_standing_by_learner(course=course)
    changed = []
    # Rows with graded attempts, and rows that still show a score of a quiz step no longer live.
    rows = CourseProgress.objects.filter(course_id=course_id).filter(
        Q(user_id__in=standings) | Q(quiz_attempts__gt=0) | Q(best_score_percent__isnull=False) | Q(makeup_passed=True)
    )
    for progress in rows:
        standing = standings.get(progress.user_id, NO_QUIZ_STANDING)
        activity = max(filter(None, [progress.last_activity_at, standing.last_submitted_at]))
        stored = (
            progress.best_score_percent,
            progress.quiz_attempts,
            progress.last_activity_at,
            progress.makeup_passed,
        )
        if stored != (standing.best_percent, standing.attempts, activity, standing.makeup_passed):
            progress.best_score_percent, progress.quiz_attempts = standing.best_percent, standing.attempts
            progress.last_activity_at = activity
            progress.makeup_passed = standing.makeup_passed
            changed.append(progress)
    CourseProgress.objects.bulk_update(
        changed, ["best_score_percent", "quiz_attempts", "last_activity_at", "makeup_passed"], batch_size=1000
    )
    return len(changed)


def course_records_repair(*, course_id: int) -> int:
    """Bring every record courses derives for one course back to what the raw facts say (see
    courses.verify): the outline and progress rows, then the stored best scores. One transaction,
    so what listens on commit (the department summaries) sees both. Idempotent."""
    with transaction.atomic():
        moved = step_completions_follow(course_id=course_id)
        return moved + course_progress_recompute(course_id=course_id) + course_quiz_scores_refresh(course_id=course_id)
