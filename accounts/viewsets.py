"""Wagtail's user admin with the person's profile, department and role flags.

Registered through accounts.apps.AccountsUsersAppConfig, which replaces "wagtail.users" in
INSTALLED_APPS (Wagtail's documented way to customise the user views: set `user_viewset` on a
subclass of WagtailUsersAppConfig)."""

from wagtail.users.views import users as wagtail_users

from .admin_forms import PersonCreationForm, PersonEditForm
from .roles import ROLE_FLAGS
from .services import user_roles_update


class RolesSaveMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        # Runs inside the view's transaction, after Wagtail has saved the account and groups.
        instance = super().save_instance()
        data = self.form.cleaned_data
        user_roles_update(
            user=instance,
            department=data["department"],
            **{flag: data[flag] for flag in ROLE_FLAGS},
            changed_by=self.request.user,
        )
        return instance


class PersonIndexView(wagtail_users.IndexView):
    # Chinese names live in display_name; offices look people up by employee ID.
    search_fields = ["username", "display_name", "employee_id", "email"]


class PersonCreateView(RolesSaveMixin, wagtail_users.CreateView):
    pass


class PersonEditView(RolesSaveMixin, wagtail_users.EditView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm
