"""The audit-log labels of the department tree."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .services import (
    DEPARTMENT_CREATED_ACTION,
    DEPARTMENT_MOVED_ACTION,
    DEPARTMENT_RENAMED_ACTION,
    DEPARTMENT_RETIRED_ACTION,
)


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

    @actions.register_action(DEPARTMENT_RENAMED_ACTION)
    class DepartmentRenamedFormatter(LogFormatter):
        label = _("Rename department")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            before, after = data.get("before") or {}, data.get("after") or {}
            return _("Renamed from %(before)s to %(after)s") % {
                "before": " / ".join(filter(None, [before.get("name"), before.get("name_en")])) or "—",
                "after": " / ".join(filter(None, [after.get("name"), after.get("name_en")])) or "—",
            }

    @actions.register_action(DEPARTMENT_MOVED_ACTION)
    class DepartmentMovedFormatter(LogFormatter):
        label = _("Move department")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Moved from under %(old)s to under %(new)s") % {
                "old": data.get("from_name") or "—",
                "new": data.get("to_name") or "—",
            }

    @actions.register_action(DEPARTMENT_RETIRED_ACTION)
    class DepartmentRetiredFormatter(LogFormatter):
        label = _("Retire department")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            people, assignments = data.get("people_moved", 0), data.get("assignments", 0)
            moved = ngettext(
                "%(people)s person moved to %(receiving)s", "%(people)s people moved to %(receiving)s", people
            ) % {"people": people, "receiving": data.get("receiving_name") or "—"}
            if data.get("assignments_action") == "move":
                settled = ngettext("%(n)s assignment moved", "%(n)s assignments moved", assignments)
            else:
                settled = ngettext("%(n)s assignment withdrawn", "%(n)s assignments withdrawn", assignments)
            return _("Retired: %(moved)s; %(settled)s") % {"moved": moved, "settled": settled % {"n": assignments}}
