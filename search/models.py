from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    """A word the office wants the search to keep whole (网上审批, 等级保护), on top of the built-in
    e-government terms in ``search.segment.DOMAIN_TERMS``."""

    term = models.CharField(_("term"), max_length=40, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.term
