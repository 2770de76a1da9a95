"""Admin hooks of accounts: the audit-log label of role changes, the people import
(accounts.admin_views) with its menu item, shown to city administrators only, and the users' bulk
actions that must keep learning records and end a leaver's sessions."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction, RoleForm
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

from . import admin_urls, audit_urls
from .admin_forms import MANAGED_GROUPS
from .audit import LOCKED_OUT_ACTION, LOGIN_ACTION, LOGIN_FAILED_ACTION, UNLOCKED_ACTION
from .roles import ROLE_FLAGS, ROLE_LABELS, is_city_admin, may_manage
from .selectors import user_deletion_blockers
from .services import PEOPLE_IMPORT_ACTION, ROLES_CHANGED_ACTION, user_set_active
from .viewsets import people_in_listing


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
            counts = {key: data.get(key, 0) for key in ("created", "updated", "unchanged", "failed", "deactivated")}
            message = _(
                "%(file)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(failed)s failed"
            ) % {**counts, "file": data.get("file") or log_entry.label}
            if data.get("full_import"):
                message += " · " + _("full import: %(deactivated)s deactivated") % counts
            return message


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


class PeopleBulkActionMixin:
    """What every bulk action on people keeps to. "Select all users in listing" acts on the people
    the listing shows (accounts.viewsets.people_in_listing): Wagtail's user bulk actions search
    again by username, names and e-mail only and ignore the listing's filters, so after a people
    search (a department, a Chinese name) they found nobody (a 404), and after the "Active: No"
    filter they selected every user, and the bulk delete offered active people too. And superusers
    are changed only by superusers (accounts.roles.may_manage)."""

    def get_all_objects_in_listing_query(self, parent_id):
        return people_in_listing(self.request).values_list("pk", flat=True)

    def check_perm(self, obj):
        return super().check_perm(obj) and may_manage(self.request.user, obj)


class PersonDeleteBulkAction(PeopleBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete of users, except the people with records of learning: they are
    listed apart with the reason (deleting them would be refused, a 500 in Wagtail's action) and
    left out of the deletion."""

    template_name = "accounts/admin/confirm_bulk_delete.html"

    def get_actionable_objects(self):
        objects, without = super().get_actionable_objects()
        kept = [person for person in objects if user_deletion_blockers(user=person)]
        without["items_with_learning_records"] = kept
        return [person for person in objects if person not in kept], without

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "retention_days": settings.LEAVER_RETENTION_DAYS}


class PersonSetActiveStateBulkAction(PeopleBulkActionMixin, SetActiveStateBulkAction):
    """Wagtail's bulk "set active state", one save per person instead of one UPDATE, so that
    deactivating records when each left and ends their sessions, and the member counts of the
    reports and required learning follow (accounts.services.user_set_active)."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, **kwargs):
        acting = kwargs.get("user")
        changed = sum(
            user_set_active(user=person, is_active=mark_as_active)
            for person in objects
            if acting is None or person.pk != acting.pk
        )
        return changed, 0


class PersonRoleForm(RoleForm):
    """The groups a person may be given by hand: as on the account page, Trainers and City admins
    are not offered (they follow the role flags, set with an audit entry by user_roles_update)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Group.objects.exclude(name__in=MANAGED_GROUPS).order_by("name")


class PersonAssignRoleBulkAction(PeopleBulkActionMixin, AssignRoleBulkAction):
    """Wagtail's bulk "Assign role" offered every group: a city administrator could put people in
    the City admins group (the admin and its permissions) without the flag, and without the audit
    entry the account page writes. Now it offers what the account page offers."""

    form_class = PersonRoleForm


# order=1: registered after wagtail.users' own actions of the same type, which they replace.
hooks.register("register_bulk_action", PersonDeleteBulkAction, order=1)
hooks.register("register_bulk_action", PersonSetActiveStateBulkAction, order=1)
hooks.register("register_bulk_action", PersonAssignRoleBulkAction, order=1)
