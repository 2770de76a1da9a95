"""Verified active study time: what the heartbeats earned, flushed from the ledger (Redis or the
cache) in batches by studytime.services.study_time_flush. Nothing here is written per heartbeat."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class StudyTime(models.Model):
    """Active milliseconds a person spent on one step of one course, as credited by the server
    (once per person across tabs and devices). Only ever increased, by the flush."""

    # PROTECT: study time is part of the learning record a head relies on; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    # The course the step belonged to when the time was spent (a step moved later keeps its past).
    course = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    active_ms = models.BigIntegerField(_("verified active time (ms)"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("study time")
        verbose_name_plural = _("study time")
        constraints = [
            models.UniqueConstraint(fields=["user", "step", "course"], name="studytime_unique_user_step_course"),
            models.CheckConstraint(condition=models.Q(active_ms__gte=0), name="studytime_active_ms_not_negative"),
        ]
        indexes = [
            # Per-course totals for reports: every person's time in one course.
            models.Index(fields=["course", "user"], name="studytime_course_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.step_id}: {self.active_ms} ms"


class StudyTimeFlush(models.Model):
    """A batch of credited time written to StudyTime. The batch id is unique, so a batch that is
    flushed again (a crash after the write, two flushes at once) is written once."""

    batch_id = models.CharField(max_length=40, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("study time flush")
        indexes = [
            # The flush deletes batches older than a week.
            models.Index(fields=["flushed_at"], name="studytimeflush_flushed_at"),
        ]

    def __str__(self) -> str:
        return self.batch_id


class VideoWatch(models.Model):
    """The parts of one video of a step a person has played, as the heartbeats reported them and
    the server believed them (studytime.rules.ranges_accept), merged. Seeking ahead leaves a gap:
    only watched_seconds count towards the step's minimum. Written by the flush only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    # The video's place among the step's videos (the order of the body's video blocks).
    video_index = models.PositiveSmallIntegerField(_("video"))
    # [[start, end], ...] seconds of the video's timeline, sorted and merged.
    ranges = models.JSONField(_("watched ranges"), default=list)
    watched_seconds = models.PositiveIntegerField(_("watched seconds"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("video watched")
        verbose_name_plural = _("videos watched")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "step", "course", "video_index"], name="videowatch_unique_user_step_course_video"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.step_id} #{self.video_index}: {self.watched_seconds} s"


class PageView(models.Model):
    """One page view of a step as its accepted heartbeats drew it: when it was active, how steady
    its beats were and how much of its active time another view of the person earned at the same
    time. Written (and rewritten, absolute) by the flush only, never by a beat; read by the heads'
    integrity report (overlapping sessions, machine-regular heartbeats)."""

    view_id = models.CharField(_("page view"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("first beat"))
    last_beat_at = models.DateTimeField(_("last beat"))
    beats = models.PositiveIntegerField(_("accepted beats"), default=0)
    # Steady gaps (in time, not after a hidden or idle spell): count, sum and sum of squares (ms).
    gaps = models.PositiveIntegerField(_("steady gaps"), default=0)
    gap_sum_ms = models.BigIntegerField(default=0)
    gap_sq_ms = models.BigIntegerField(default=0)
    # Active time of this view that another view of the same person had already earned.
    overlap_ms = models.BigIntegerField(_("overlapping time (ms)"), default=0)
    credited_ms = models.BigIntegerField(_("credited time (ms)"), default=0)

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")
        indexes = [
            # The integrity report: one person's (or a unit's people's) views by time.
            models.Index(fields=["user", "started_at"], name="pageview_user_started"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.step_id} {self.view_id}"
