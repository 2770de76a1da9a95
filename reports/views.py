"""The head's reports: department overview, course drill-down, learner drill-down, exports.

Every view builds the Scope from the signed-in user on the server (accounts.scope) and passes it
to the selectors, which refuse (404) any department, course or person outside it. A person with
no report role gets 403."""

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from accounts.scope import Scope, user_scope
from courses.facets import learner_course_facts
from privatefiles.audit import download_log
from privatefiles.serving import private_file_response, private_file_view

from .charts import bar_chart, line_chart
from .exports import (
    CONTENT_TYPES,
    DEPARTMENT_PROGRESS,
    EXPORT_REPORTS,
    build_table,
    department_progress_params,
    export_subject,
    report_label,
    write_table,
)
from .forms import CourseFilterForm, export_params
from .models import ReportExport
from .selectors import (
    PAGE_SIZE,
    Status,
    clean_sort,
    course_in_reports_or_404,
    course_learners,
    department_label,
    department_overview,
    learner_report,
    learners_active_minutes,
    scope_unit_choices,
    status_of,
)
from .services import ExportRefused, export_expire_if_stalled, export_request


def scope_for(request) -> Scope:
    scope = user_scope(request.user)
    if not scope.allowed:
        raise PermissionDenied(_("Reports are for department heads and city administrators."))
    return scope


def _int_or_404(raw) -> int | None:
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise Http404(_("No such record."))
    return int(raw)


def breadcrumbs(unit, unit_choices) -> list[tuple[int, str]]:
    """The unit's ancestors that lie inside the scope (the choices list), top first."""
    if unit.department is None:
        return []
    by_path = {path: (pk, name) for pk, name, _depth, path in unit_choices}
    steplen = unit.department.steplen
    prefixes = [unit.path[:end] for end in range(steplen, len(unit.path), steplen)]
    return [by_path[prefix] for prefix in prefixes if prefix in by_path]


def indented_choices(choices) -> list[tuple[int, str]]:
    top = min((depth for _pk, _name, depth, _path in choices), default=1)
    return [(pk, "\u00a0\u00a0" * (depth - top) + name) for pk, name, depth, _path in choices]


def overview_context(request, scope: Scope) -> dict:
    """Shared by the front-end page and the Wagtail admin report view."""
    unit = scope.unit_or_404(request.GET.get("department"))
    overview = department_overview(scope=scope, unit=unit, course_id=_int_or_404(request.GET.get("course")))
    choices = scope_unit_choices(scope=scope)
    query = {"department": unit.pk or "", "course": overview.course_id or ""}
    return {
        "overview": overview,
        "unit": unit,
        "unit_choices": indented_choices(choices),
        "scope_everything": scope.everything,
        "ancestors": breadcrumbs(unit, choices),
        "bars": bar_chart([(row.label, row.figures.completion_rate) for row in overview.units]),
        "line": line_chart(
            [(date_format(point.month, "YEAR_MONTH_FORMAT"), point.completed) for point in overview.months]
        ),
        "export_query": "&".join(f"{key}={value}" for key, value in query.items() if value),
    }


@login_required
def overview_view(request):
    scope = scope_for(request)
    context = overview_context(request, scope)
    overview = context["overview"]
    # The printed page's header names the course chosen (the unit is its scope).
    course_title = dict(overview.course_choices).get(overview.course_id)
    context["print_filters"] = [(_("Course"), course_title)] if course_title else []
    return render(request, "reports/overview.html", context)


