"""The audit trail and the locked-out accounts in the Wagtail admin, for city administrators
(superusers or people with `is_city_admin`; every view checks the role on the server, 403
otherwise; Wagtail's admin URLs require wagtailadmin.access_admin in front).

The audit trail lists every model log entry (`wagtail.models.ModelLogEntry`: roles, imports,
departments, assignments, grades, certificates, hours, downloads of personal data, sign-ins,
lockouts, unlocks), newest first, filtered by action, user, object and date. Wagtail's own
"Site history" filters entries by the reader's model permissions, which would mean giving city
admins view permissions on a dozen models and still leave failed sign-ins of unknown usernames
to superusers; this report asks the role instead (README, Decisions)."""

import django_filters
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports.base import ReportView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from privatefiles.audit import download_log

from .roles import is_city_admin
from .selectors import lockouts_current
from .services import account_unlock


class CityAdminRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_city_admin(request.user):
            # A plain 403: raising PermissionDenied inside the admin would redirect to its home page.
            return permission_denied(request, exception=None)
        return super().dispatch(request, *args, **kwargs)


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(label=gettext_lazy("Action"), widget=CheckboxSelectMultiple)
    user = django_filters.CharFilter(label=gettext_lazy("By (username or name)"), method="filter_user")
    label = django_filters.CharFilter(label=gettext_lazy("Object (name contains)"), lookup_expr="icontains")
    timestamp = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = ModelLogEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = ModelLogEntry.objects.all().get_actions()
        self.filters["action"].extra["choices"] = [
            choice for choice in log_action_registry.get_choices() if choice[0] in used
        ]

    def filter_user(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(user__username__icontains=value) | Q(user__display_name__icontains=value))


def _action_label(action: str) -> str:
    return str(log_action_registry.get_action_label(action))


class AuditTrailView(CityAdminRequiredMixin, ReportView):
    page_title = gettext_lazy("Audit trail")
    header_icon = "history"
    results_template_name = "accounts/admin/audit_results.html"
    filterset_class = AuditFilterSet
    index_url_name = "accounts_audit:audit_trail"
    index_results_url_name = "accounts_audit:audit_trail_results"
    export_headings = {
        "timestamp": gettext_lazy("Date/Time"),
        "user_display_name": gettext_lazy("By"),
        "action": gettext_lazy("Action"),
        "label": pgettext_lazy("audit", "Object"),
        "object_verbose_name": gettext_lazy("Type"),
        "object_id": gettext_lazy("ID"),
    }
    list_export = list(export_headings)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "action": {fmt: _action_label for fmt in (self.FORMAT_CSV, self.FORMAT_XLSX)},
        }

    def get_queryset(self):
        return ModelLogEntry.objects.select_related("user", "content_type").order_by("-timestamp", "-pk")

    def get_filename(self):
        return f"audit-trail-{timezone.localtime():%Y%m%d-%H%M}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The trail names people, their addresses and what they fetched: exporting it is a
        # download of personal data like any other (logged on the exporter's own account).
        download_log(
            user=self.request.user,
            instance=self.request.user,
            filename=f"{self.get_filename()}.{spreadsheet_format}",
            data={"report": "audit_trail", "filters": {key: value for key, value in self.request.GET.items()}},
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class LockoutListView(CityAdminRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/lockouts.html"
    page_title = gettext_lazy("Locked-out accounts")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockouts=lockouts_current(), **kwargs)

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if username and account_unlock(username=username, unlocked_by=request.user, request=request):
            messages.success(request, _("%(username)s can sign in again.") % {"username": username})
        else:
            messages.warning(request, _("%(username)s was not locked out.") % {"username": username or "—"})
        return redirect(reverse("accounts_audit:lockouts"))
