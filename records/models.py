from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordRepair(models.Model):
    """The audit entry of one repair by `records_verify --repair`: which derived record was wrong,
    how, and when it was brought back in line with the raw facts. Never edited."""

    check_name = models.CharField(_("check"), max_length=64)
    record = models.CharField(_("record"), max_length=200)
    problems = models.JSONField(_("problems"), default=list)
    rows_changed = models.PositiveIntegerField(_("rows changed"), default=0)
    repaired_at = models.DateTimeField(_("repaired at"), auto_now_add=True)

    class Meta:
        verbose_name = _("record repair")
        verbose_name_plural = _("record repairs")
        ordering = ["-repaired_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.check_name} {self.record}"
