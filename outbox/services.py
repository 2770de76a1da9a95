"""The one way a request path enqueues a Celery task: after its transaction commits, and never
failing the request. A learner's submitted grade must not depend on the broker: when the broker
does not take the job (Redis down, a network cut), the job is logged and kept in the outbox table
and `drain_outbox` (beat, every minute) sends it when the broker is back."""

import logging

from django.db import transaction

from .models import OutboxJob

logger = logging.getLogger(__name__)

# One quick retry when publishing: a broker that is down must not hold the request for long.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """task.delay(*args, **kwargs) once the current transaction commits (at once outside one).
    Arguments must be JSON-serialisable (ids, not objects): they may wait in the outbox."""

    def enqueue():
        enqueue_now(task, *args, **kwargs)

    enqueue.__qualname__ = f"enqueue_on_commit({task.name})"  # named in Django's log of a failed callback
    # With a broker, nothing here raises; without one (eager mode) the task runs in-process and its
    # errors reach the caller as before (tests rely on a failing consumer being seen).
    transaction.on_commit(enqueue, robust=not task.app.conf.task_always_eager)


def enqueue_now(task, *args, **kwargs) -> None:
    """Hand the task to the broker, or keep it in the outbox; never raises a broker error.
    Without a broker (eager mode: dev, tests) the task runs here, in-process, as before; Celery's
    eager apply flips a process-wide flag that is not thread-safe, so it is called directly."""
    _publish(task, args, kwargs, countdown=None)


def enqueue_after(seconds: float, task, *args) -> None:
    """enqueue_now, for the worker to run `seconds` later (to gather changes into one job);
    in eager mode at once. A job kept in the outbox runs when it is sent."""
    _publish(task, args, {}, countdown=seconds or None)


def _publish(task, args, kwargs, *, countdown) -> None:
    if task.app.conf.task_always_eager:
        task(*args, **kwargs)
        return
    try:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:  # whatever the broker raises, the job is kept
        logger.warning("Broker refused %s%r; kept in the outbox: %s", task.name, args, error)
        try:
            OutboxJob.objects.create(
                task_name=task.name, args=list(args), kwargs=kwargs, tries=1, last_error=str(error)
            )
        except Exception:  # the database is gone too: nothing more can be done here
            logger.exception("Could not keep %s%r in the outbox", task.name, args)


def outbox_drain(*, limit: int = 500) -> int:
    """Send waiting jobs, oldest first, and delete each once the broker took it; stop at the
    first the broker refuses (it is still down). Each row is locked while it is sent (skip
    locked), so two drains at once never send the same job. Returns how many were sent."""
    from celery import current_app

    sent = 0
    for job_id in list(OutboxJob.objects.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            job = OutboxJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None:
                continue  # sent by another drain meanwhile
            task = current_app.tasks.get(job.task_name)
            if task is None:
                logger.error("Outbox job %s names an unknown task %s; left in place", job.pk, job.task_name)
                continue
            try:
                task.apply_async(args=job.args, kwargs=job.kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
            except Exception as error:
                OutboxJob.objects.filter(pk=job.pk).update(tries=job.tries + 1, last_error=str(error))
                logger.warning("The broker still refuses jobs; %s left in the outbox: %s", job.task_name, error)
                return sent
            job.delete()
            sent += 1
    return sent
