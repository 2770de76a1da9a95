"""The department overview as a Wagtail admin report, for city administrators and superusers.
Wagtail's admin URLs require wagtailadmin.access_admin in front; this view also requires the
city-admin role (or superuser) on the server."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_city_admin
from accounts.scope import user_scope

from .views import overview_context


class AdminOverviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/overview.html"
    page_title = gettext_lazy("Department reports")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not is_city_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**overview_context(self.request, user_scope(self.request.user)), **kwargs)
