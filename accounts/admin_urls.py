"""The people import, mounted by wagtail_hooks under /admin/people-import/ (namespace
"accounts_admin"); Wagtail's admin requires wagtailadmin.access_admin in front."""

from django.urls import path

from . import admin_views

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_views.PeopleImportView.as_view(), name="people_import"),
    path("<int:pk>/", admin_views.PeopleImportDetailView.as_view(), name="people_import_detail"),
    path("<int:pk>/confirm/", admin_views.PeopleImportConfirmView.as_view(), name="people_import_confirm"),
    path("<int:pk>/status.json", admin_views.PeopleImportStatusView.as_view(), name="people_import_status"),
    path(
        "template.xlsx", admin_views.PeopleImportTemplateView.as_view(), {"file_format": "xlsx"}, name="template_xlsx"
    ),
    path("template.csv", admin_views.PeopleImportTemplateView.as_view(), {"file_format": "csv"}, name="template_csv"),
]
