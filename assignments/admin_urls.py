"""The organisation's admin pages, mounted by wagtail_hooks under /admin/departments/
(namespace "departments_admin"); Wagtail's admin requires wagtailadmin.access_admin in front."""

from django.urls import path

from . import admin_views

app_name = "departments_admin"

urlpatterns = [
    path("", admin_views.DepartmentIndexView.as_view(), name="index"),
    path("add/", admin_views.DepartmentCreateView.as_view(), name="add"),
    path("<int:pk>/rename/", admin_views.DepartmentRenameView.as_view(), name="rename"),
    path("<int:pk>/move/", admin_views.DepartmentMoveView.as_view(), name="move"),
    path("<int:pk>/retire/", admin_views.DepartmentRetireView.as_view(), name="retire"),
]
