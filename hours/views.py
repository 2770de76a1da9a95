"""My hours (learners), the compliance report and offline decisions (heads, city admins).

Scope is built on the server from the signed-in user (accounts.scope), exactly as in the reports:
a unit outside it is a 404, a person without a report role gets 403."""

import io
from functools import partial
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.scope import user_scope
from privatefiles.audit import download_log
from privatefiles.serving import private_file_response, private_file_view
from reports.exports import CONTENT_TYPES, ExportTable, export_subject, write_table
from reports.models import ReportExport
from reports.selectors import department_label, scope_unit_choices

from . import integrity, selectors, services
from .forms import ComplianceFilterForm, DecisionForm, IntegrityDecisionForm, OfflineTrainingForm
from .models import OfflineTraining
from .validators import CONTENT_TYPES as ATTACHMENT_TYPES

PAGE_SIZE = 50


def _year(raw, default: int) -> int:
    if raw in (None, ""):
        return default
    if not str(raw).isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404(_("No such year."))
    return int(raw)


@login_required
def my_hours_view(request):
    rules = services.hour_rules()
    current = timezone.localdate().year
    year = _year(request.GET.get("year"), current)
    if request.method == "POST":
        form = OfflineTrainingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.offline_declare(user=request.user, **form.cleaned_data)
            except ValidationError as error:  # declared before (the form sent twice, say)
                form.add_error(None, error)
            else:
                messages.success(request, _("Your offline training was declared; your head will review it."))
                return redirect("hours:mine")
    else:
        form = OfflineTrainingForm()
    ledger = selectors.learner_year(user=request.user, year=year, target=rules.annual_target)
    context = {
        "ledger": ledger,
        "years": selectors.learner_years(user=request.user, current=current),
        "declarations": selectors.learner_declarations(user=request.user),
        "form": form,
        "is_decider": user_scope(request.user).allowed,
    }
    return render(request, "hours/my_hours.html", context, status=400 if form.errors else 200)


def _scope_for(request):
    scope = user_scope(request.user)
    if not scope.allowed:
        raise PermissionDenied(_("Reports are for department heads and city administrators."))
    return scope


def _indented(choices):
    top = min((depth for _pk, _name, depth, _path in choices), default=1)
    return [(pk, "\u00a0\u00a0" * (depth - top) + name) for pk, name, depth, _path in choices]


def _compliance_query(request):
    scope = _scope_for(request)
    unit = scope.unit_or_404(request.GET.get("department"))
    year = _year(request.GET.get("year"), timezone.localdate().year)
    below = request.GET.get("below") in ("1", "on", "true")
    target = services.hour_rules().annual_target
    rows = selectors.compliance_rows(scope=scope, unit=unit, year=year, target=target, below_only=below)
    return scope, unit, year, below, target, rows


@login_required
def compliance_view(request):
    scope, unit, year, below, target, rows = _compliance_query(request)
    form = ComplianceFilterForm(
        {"department": unit.pk or "", "year": year, "below": below},
        unit_choices=_indented(scope_unit_choices(scope=scope)),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    learners = [{**row, "unit": department_label(row), "is_below": row["h_total"] < target} for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hours/compliance.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "target": target,
            "page": page,
            "learners": learners,
            "query": query.urlencode(),
            "pending_count": selectors.pending_declarations(scope=scope).count(),
            "review_count": selectors.pending_reviews(scope=scope).count(),
        },
    )


@login_required
def compliance_export_view(request, file_format: str):
    if file_format not in ReportExport.Format.values:
        raise Http404(_("No such export."))
    _scope, unit, year, _below, target, rows = _compliance_query(request)
    header = [
        pgettext("person", "Name"),
        _("Employee id"),
        _("Department"),
        _("Required hours"),
        _("Elective hours"),
        _("Total hours"),
        _("Annual target"),
        _("Hours missing"),
    ]
    table = ExportTable(
        f"{year} {unit.label}"[:31], header, selectors.compliance_export_rows(rows, target), rows.count()
    )
    handle = io.BytesIO()
    write_table(table, file_format, handle)
    handle.seek(0)
    name = f"hours-compliance-{year}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    download_log(
        user=request.user,
        instance=export_subject(unit=unit.department, user=request.user),
        filename=name,
        data={"report": "hours_compliance", "year": year, "rows": table.count},
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[file_format])


