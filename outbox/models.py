"""Celery jobs that could not be handed to the broker when their transaction committed. The
beat job `outbox.tasks.drain_outbox` sends them once the broker answers again, and deletes each
row as it is sent; the tasks are idempotent, so a job sent twice (a crash between the send and
the delete) changes nothing more."""

from django.db import models


class OutboxJob(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    tries = models.PositiveIntegerField(default=0)  # failed sends, the first one included
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"
