"""Audit-log label of a repair by records_verify."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .services import REPAIRED_ACTION


@hooks.register("register_log_actions")
def register_records_log_actions(actions):
    actions.register_action(REPAIRED_ACTION, _("Repair a learning record"), _("Learning record repaired"))