def _pending_page(request, scope, *, failed=None, failed_form=None, failed_review=None, status=200):
    declarations = list(selectors.pending_declarations(scope=scope))
    items = [
        {
            "declaration": declaration,
            "form": failed_form if failed is not None and declaration.pk == failed else DecisionForm(),
        }
        for declaration in declarations
    ]
    reviews = [
        {
            "entry": entry,
            "form": failed_form if failed_review is not None and entry.pk == failed_review else DecisionForm(),
        }
        for entry in selectors.pending_reviews(scope=scope)
    ]
    return render(request, "hours/pending.html", {"items": items, "reviews": reviews}, status=status)


@login_required
def pending_view(request):
    return _pending_page(request, _scope_for(request))


def _decide(request, scope, *, item, decide, failed_page_kwarg: str, redirect_to: str, page=_pending_page):
    """One decision from the pending page (an offline declaration or hours pending review) or from
    `page` (the integrity report): the form re-renders its row there with errors, a refused decision
    (already decided) becomes a message."""
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return page(request, scope, failed_form=form, status=400, **{failed_page_kwarg: item.pk})
    try:
        decide(
            approver=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was saved."))
    return redirect(redirect_to)


@login_required
@require_POST
def decide_view(request, declaration_id: int):
    scope = _scope_for(request)
    declaration = selectors.declaration_for_decider_or_none(scope=scope, declaration_id=declaration_id)
    if declaration is None or not services.can_decide(approver=request.user, declaration=declaration):
        raise Http404(_("No such declaration."))
    return _decide(
        request,
        scope,
        item=declaration,
        decide=partial(services.offline_decide, declaration=declaration),
        failed_page_kwarg="failed",
        redirect_to="hours:pending",
    )


@login_required
@require_POST
def review_decide_view(request, entry_id: int):
    """A head's decision on a completion whose verified study time fell short of the rule."""
    scope = _scope_for(request)
    entry = selectors.review_for_decider_or_none(scope=scope, entry_id=entry_id)
    if entry is None or not services.can_review(approver=request.user, entry=entry):
        raise Http404(_("No such hour entry."))
    # The integrity report shows the same pending hours and sends its decisions here: its form
    # comes back there, errors and all, and so does the head.
    from_integrity = request.POST.get("back") == "integrity"
    return _decide(
        request,
        scope,
        item=entry,
        decide=partial(services.hours_review_decide, entry=entry),
        failed_page_kwarg="failed_review",
        redirect_to="hours:integrity" if from_integrity else "hours:pending",
        page=_integrity_page if from_integrity else _pending_page,
    )


def _decision_items(found, *, failed=None, failed_form=None):
    return [
        {
            "finding": finding,
            "form": failed_form
            if failed == (finding.user_id, finding.kind, finding.key)
            else IntegrityDecisionForm(initial={"learner": finding.user_id, "kind": finding.kind, "key": finding.key}),
        }
        for finding in found
    ]


def _integrity_page(request, scope, *, failed=None, failed_form=None, failed_review=None, status=200):
    """`failed`: the finding whose form comes back with errors; `failed_review`: the pending hours'."""
    items = _decision_items(integrity.findings(scope=scope), failed=failed, failed_form=failed_form)
    reviews = [
        {"entry": entry, "form": failed_form if entry.pk == failed_review else DecisionForm()}
        for entry in selectors.pending_reviews(scope=scope)
    ]
    return render(request, "hours/integrity.html", {"items": items, "reviews": reviews}, status=status)


@login_required
def integrity_view(request):
    return _integrity_page(request, _scope_for(request))


def _learner_page(request, scope, learner, *, failed=None, failed_form=None, status=200):
    found = integrity.findings(scope=scope, user_ids=[learner.pk])
    context = {
        "learner": learner,
        "items": _decision_items(found, failed=failed, failed_form=failed_form),
        "courses": integrity.learner_course_minutes(user_id=learner.pk),
    }
    return render(request, "hours/integrity_learner.html", context, status=status)


@login_required
def integrity_learner_view(request, user_id: int):
    """One learner's findings and verified minutes per course; a person outside the scope: 404."""
    scope = _scope_for(request)
    learner = integrity.learner_in_scope(scope=scope, user_id=user_id)
    if learner is None:
        raise Http404(_("No such learner."))
    return _learner_page(request, scope, learner)


@login_required
@require_POST
def integrity_decide_view(request):
    """A head's decision on one finding about a learner in their scope (anyone else's: 404)."""
    scope = _scope_for(request)
    form = IntegrityDecisionForm(request.POST)
    learner_id = form.data.get("learner", "")
    if not str(learner_id).isdigit():
        raise Http404(_("No such finding."))
    finding = next(
        (
            found
            for found in integrity.findings(scope=scope, user_ids=[int(learner_id)])
            if (found.kind, found.key) == (form.data.get("kind"), form.data.get("key"))
        ),
        None,
    )
    if finding is None:
        raise Http404(_("No such finding."))
    to_learner = request.POST.get("back") == "learner"
    if not form.is_valid():
        failed = (finding.user_id, finding.kind, finding.key)
        if to_learner:
            learner = integrity.learner_in_scope(scope=scope, user_id=finding.user_id)
            return _learner_page(request, scope, learner, failed=failed, failed_form=form, status=400)
        return _integrity_page(request, scope, failed=failed, failed_form=form, status=400)
    try:
        services.integrity_decide(
            approver=request.user,
            finding=finding,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        raise Http404(_("No such finding.")) from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was saved."))
    if to_learner:
        return redirect("hours:integrity_learner", user_id=finding.user_id)
    return redirect("hours:integrity")


@login_required
def integrity_export_view(request, file_format: str):
    if file_format not in ReportExport.Format.values:
        raise Http404(_("No such export."))
    scope = _scope_for(request)
    found = integrity.findings(scope=scope)
    header = [
        pgettext("person", "Name"),
        _("Department"),
        _("Finding"),
        _("Courses"),
        _("Verified study minutes"),
        _("Minutes the content asks for"),
        _("Detail"),
        _("Completed at"),
        _("Decision"),
        _("Reason"),
    ]
    rows = (
        [
            finding.name,
            finding.department,
            str(finding.kind_label),
            "; ".join(finding.course_titles),
            finding.active_minutes,
            "" if finding.expected_minutes is None else finding.expected_minutes,
            finding.detail,
            timezone.localtime(finding.when).strftime("%Y-%m-%d %H:%M"),
            str(finding.review.get_decision_display()) if finding.review else "",
            finding.review.reason if finding.review else "",
        ]
        for finding in found
    )
    table = ExportTable(str(_("Study integrity"))[:31], header, rows, len(found))
    handle = io.BytesIO()
    write_table(table, file_format, handle)
    handle.seek(0)
    name = f"study-integrity-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    unit = scope.unit_or_404(None)
    download_log(
        user=request.user,
        instance=export_subject(unit=unit.department, user=request.user),
        filename=name,
        data={"report": "study_integrity", "rows": table.count},
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[file_format])


@private_file_view
def attachment_view(request, declaration_id: int):
    """The owner, and those who may decide on the declaration, download its attachment."""
    declaration = get_object_or_404(OfflineTraining.objects.select_related("user__department"), pk=declaration_id)
    if declaration.user_id != request.user.pk and not services.can_decide(
        approver=request.user, declaration=declaration
    ):
        raise Http404(_("No such declaration."))
    extension = Path(declaration.attachment.name).suffix.lower()
    return private_file_response(
        declaration.attachment,
        filename=f"offline-training-{declaration.pk}{extension}",
        content_type=ATTACHMENT_TYPES.get(extension, "application/octet-stream"),
        downloaded_by=request.user,
        subject=declaration,
    )
