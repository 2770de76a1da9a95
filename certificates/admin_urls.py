"""Mounted by wagtail_hooks under /admin/certificates/ (namespace "certificates_admin")."""

from django.urls import path

from . import admin_views

app_name = "certificates_admin"

urlpatterns = [
    path("", admin_views.CertificateListView.as_view(), name="list"),
    path("<int:pk>/revoke/", admin_views.CertificateRevokeView.as_view(), name="revoke"),
]
