"""Forms of the organisation's admin pages (assignments.admin_views). Every unit offered is a
current one: retired units are history, never a choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.admin_forms import DepartmentChoiceField
from departments.selectors import department_tree

from .organisation import ASSIGNMENTS_MOVE, ASSIGNMENTS_WITHDRAW


class DepartmentNamesForm(forms.Form):
    name = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160, required=False)


class DepartmentCreateForm(DepartmentNamesForm):
    parent = DepartmentChoiceField(queryset=department_tree(), label=_("Under"), empty_label=None)

    field_order = ["parent", "name", "name_en"]


class DepartmentMoveForm(forms.Form):
    parent = DepartmentChoiceField(queryset=department_tree(), label=_("Move under"), empty_label=None)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        # Not into its own subtree, not where it already is.
        parent = department.get_parent()
        self.fields["parent"].queryset = department_tree().exclude(path__startswith=department.path).exclude(
            pk=parent.pk if parent else None
        )


class DepartmentRetireForm(forms.Form):
    receiving = DepartmentChoiceField(
        queryset=department_tree(),
        label=_("Its active people move to"),
        required=False,
        empty_label=_("(no one to move)"),
        help_text=_("Required while the unit has active people. A department head among them loses the head role."),
    )
    assignments = forms.ChoiceField(
        label=_("Its active assignments"),
        choices=[
            (ASSIGNMENTS_WITHDRAW, _("Withdraw them: nobody owes them any more")),
            (ASSIGNMENTS_MOVE, _("Move them to the receiving unit and everything under it")),
        ],
        initial=ASSIGNMENTS_WITHDRAW,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, department, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["receiving"].queryset = department_tree().exclude(path__startswith=department.path)

    def clean(self):
        cleaned = super().clean()
        receiving = cleaned.get("receiving")
        if receiving is None and self.plan.people:
            self.add_error("receiving", _("Choose the unit its active people move to."))
        if receiving is None and self.plan.assignments and cleaned.get("assignments") == ASSIGNMENTS_MOVE:
            self.add_error("receiving", _("Choose the unit its assignments move to."))
        return cleaned
