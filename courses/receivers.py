"""Passing a quiz completes the course steps that hold it, inside the grading transaction."""

from django.dispatch import receiver

from quizzes.signals import attempt_graded

from .models import QuizStepPage
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
