"""Wagtail's user admin with the person's profile, department and role flags.

Registered through accounts.apps.AccountsUsersAppConfig, which replaces "wagtail.users" in
INSTALLED_APPS (Wagtail's documented way to customise the user views: set `user_viewset` on a
subclass of WagtailUsersAppConfig)."""

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.deletion import ProtectedError, RestrictedError
from django.urls import reverse
from wagtail.users.views import users as wagtail_users

from .admin_forms import PersonCreationForm, PersonEditForm
from .roles import ROLE_FLAGS, may_manage
from .selectors import people_search_filter, user_deletion_blockers
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

    def search_queryset(self, queryset):
        """People are found by what an office types: part of a name, a username, an employee ID or an
        e-mail, and also their position or department (财政局 王 finds the Wangs of the Finance
        Bureau). Every word must match one of these; a name is matched as a substring, not through
        the segmenting search index, since jieba does not know people's names as words."""
        if not self.is_searching:
            return queryset
        return queryset.filter(people_search_filter(self.search_query))


def people_in_listing(request):
    """The people the users listing shows for the request's filters and search (PersonIndexView):
    what the bulk actions' "Select all users in listing" acts on (accounts.wagtail_hooks)."""
    people = get_user_model()._default_manager.all()
    query = request.GET.get("q", "").strip()
    filters = UserViewSet.filterset_class(request.GET, queryset=people, request=request, is_searching=bool(query))
    if filters.is_valid():
        people = filters.filter_queryset(people)
    if query:
        people = people.filter(people_search_filter(query))
    return people


class PersonCreateView(RolesSaveMixin, wagtail_users.CreateView):
    pass


class PersonEditView(RolesSaveMixin, wagtail_users.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user, self.object):
            raise PermissionDenied  # the admin sends them home with its "no permission" message
        return super().dispatch(request, *args, **kwargs)


class PersonDeleteView(wagtail_users.DeleteView):
    """Deleting a person with records of learning (PROTECTed foreign keys) is refused with an
    explanation and what to do instead, on the confirmation page and, should the records appear
    between the page and the click, on the POST too (Wagtail's view would answer a 500)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blockers = getattr(self, "blockers", None)
        context["learning_records"] = user_deletion_blockers(user=self.object) if blockers is None else blockers
        context["retention_days"] = settings.LEAVER_RETENTION_DAYS
        context["edit_url"] = reverse(self.edit_url_name, args=(quote(self.object.pk),))
        return context

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError):
            # Rolled back by the delete action's transaction; show why instead.
            self.blockers = user_deletion_blockers(user=self.object)
            return self.render_to_response(self.get_context_data(), status=409)


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    delete_view_class = PersonDeleteView
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"
    delete_template_name = "accounts/admin/user_delete.html"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm
