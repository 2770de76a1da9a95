"""Keep the stored department summaries in step with learner progress.

Reports sit above courses: they read courses' rows, and courses must not import reports. So
instead of courses calling us, we listen to Django's own model signals for courses.CourseProgress
(and the course outline, people's department changes and required-learning assignments) and enqueue a refresh in Celery once
the transaction commits; within one transaction each refresh is enqueued once."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.changes import person_change, tracked_fields_saved
from assignments.models import Assignment
from assignments.signals import assignment_people_changed, organisation_changed, required_courses_changed
from courses.models import CourseOutline, CourseProgress
from outbox.services import enqueue_after, enqueue_now

User = get_user_model()
logger = logging.getLogger(__name__)


class _OnCommitOnce:
    """A callback that remembers its key, so a pending one can be found on the connection."""

    def __init__(self, key, callback):
        self.key = key
        self.callback = callback
        self.ran = False

    def __call__(self):
        self.ran = True
        self.callback()


def on_commit_once(key, callback) -> None:
    """transaction.on_commit, de-duplicated by key within the current transaction. The pending
    callbacks sit in a dict on the connection; one whose savepoint was rolled back is no longer
    in Django's run_on_commit list, so it is registered again."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        callback()
        return
    pending = connection.__dict__.setdefault("_reports_on_commit", {})
    if not connection.run_on_commit:
        pending.clear()  # the previous transaction committed or rolled back
    known = pending.get(key)
    if known is not None and not known.ran and any(func is known for _sids, func, _robust in connection.run_on_commit):
        return
    pending[key] = _OnCommitOnce(key, callback)
    transaction.on_commit(pending[key])


def enqueue(task, *args, delay: float = 0) -> None:
    """outbox.services.enqueue_now (enqueue_after with a delay): to the broker, or to the outbox
    when it refuses; without a broker (eager mode) the task is called in-process directly."""
    if delay:
        enqueue_after(delay, task, *args)
    else:
        enqueue_now(task, *args)


def _enqueue_learner(user_id: int, course_id: int) -> None:
    on_commit_once(("learner", user_id, course_id), lambda: _enqueue_due_refresh(user_id, course_id))


def _enqueue_due_refresh(user_id: int, course_id: int) -> None:
    """After the commit: mark the pair due, and enqueue its refresh unless one is queued already."""
    from .services import summary_refresh_mark_due
    from .tasks import refresh_due_summary, refresh_learner_summaries

    try:
        department_id = summary_refresh_mark_due(user_id=user_id, course_id=course_id)
    except DatabaseError:
        # The change has committed: never fail the request, never lose the refresh.
        logger.exception("Could not mark the summary of user %s in course %s due", user_id, course_id)
        enqueue(refresh_learner_summaries, user_id, [course_id])
        return
    if department_id is not None:
        # The refresh waits a moment: the pair's changes meanwhile are read by it, not queued.
        enqueue(refresh_due_summary, department_id, course_id, delay=settings.SUMMARY_REFRESH_DELAY_SECONDS)


def _enqueue_department(department_id: int) -> None:
    from .tasks import refresh_department_summaries

    on_commit_once(("department", department_id), lambda: enqueue(refresh_department_summaries, department_id))


# Fields of a progress row that no department summary reads: a save of only these (a learner
# opening a course or an exam again: courses.services.course_start) needs no refresh.
FIELDS_NO_SUMMARY_READS = frozenset({"last_activity_at"})


@receiver(post_save, sender=CourseProgress, dispatch_uid="reports_progress_saved")
def progress_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= FIELDS_NO_SUMMARY_READS:
        return
    _enqueue_learner(instance.user_id, instance.course_id)


@receiver(post_delete, sender=CourseProgress, dispatch_uid="reports_progress_deleted")
def progress_deleted(sender, instance, **kwargs):
    # The learner may be being deleted too: find their department now, while the row exists.
    department_id = User.objects.filter(pk=instance.user_id).values_list("department_id", flat=True).first()
    if department_id is not None:
        from .tasks import refresh_summaries

        key = ("pair", department_id, instance.course_id)
        pair = [[department_id, instance.course_id]]
        on_commit_once(key, lambda: enqueue(refresh_summaries, pair))


@receiver(post_save, sender=CourseOutline, dispatch_uid="reports_outline_saved")
def outline_saved(sender, instance, **kwargs):
    # course_progress_recompute rewrites progress rows with bulk_update (no post_save per row)
    # and stores the outline in the same transaction.
    from .tasks import refresh_course_summaries

    course_id = instance.course_id
    on_commit_once(("course", course_id), lambda: enqueue(refresh_course_summaries, course_id))


@receiver(post_save, sender=Assignment, dispatch_uid="reports_assignment_saved")
def assignment_saved(sender, instance, **kwargs):
    # Its people's rows are written in bulk in the same transaction (no per-row signal), and a
    # deactivated assignment no longer makes anyone overdue. Overdue is the only stored figure an
    # assignment changes, so refresh just the pairs whose overdue figure is now stale.
    from .tasks import refresh_overdue_summaries

    on_commit_once(("overdue",), lambda: enqueue(refresh_overdue_summaries))


@receiver(required_courses_changed, dispatch_uid="reports_required_courses_changed")
@receiver(assignment_people_changed, dispatch_uid="reports_assignment_people_changed")
def required_courses_were_changed(sender, **kwargs):
    # People owe other courses without changing unit (a new position, an assignment's positions
    # changed): their overdue figures may change, and no member count does.
    from .tasks import refresh_overdue_summaries

    on_commit_once(("overdue",), lambda: enqueue(refresh_overdue_summaries))


@receiver(organisation_changed, dispatch_uid="reports_organisation_changed")
def organisation_was_changed(sender, department_ids, **kwargs):
    # A unit moved or retired: its people's required rows changed, so may their overdue figures.
    from .tasks import refresh_overdue_summaries

    on_commit_once(("overdue",), lambda: enqueue(refresh_overdue_summaries))


@receiver(post_save, sender=User, dispatch_uid="reports_user_saved")
def membership_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """A member joined, moved or was (de)activated: both departments' member counts change."""
    if raw or not tracked_fields_saved(update_fields, "department_id", "is_active"):
        return
    change = person_change(instance, created=created)
    if not change.changed("department_id", "is_active"):
        return
    before = (change.before or {}).get("department_id")
    for department_id in {before, instance.department_id} - {None}:
        _enqueue_department(department_id)
