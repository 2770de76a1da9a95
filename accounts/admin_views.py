"""The people import in the Wagtail admin, for city administrators (superusers or people with
`is_city_admin`): upload and dry run, confirm, progress and results, template files.

Every view checks the role on the server and answers 403 otherwise; Wagtail's admin URLs
require wagtailadmin.access_admin in front (people without it are sent to the login page)."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .admin_forms import PeopleImportForm
from .models import PeopleImport
from .people_import import ImportFileError, row_error_message, template_csv, template_xlsx
from .roles import is_city_admin
from .services import people_import_check, people_import_confirm

RECENT_IMPORTS = 20
ACTION_LABELS = {
    "create": gettext_lazy("Create"),
    "update": gettext_lazy("Update"),
    "unchanged": gettext_lazy("Unchanged"),
    "error": gettext_lazy("Error"),
}
CHANGE_LABELS = {
    "name": gettext_lazy("name"),
    "department": gettext_lazy("department"),
    "position": gettext_lazy("position"),
    "email": gettext_lazy("e-mail"),
    "roles": gettext_lazy("roles"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CityAdminRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_city_admin(request.user):
            # A plain 403: raising PermissionDenied inside the admin would redirect to its home page.
            return permission_denied(request, exception=None)
        return super().dispatch(request, *args, **kwargs)


class ImportPageMixin(CityAdminRequiredMixin, WagtailAdminTemplateMixin):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("accounts_admin:people_import"), "label": _("Import people")}]
        if self.get_page_title() != _("Import people"):
            items.append({"url": "", "label": self.get_page_title()})
        return items


def display_rows(rows: list[dict]) -> list[dict]:
    """Stored row outcomes with their labels and messages in the reader's language."""
    shown = []
    for row in rows:
        details = [row_error_message(code, params) for code, params in row.get("errors", [])]
        if row.get("changes"):
            details.append(
                _("Changes: %(fields)s") % {"fields": ", ".join(str(CHANGE_LABELS[c]) for c in row["changes"])}
            )
        if row.get("new_departments"):
            details.append(_("New units: %(units)s") % {"units": " / ".join(row["new_departments"])})
        shown.append({**row, "action_label": ACTION_LABELS[row["action"]], "details": details})
    return shown


def action_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(ACTION_LABELS, 0)
    for row in rows:
        counts[row["action"]] += 1
    return counts


class PeopleImportView(ImportPageMixin, FormView):
    """Upload and dry run. The dry run writes nothing but the stored upload and its plan."""

    template_name = "accounts/admin/people_import_form.html"
    form_class = PeopleImportForm
    page_title = gettext_lazy("Import people")

    def get_context_data(self, **kwargs):
        recent = PeopleImport.objects.select_related("created_by")[:RECENT_IMPORTS]
        return super().get_context_data(recent_imports=recent, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            people_import = people_import_check(
                data=upload.read(),
                filename=upload.name,
                create_missing_departments=form.cleaned_data["create_missing_departments"],
                created_by=self.request.user,
                full_import=form.cleaned_data["full_import"],
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        return redirect("accounts_admin:people_import_detail", people_import.pk)


class PeopleImportDetailView(ImportPageMixin, TemplateView):
    """Before confirmation: the dry run. Afterwards: progress, counts and every row's outcome."""

    template_name = "accounts/admin/people_import_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.people_import = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.people_import = get_object_or_404(PeopleImport.objects.select_related("created_by"), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.people_import) if self.people_import else _("Import people")

    def get_context_data(self, **kwargs):
        people_import = self.people_import
        checked = people_import.status == PeopleImport.Status.CHECKED
        rows = people_import.preview if checked else people_import.results
        return super().get_context_data(
            people_import=people_import,
            checked=checked,
            rows=display_rows(rows),
            counts=action_counts(rows),
            deactivations=people_import.deactivations,
            status_url=reverse("accounts_admin:people_import_status", args=[people_import.pk]),
            **kwargs,
        )


class PeopleImportConfirmView(CityAdminRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        people_import = get_object_or_404(PeopleImport, pk=pk)
        if people_import_confirm(people_import=people_import):
            messages.success(request, _("The import has started."))
        else:
            messages.warning(request, _("This import was already confirmed."))
        return redirect("accounts_admin:people_import_detail", pk)


class PeopleImportStatusView(CityAdminRequiredMixin, View):
    """Progress for static/js/people_import.js, polled while the import runs."""

    http_method_names = ["get"]

    def get(self, request, pk):
        fields = ["status", "total", "done", "created", "updated", "unchanged", "failed", "deactivated"]
        values = get_object_or_404(PeopleImport.objects.values(*fields), pk=pk)
        finished = values["status"] in {PeopleImport.Status.DONE, PeopleImport.Status.FAILED}
        return JsonResponse({**values, "finished": finished})


class PeopleImportTemplateView(CityAdminRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request, file_format):
        if file_format == "csv":
            content, content_type = template_csv(), "text/csv; charset=utf-8"
        else:
            content, content_type = template_xlsx(), XLSX_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="people-template.{file_format}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
