"""The audit trail and the locked-out accounts, mounted by wagtail_hooks under /admin/audit/
(namespace "accounts_audit")."""

from django.urls import path

from . import audit_views

app_name = "accounts_audit"

urlpatterns = [
    path("", audit_views.AuditTrailView.as_view(), name="audit_trail"),
    path("results/", audit_views.AuditTrailView.as_view(results_only=True), name="audit_trail_results"),
    path("lockouts/", audit_views.LockoutListView.as_view(), name="lockouts"),
]
