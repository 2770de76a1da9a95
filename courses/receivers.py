"""Reactions to quiz grading, inside the grading transaction: passing a quiz completes the course
steps that hold it, and every graded attempt updates the course's stored best score and attempt count."""

from django.dispatch import receiver
from wagtail.models import Page

from quizzes.signals import attempt_graded

from .models import CourseProgress, QuizStepPage
from .selectors import quiz_scores_by_learner
from .services import CourseNotAccessible, StepLocked, StepUnavailable, step_complete


@receiver(attempt_graded)
def complete_quiz_steps_on_pass(sender, attempt, grade, **kwargs):
    if not grade.passed:
        return
    for step in QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id):
        try:
            step_complete(user=attempt.user, step=step, now=grade.graded_at, via_quiz=True)
        except (CourseNotAccessible, StepLocked, StepUnavailable):
            # Not this learner's course (or not reachable yet): nothing to complete there.
            continue


# Connected after complete_quiz_steps_on_pass, so it runs second and sees the row that a pass created.
@receiver(attempt_graded)
def store_quiz_scores_on_progress(sender, attempt, grade, **kwargs):
    """Keep CourseProgress.best_score_percent and quiz_attempts of every course holding this quiz,
    and count the submission as activity in the course (a failed attempt too: "continue where you
    left off" should bring the learner back to it). A regrade or override keeps the submission
    time, so it changes no activity. A learner without a progress row has not started the course
    (the quiz step starts it)."""
    course_paths = {
        path[: -Page.steplen]
        for path in QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id).values_list("path", flat=True)
    }
    if not course_paths:
        return
    rows = CourseProgress.objects.select_for_update(of=("self",)).filter(
        user_id=attempt.user_id, course__path__in=course_paths
    )
    for progress in rows.select_related("course"):
        best, attempts, _submitted = quiz_scores_by_learner(course=progress.course, user_id=attempt.user_id).get(
            attempt.user_id, (None, 0, None)
        )
        activity = max(filter(None, [progress.last_activity_at, attempt.submitted_at]))
        if (progress.best_score_percent, progress.quiz_attempts, progress.last_activity_at) == (
            best,
            attempts,
            activity,
        ):
            continue
        progress.best_score_percent = best
        progress.quiz_attempts = attempts
        progress.last_activity_at = activity
        progress.save(update_fields=["best_score_percent", "quiz_attempts", "last_activity_at"])
