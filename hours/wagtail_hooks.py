"""Audit-log labels of the credit-hour ledger."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .services import OFFLINE_APPROVED_ACTION, OFFLINE_REJECTED_ACTION, RESTORED_ACTION, REVOKED_ACTION


@hooks.register("register_log_actions")
def register_hours_log_actions(actions):
    actions.register_action(REVOKED_ACTION, _("Revoke credit hours"), _("Credit hours revoked"))
    actions.register_action(RESTORED_ACTION, _("Restore credit hours"), _("Credit hours restored"))
    actions.register_action(OFFLINE_APPROVED_ACTION, _("Approve offline training"), _("Offline training approved"))
    actions.register_action(OFFLINE_REJECTED_ACTION, _("Reject offline training"), _("Offline training rejected"))
