"""The audit-log labels of the department tree."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .services import DEPARTMENT_CREATED_ACTION


@hooks.register("register_log_actions")
def register_departments_log_actions(actions):
    @actions.register_action(DEPARTMENT_CREATED_ACTION)
    class DepartmentCreatedFormatter(LogFormatter):
        label = _("Add department")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("%(name)s added under %(parent)s") % {
                "name": data.get("name") or log_entry.label,
                "parent": data.get("parent_name") or "—",
            }
