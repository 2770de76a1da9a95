"""The organisation in the Wagtail admin (/admin/departments/), for city administrators only:
the tree, adding a unit, renaming, moving a unit with its subtree, retiring a unit with its
people and assignments handled. Each page parses its form and calls one service; every change
is audited by the service. These views live in `assignments` (not `departments`) because moving
and retiring reach people and required learning, which `departments` may not import."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.admin_views import CityAdminRequiredMixin
from departments.models import Department
from departments.selectors import department_tree_with_retired
from departments.services import DepartmentChangeRefused, department_add_child, department_rename

from .admin_forms import DepartmentCreateForm, DepartmentMoveForm, DepartmentNamesForm, DepartmentRetireForm
from .organisation import department_move_with_people, department_retire_plan, department_retire_with_people


class OrganisationPageMixin(CityAdminRequiredMixin, WagtailAdminTemplateMixin):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("departments_admin:index"), "label": _("Departments")}]
        if self.get_page_title() != _("Departments"):
            items.append({"url": "", "label": self.get_page_title()})
        return items


class DepartmentIndexView(OrganisationPageMixin, TemplateView):
    template_name = "assignments/admin/departments_index.html"
    page_title = gettext_lazy("Departments")

    def get_context_data(self, **kwargs):
        units = department_tree_with_retired().annotate(people=Count("members", filter=Q(members__is_active=True)))
        return super().get_context_data(units=units, **kwargs)


class DepartmentFormView(OrganisationPageMixin, FormView):
    template_name = "assignments/admin/department_form.html"
    submit_label = ""

    def dispatch(self, request, *args, **kwargs):
        self.department = None
        return super().dispatch(request, *args, **kwargs)

    def get_department(self):
        if self.department is None:
            self.department = get_object_or_404(Department.objects.current(), pk=self.kwargs["pk"])
        return self.department

    def get_context_data(self, **kwargs):
        return super().get_context_data(department=self.department, submit_label=self.submit_label, **kwargs)

    def refused(self, form, error):
        form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        return self.form_invalid(form)


class DepartmentCreateView(DepartmentFormView):
    form_class = DepartmentCreateForm
    page_title = gettext_lazy("Add a unit")
    submit_label = gettext_lazy("Add the unit")

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            unit = department_add_child(
                parent=data["parent"],
                name=data["name"].strip(),
                name_en=data["name_en"].strip(),
                created_by=self.request.user,
            )
        except DepartmentChangeRefused as error:
            return self.refused(form, error)
        messages.success(self.request, _("%(unit)s was added.") % {"unit": unit.display_name})
        return redirect("departments_admin:index")


class DepartmentRenameView(DepartmentFormView):
    form_class = DepartmentNamesForm
    page_title = gettext_lazy("Rename a unit")
    submit_label = gettext_lazy("Rename")

    def get_initial(self):
        department = self.get_department()
        return {"name": department.name, "name_en": department.name_en}

    def form_valid(self, form):
        department = self.get_department()
        try:
            department_rename(
                department=department,
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                renamed_by=self.request.user,
            )
        except DepartmentChangeRefused as error:
            return self.refused(form, error)
        messages.success(self.request, _("%(unit)s was renamed.") % {"unit": department.display_name})
        return redirect("departments_admin:index")


class DepartmentMoveView(DepartmentFormView):
    form_class = DepartmentMoveForm
    page_title = gettext_lazy("Move a unit")
    submit_label = gettext_lazy("Move")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "department": self.get_department()}

    def form_valid(self, form):
        department = self.get_department()
        try:
            department_move_with_people(
                department=department, parent=form.cleaned_data["parent"], moved_by=self.request.user
            )
        except DepartmentChangeRefused as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("%(unit)s and everything under it now sit under %(parent)s.")
            % {"unit": department.display_name, "parent": form.cleaned_data["parent"].display_name},
        )
        return redirect("departments_admin:index")


class DepartmentRetireView(DepartmentFormView):
    template_name = "assignments/admin/department_retire.html"
    form_class = DepartmentRetireForm
    page_title = gettext_lazy("Retire a unit")
    submit_label = gettext_lazy("Retire the unit")

    def get_plan(self):
        if not hasattr(self, "plan"):
            self.plan = department_retire_plan(department=self.get_department())
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "department": self.get_department(), "plan": self.get_plan()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.get_plan(), **kwargs)

    def form_valid(self, form):
        department = self.get_department()
        try:
            department_retire_with_people(
                department=department,
                receiving=form.cleaned_data["receiving"],
                assignments_action=form.cleaned_data["assignments"],
                retired_by=self.request.user,
            )
        except DepartmentChangeRefused as error:
            return self.refused(form, error)
        messages.success(self.request, _("%(unit)s was retired.") % {"unit": department.display_name})
        return redirect("departments_admin:index")
