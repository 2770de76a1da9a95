"""Credit hours follow the events of the apps below, in the same transaction.

hours sits above courses and quizzes: it listens to courses' completion events (one channel for a
single completion and a bulk recompute alike) and to quizzes' attempt_graded, so neither app
imports hours."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from assignments.signals import assignment_people_changed, required_courses_changed
from courses.completion import course_completed, course_completion_revoked
from courses.models import CourseOutline, CoursePage
from courses.selectors import quiz_course_paths
from quizzes.signals import attempt_graded

from . import services


@receiver(course_completed, dispatch_uid="hours_course_completed")
def course_was_completed(sender, progress, completed_at, **kwargs):
    # Idempotent: a completion that only changed its time finds its entry.
    course = CoursePage.objects.filter(pk=progress.course_id).first()
    if course is not None:
        entry = services.hours_course_completed(user_id=progress.user_id, course=course, completed_at=completed_at)
        # Before certificates hear of the completion (their receivers connect after these). The
        # bonus is of the completion's kind (required or elective), kept alike by hours_reclassify_*.
        services.hours_final_exam_bonus_at_completion(user_id=progress.user_id, course=course, kind=entry.kind)


@receiver(course_completion_revoked, dispatch_uid="hours_course_completion_revoked")
def course_completion_was_revoked(sender, progress, **kwargs):
    services.hours_course_completion_revoked(user_id=progress.user_id, course_id=progress.course_id)


@receiver(post_save, sender=CourseOutline, dispatch_uid="hours_outline_saved")
def outline_saved(sender, instance, **kwargs):
    # A final exam published again or moved in: completed learners who passed it earn the bonus,
    # in the transaction that stores the outline.
    services.hours_final_exam_bonuses_sync(course_id=instance.course_id)


@receiver(required_courses_changed, dispatch_uid="hours_required_courses_changed")
def required_courses_of_a_person_changed(sender, user_id, course_ids, **kwargs):
    services.hours_reclassify_person(user_id=user_id, course_ids=course_ids)


@receiver(assignment_people_changed, dispatch_uid="hours_assignment_people_changed")
def assignment_people_were_changed(sender, course_id, user_ids, **kwargs):
    # The course's entries at once (two updates), whoever of its people changed.
    services.hours_reclassify_course(course_id=course_id)


@receiver(attempt_graded, dispatch_uid="hours_attempt_graded")
def bonus_on_final_exam(sender, attempt, grade, **kwargs):
    """A passed final exam earns the bonus once per course, for a learner who has the course
    (the quiz step starts it: courses' receiver runs first and writes the progress row)."""
    if not grade.passed:
        return
    course_paths = quiz_course_paths(quiz_id=attempt.quiz_id, final_exam_only=True)  # in the courses' query
    courses = CoursePage.objects.filter(path__in=course_paths, progress_rows__user_id=attempt.user_id).distinct()
    for course in courses:
        services.hours_final_exam_passed(user_id=attempt.user_id, course=course, passed_at=grade.graded_at)
