"""Admin hooks of accounts: the audit-log label of role changes, and the people import
(accounts.admin_views) with its menu item, shown to city administrators only."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import admin_urls
from .roles import ROLE_FLAGS, ROLE_LABELS, is_city_admin
from .services import ROLES_CHANGED_ACTION


def _describe(state: dict) -> str:
    roles = [str(ROLE_LABELS[flag]) for flag in ROLE_FLAGS if state.get(flag)]
    return _("%(department)s; roles: %(roles)s") % {
        "department": state.get("department_name") or _("no department"),
        "roles": ", ".join(roles) or _("learner"),
    }


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions):
    @actions.register_action(ROLES_CHANGED_ACTION)
    class RolesChangedFormatter(LogFormatter):
        label = _("Change department or roles")

        def format_message(self, log_entry):
            try:
                return _("Department or roles changed from %(before)s to %(after)s") % {
                    "before": _describe(log_entry.data["before"]),
                    "after": _describe(log_entry.data["after"]),
                }
            except (KeyError, TypeError):
                return _("Department or roles changed")


@hooks.register("register_admin_urls")
def register_people_import_urls():
    return [path("people-import/", include(admin_urls, namespace="accounts_admin"))]


class CityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_people_import_menu_item():
    return CityAdminMenuItem(
        _("Import people"), reverse("accounts_admin:people_import"), name="people-import", icon_name="group", order=9000
    )
