"""Admin hooks of accounts: the audit-log label of role changes, and the people import
(accounts.admin_views) with its menu item, shown to city administrators only."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import admin_urls, audit_urls
from .audit import LOCKED_OUT_ACTION, LOGIN_ACTION, LOGIN_FAILED_ACTION, UNLOCKED_ACTION
from .roles import ROLE_FLAGS, ROLE_LABELS, is_city_admin
from .services import PEOPLE_IMPORT_ACTION, ROLES_CHANGED_ACTION


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

    class AccountEventFormatter(LogFormatter):
        message = ""

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return self.message % {
                "username": data.get("username") or log_entry.label,
                "ip": data.get("ip_address") or "—",
            }

    @actions.register_action(LOGIN_ACTION)
    class LoginFormatter(AccountEventFormatter):
        label = _("Sign in")
        message = _("Signed in as %(username)s from %(ip)s")

    @actions.register_action(LOGIN_FAILED_ACTION)
    class LoginFailedFormatter(AccountEventFormatter):
        label = _("Failed sign-in")
        message = _("Failed sign-in as %(username)s from %(ip)s")

    @actions.register_action(LOCKED_OUT_ACTION)
    class LockedOutFormatter(AccountEventFormatter):
        label = _("Account locked out")
        message = _("Account %(username)s locked out after too many failed sign-ins (from %(ip)s)")

    @actions.register_action(UNLOCKED_ACTION)
    class UnlockedFormatter(AccountEventFormatter):
        label = _("Unlock account")
        message = _("Account %(username)s unlocked in the admin")

    @actions.register_action(PEOPLE_IMPORT_ACTION)
    class PeopleImportFormatter(LogFormatter):
        label = _("Import people")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            counts = {key: data.get(key, 0) for key in ("created", "updated", "unchanged", "failed")}
            return _(
                "%(file)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(failed)s failed"
            ) % {**counts, "file": data.get("file") or log_entry.label}


@hooks.register("register_admin_urls")
def register_people_import_urls():
    return [
        path("people-import/", include(admin_urls, namespace="accounts_admin")),
        path("audit/", include(audit_urls, namespace="accounts_audit")),
    ]


class CityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_people_import_menu_item():
    return CityAdminMenuItem(
        _("Import people"), reverse("accounts_admin:people_import"), name="people-import", icon_name="group", order=9000
    )


@hooks.register("register_admin_menu_item")
def register_lockouts_menu_item():
    return CityAdminMenuItem(
        _("Locked-out accounts"), reverse("accounts_audit:lockouts"), name="lockouts", icon_name="lock", order=9001
    )


@hooks.register("register_reports_menu_item")
def register_audit_trail_menu_item():
    return CityAdminMenuItem(
        _("Audit trail"), reverse("accounts_audit:audit_trail"), name="audit-trail", icon_name="history", order=60
    )
