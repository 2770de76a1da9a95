"""Reactions to quizzes: passing a quiz completes the course steps that hold it, and every graded
attempt updates the course's stored best score, attempt count and last activity (both inside the
grading transaction); a quiz result page offers the way on in the course."""

from urllib.parse import urlsplit

from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.models import Page

from config.language import sentence_with_content
from quizzes.signals import ResultLink, attempt_graded, attempt_result_links, attempt_study_beat
from studytime.services import page_view_start

from .models import CourseProgress, QuizStepPage
from .selectors import (
    NO_QUIZ_STANDING,
    course_denial_reason,
    course_for_step,
    learner_course_view,
    quiz_course_paths,
    quiz_standing_by_learner,
    with_course_attached,
)
from .services import CourseNotAccessible, StepLocked, StepUnavailable, step_complete


@receiver(attempt_graded)
def complete_quiz_steps_on_pass(sender, attempt, grade, **kwargs):
    if not grade.passed:
        return
    for step in QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id):
        # Its course attached in one query (with_course_attached): step_complete asks no more of it.
        step = with_course_attached(step)
        if step is None:  # not in a course
            continue
        try:
            step_complete(user=attempt.user, step=step, now=grade.graded_at, via_quiz=True)
        except (CourseNotAccessible, StepLocked, StepUnavailable):
            # Not this learner's course (or not reachable yet): nothing to complete there.
            continue


# Connected after complete_quiz_steps_on_pass, so it runs second and sees the row that a pass created.
@receiver(attempt_graded)
def store_quiz_scores_on_progress(sender, attempt, grade, **kwargs):
    """Keep CourseProgress.best_score_percent, quiz_attempts and makeup_passed of every course holding this quiz,
    and count the submission as activity in the course (a failed attempt too: "continue where you
    left off" should bring the learner back to it). A regrade or override keeps the submission
    time, so it changes no activity. A learner without a progress row has not started the course
    (the quiz step starts it)."""
    # The courses holding the quiz, found inside the lock's query.
    rows = CourseProgress.objects.select_for_update(of=("self",)).filter(
        user_id=attempt.user_id, course__path__in=quiz_course_paths(quiz_id=attempt.quiz_id)
    )
    for progress in rows.select_related("course"):
        # Recomputed from the attempts, not counted up or flipped by this one, so a repeated signal
        # or a regrade that fails the make-up attempt leaves the right values.
        standing = quiz_standing_by_learner(course=progress.course, user_id=attempt.user_id).get(
            attempt.user_id, NO_QUIZ_STANDING
        )
        activity = max(filter(None, [progress.last_activity_at, attempt.submitted_at]))
        stored = (
            progress.best_score_percent,
            progress.quiz_attempts,
            progress.last_activity_at,
            progress.makeup_passed,
        )
        if stored == (standing.best_percent, standing.attempts, activity, standing.makeup_passed):
            continue
        progress.best_score_percent = standing.best_percent
        progress.quiz_attempts = standing.attempts
        progress.last_activity_at = activity
        progress.makeup_passed = standing.makeup_passed
        progress.save(update_fields=["best_score_percent", "quiz_attempts", "last_activity_at", "makeup_passed"])


@receiver(attempt_study_beat, dispatch_uid="courses_attempt_study_beat")
def quiz_attempt_study_beat(sender, attempt, user, request, next_url="", **kwargs):
    """An open attempt's page beats for the quiz step the learner took it from (the step the
    result page also leads back to), in that step's course; nothing outside an open course."""
    step = _quiz_step_of_result(attempt=attempt, user=user, request=request, next_url=next_url)
    course = course_for_step(step=step) if step is not None else None
    if course is None or course_denial_reason(user=user, course=course) is not None:
        return None
    return page_view_start(user_id=user.pk, step_id=step.pk, course_id=course.pk)


def _quiz_step_of_result(*, attempt, user, request, next_url: str) -> QuizStepPage | None:
    """The live quiz step the learner took this attempt from: the one whose page they came from,
    else the one in the course they were most recently active in (a quiz may sit in several).
    Its course comes attached (with_course_attached): the exam page asks no more of the course."""
    steps = list(QuizStepPage.objects.live().filter(quiz_id=attempt.quiz_id).order_by("path"))
    if len(steps) <= 1:
        return with_course_attached(steps[0]) if steps else None
    came_from = urlsplit(next_url).path if next_url else ""
    for step in steps:
        if came_from and step.get_url(request) == came_from:
            return with_course_attached(step)
    by_course_path = {step.path[: -Page.steplen]: step for step in steps}
    latest = (
        CourseProgress.objects.filter(user=user, course__path__in=list(by_course_path))
        .order_by("-last_activity_at", "-pk")
        .values_list("course__path", flat=True)
        .first()
    )
    return with_course_attached(by_course_path.get(latest, steps[0]))


@receiver(attempt_result_links, dispatch_uid="courses_result_links")
def offer_the_way_on(sender, attempt, user, request, next_url="", **kwargs):
    """From a quiz result back into the course: the next step once the quiz step is done, the
    quiz step again (to retry) when it is not, and the course page (where the certificate is)
    once the course is completed."""
    step = _quiz_step_of_result(attempt=attempt, user=user, request=request, next_url=next_url)
    course = course_for_step(step=step) if step is not None else None
    if course is None or course_denial_reason(user=user, course=course) is not None:
        return []
    learning = learner_course_view(user=user, course=course, request=request, current_step=step)
    back = ResultLink(_("Back to the course"), course.get_url(request))
    if learning.completed:
        note = sentence_with_content(
            _("You have completed “%(course)s”. Your certificate is on the course page."), course=course.title
        )
        return [ResultLink(back.label, back.url, primary=True, note=note)]
    current = learning.current
    if current is None:
        return [back]
    if current.status != "done":
        return [
            ResultLink(sentence_with_content(_("Back to “%(step)s”"), step=current.title), current.url, primary=True),
            back,
        ]
    ahead = learning.next if learning.next is not None and learning.next.status != "done" else learning.resume
    if ahead is None:
        return [back]
    return [
        ResultLink(sentence_with_content(_("Next step: %(step)s"), step=ahead.title), ahead.url, primary=True),
        back,
    ]
