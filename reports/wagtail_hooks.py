from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_city_admin

from .admin_views import AdminOverviewView


@hooks.register("register_admin_urls")
def register_department_reports_urls():
    return [path("department-reports/", AdminOverviewView.as_view(), name="reports_admin_overview")]


class ReportAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_admin(request.user)


@hooks.register("register_reports_menu_item")
def register_department_reports_menu_item():
    return ReportAdminMenuItem(
        _("Department reports"),
        reverse("reports_admin_overview"),
        name="department-reports",
        icon_name="table",
        order=50,
    )
