"""Required learning: the learner's list, and for heads and city admins the assignments of
their scope and its overdue people.

Scope is built on the server from the signed-in user (accounts.scope): a
unit outside it is a 404, a person without a head or admin role gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import user_scope
from courses.facets import learner_course_facts

from . import selectors, services
from .forms import AssignmentForm, OverdueFilterForm

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
            services.assignment_create(
                course=data["course"],
                department=data["department"],
                positions=data["positions"],
                due_date=data["due_date"],
                due_days=data["due_days"],
                repeat_yearly=data["repeat_yearly"],
                created_by=request.user,
            )
            messages.success(request, _("The course was assigned."))
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