@login_required
def course_view(request, course_id: int):
    scope = scope_for(request)
    course = course_in_reports_or_404(course_id)
    unit = scope.unit_or_404(request.GET.get("unit"))
    choices = scope_unit_choices(scope=scope)
    form = CourseFilterForm(request.GET or None, unit_choices=indented_choices(choices))
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
    sort = clean_sort(request.GET.get("sort"))
    rows = course_learners(
        scope=scope,
        unit=unit,
        course=course,
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        sort=sort,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    active = learners_active_minutes(course=course, rows=page.object_list)
    learners = [
        {
            **row,
            "status": status_of(row),
            "status_label": Status.LABELS[status_of(row)],
            "unit": department_label(row),
            "active_minutes": active.get(row["pk"], 0),
        }
        for row in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "reports/course.html",
        {
            "course": course,
            "unit": unit,
            "form": form,
            "page": page,
            "learners": learners,
            "sort": sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "export_query": f"course={course.pk}&{query.urlencode()}",
            "columns": _columns(sort),
        },
    )


def _columns(sort: str) -> list[dict]:
    """Table headers: each sortable column links to its ascending order, or descending when it
    is already sorted ascending; aria-sort tells screen readers the current order."""
    labels = [
        ("name", pgettext("person", "Name")),
        ("department", _("Department")),
        ("status", _("Status")),
        ("percent", _("Percent")),
        ("score", _("Best score (%)")),
        ("attempts", _("Quiz attempts")),
        ("activity", _("Last activity")),
    ]
    columns = []
    for key, label in labels:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "next": f"-{key}" if current and not descending else key,
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@login_required
def learner_view(request, user_id: int):
    scope = scope_for(request)
    report = learner_report(scope=scope, user_id=user_id)
    facts = learner_course_facts(user=report.person, courses=[item.progress.course for item in report.courses])
    return render(request, "reports/learner.html", {"report": report, "person": report.person, "course_facts": facts})


def sync_export_limit() -> int:
    return getattr(settings, "REPORTS_EXPORT_SYNC_MAX_ROWS", 2000)


@login_required
@require_http_methods(["GET", "POST"])
def export_view(request, report: str, file_format: str):
    """GET: a small export downloads at once; a large one asks to be prepared in the background.
    POST: queue the background export (at most one per person and report at a time)."""
    scope = scope_for(request)
    if report not in EXPORT_REPORTS or file_format not in ReportExport.Format.values:
        raise Http404(_("No such export."))
    data = request.POST if request.method == "POST" else request.GET
    params = department_progress_params(data) if report == DEPARTMENT_PROGRESS else export_params(report, data)
    table = build_table(report=report, scope=scope, params=params)  # 404 outside the scope
    if request.method == "POST":
        try:
            export = export_request(user=request.user, report=report, file_format=file_format, params=params)
        except ExportRefused as refusal:
            active = ReportExport.objects.filter(
                user=request.user, report=report, status__in=ReportExport.ACTIVE
            ).first()
            return render(
                request, "reports/export_refused.html", {"message": str(refusal), "active": active}, status=409
            )
        return redirect("reports:export_status", export_id=export.pk)
    if table.count > sync_export_limit():
        return render(
            request,
            "reports/export_confirm.html",
            {"table": table, "params": params, "report": report, "file_format": file_format},
        )
    handle = io.BytesIO()
    write_table(table, file_format, handle)
    handle.seek(0)
    name = f"{report}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    download_log(
        user=request.user,
        instance=export_subject(unit=scope.root, user=request.user),
        filename=name,
        data={"report": report, "params": {key: str(value) for key, value in params.items()}, "rows": table.count},
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[file_format])


def own_export_or_404(request, export_id: int) -> ReportExport:
    return get_object_or_404(ReportExport, pk=export_id, user=request.user)


@login_required
def export_status_view(request, export_id: int):
    return export_status_page(request, export_expire_if_stalled(export=own_export_or_404(request, export_id)))


def export_status_page(request, export: ReportExport, *, status: int = 200):
    context = {
        "export": export,
        "report_label": report_label(export.report),
        "retention_days": settings.EXPORT_RETENTION_DAYS,
        "stale_minutes": settings.FILE_JOB_STALE_MINUTES,
    }
    return render(request, "reports/export_status.html", context, status=status)


@login_required
def export_status_json(request, export_id: int):
    export = export_expire_if_stalled(export=own_export_or_404(request, export_id))
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "rows": export.rows,
            "download_url": reverse("reports:export_download", args=[export.pk])
            if export.status == ReportExport.Status.DONE
            else None,
        }
    )


@private_file_view
def export_download_view(request, export_id: int):
    """The requester's own file, while they still have a report scope (a head who stepped down
    no longer gets the people of their former department); anyone else gets a 404."""
    export = own_export_or_404(request, export_id)
    if not user_scope(request.user).allowed:
        raise Http404(_("No such export."))
    if export.status == ReportExport.Status.EXPIRED:
        return export_status_page(request, export, status=410)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404(_("This export is not ready."))
    stamp = timezone.localtime(export.created_at)
    name = f"{export.report}-{stamp:%Y%m%d-%H%M}.{export.file_format}"
    return private_file_response(
        export.file,
        filename=name,
        content_type=CONTENT_TYPES[export.file_format],
        downloaded_by=request.user,
        subject=export,
    )
