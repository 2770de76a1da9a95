"""Required learning: the learner's list, and for heads and city admins the assignments of
their scope and its overdue people.

Scope is built on the server from the signed-in user (accounts.scope): a
unit outside it is a 404, a person without a head or admin role gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scope import user_scope
from courses.facets import learner_course_facts

from . import selectors, services
from .forms import AssignmentEditForm, AssignmentForm, OverdueFilterForm

PAGE_SIZE = 50


def _scope_for(request):
    scope = user_scope(request.user)
    if not scope.allowed:
        raise PermissionDenied(_("Required learning is assigned by department heads and city administrators."))
    return scope


@login_required
def my_required_view(request):
    items = selectors.learner_required(user=request.user)
    return render(
        request,
        "assignments/my_required.html",
        {
            "items": items,
            "overdue_count": sum(1 for item in items if item["overdue"]),
            "course_facts": learner_course_facts(user=request.user, courses=[item["course"] for item in items]),
        },
    )


@login_required
def manage_view(request):
    scope = _scope_for(request)
    departments = list(scope.departments())
    if request.method == "POST":
        form = AssignmentForm(request.POST, departments=departments)
        if form.is_valid():
            data = form.cleaned_data
            assignment = services.assignment_create(
                course=data["course"],
                department=data["department"],
                positions=data["positions"],
                due_date=data["due_date"],
                due_days=data["due_days"],
                repeat_yearly=data["repeat_yearly"],
                created_by=request.user,
            )
            if assignment.made_now:
                messages.success(request, _("The course was assigned."))
            else:
                # The same form sent again (a double click, a retry, another head): say so.
                messages.info(
                    request, _("The course was already assigned to this unit on the same terms: nothing was changed.")
                )
            return redirect("assignments:manage")
    else:
        form = AssignmentForm(departments=departments)
    page = Paginator(selectors.scope_assignments(scope=scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assignments/manage.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@login_required
def edit_view(request, pk):
    """Change an assignment's due rule, positions or yearly repeat (assignments.services.
    assignment_update, audited). A withdrawn assignment, or one outside the scope, is a 404."""
    scope = _scope_for(request)
    assignment = selectors.scope_assignment_or_404(scope=scope, pk=pk)
    if not assignment.active:
        raise Http404(_("This assignment was withdrawn."))
    if request.method == "POST":
        form = AssignmentEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.assignment_update(
                    assignment=assignment,
                    changed_by=request.user,
                    due_date=data["due_date"],
                    due_days=data["due_days"],
                    positions=data["positions"],
                    repeat_yearly=data["repeat_yearly"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(request, _("The assignment was changed."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("assignments:manage")
    else:
        form = AssignmentEditForm(
            initial={
                "positions": assignment.positions,
                "due_date": assignment.due_date,
                "due_days": assignment.due_days_after_assigned,
                "repeat_yearly": assignment.repeat_yearly,
            }
        )
    return render(
        request,
        "assignments/edit.html",
        {"form": form, "assignment": assignment},
        status=400 if form.errors else 200,
    )


@login_required
def withdraw_view(request, pk):
    """GET: what withdrawing would change; POST (CSRF): withdraw it (assignments.services.
    assignment_withdraw, audited) and say what it changed."""
    scope = _scope_for(request)
    assignment = selectors.scope_assignment_or_404(scope=scope, pk=pk)
    effect = selectors.assignment_withdraw_effect(assignment=assignment)
    if request.method == "POST":
        if services.assignment_withdraw(assignment=assignment, withdrawn_by=request.user):
            messages.success(
                request,
                ngettext(
                    "The assignment was withdrawn: %(open)s person no longer owes the course.",
                    "The assignment was withdrawn: %(open)s people no longer owe the course.",
                    effect["open"],
                )
                % effect,
            )
        else:
            messages.info(request, _("This assignment was already withdrawn."))
        return redirect("assignments:manage")
    return render(request, "assignments/withdraw.html", {"assignment": assignment, "effect": effect})


@login_required
def overdue_view(request):
    scope = _scope_for(request)
    department = scope.department_or_404(request.GET.get("department"))
    departments = list(scope.departments())
    form = OverdueFilterForm({"department": department.pk if department else ""}, departments=departments)
    today = timezone.localdate()
    rows = selectors.overdue_rows(scope=scope, department=department, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assignments/overdue.html",
        {
            "form": form,
            "page": page,
            "rows": [{"row": row, "days": (today - row.due_at).days} for row in page.object_list],
            "query": query.urlencode(),
        },
    )
