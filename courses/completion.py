"""Course completion as events for the apps above courses (required learning, hours,
certificates): `course_completed` when a progress row becomes completed (or its completion time
changes) and `course_completion_revoked` when a completed row is set back. Both are sent inside
the saving transaction, from one place that remembers each row's loaded completion time, so the
listeners need not track it themselves."""

from django.db.models.signals import post_init, post_save
from django.dispatch import Signal, receiver

from .locks import completions_lock_shared
from .models import CourseProgress

# Keyword arguments: progress (the CourseProgress row), completed_at.
course_completed = Signal()
# Keyword arguments: progress, previously_completed_at (None when the row was loaded without it).
course_completion_revoked = Signal()

SEEN_COMPLETED = "_courses_completed_at"
UNKNOWN = object()


@receiver(post_init, sender=CourseProgress, dispatch_uid="courses_progress_loaded")
def remember_completion(sender, instance, **kwargs):
    # Read __dict__ so a deferred field is never loaded here.
    setattr(instance, SEEN_COMPLETED, instance.__dict__.get("completed_at", UNKNOWN))


@receiver(post_save, sender=CourseProgress, dispatch_uid="courses_progress_saved")
def announce_completion_change(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "completed_at" not in update_fields:
        return
    completion_change_announce(progress=instance, created=created)


def completion_change_announce(*, progress: CourseProgress, created: bool = False) -> None:
    """The one channel: compare the row's completion time with the one it was loaded with and
    announce a completion or a revocation. Called for every saved row (above) and for every row a
    bulk recompute wrote (courses.services), always inside the writing transaction."""
    before = getattr(progress, SEEN_COMPLETED, UNKNOWN)
    after = progress.completed_at
    setattr(progress, SEEN_COMPLETED, after)
    completed = after is not None and after != before
    revoked = after is None and not created and before is not None
    if completed or revoked:
        # Until the commit, nobody changes who owes the course (courses.locks).
        completions_lock_shared(progress.course_id)
    if completed:
        course_completed.send(sender=CourseProgress, progress=progress, completed_at=after)
    elif revoked:
        previously = None if before is UNKNOWN else before
        course_completion_revoked.send(sender=CourseProgress, progress=progress, previously_completed_at=previously)
