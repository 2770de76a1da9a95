from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import ContentLanguageSelect
from courses.models import CoursePage


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none(), widget=ContentLanguageSelect)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, widget=ContentLanguageSelect)
    positions = forms.CharField(
        label=_("Positions"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas; leave empty for every position."),
    )
    # A date input's value is ISO in every language (zh_Hans's first input format, Y/m/d, would leave it blank).
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    due_days = forms.IntegerField(label=_("Or days after being assigned"), required=False, min_value=1, max_value=3650)
    repeat_yearly = forms.BooleanField(label=_("Repeat every year"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {department.pk: department for department in departments}
        top = min((d.depth for d in self.departments.values()), default=1)
        self.fields["department"].choices = [
            (pk, "\u00a0\u00a0" * (d.depth - top) + d.display_name) for pk, d in self.departments.items()
        ]
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.helper = FormHelper()
        self.helper.add_input(Submit("assign", _("Assign")))

    def clean_department(self):
        return self.departments[self.cleaned_data["department"]]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_date") is None) == (cleaned.get("due_days") is None) and not self.has_error("due_date"):
            self.add_error("due_date", _("Give either a due date or a number of days, not both."))
        return cleaned


class OverdueFilterForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None, widget=ContentLanguageSelect)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        top = min((d.depth for d in departments), default=1)
        self.fields["department"].choices = [
            ("", _("Whole scope")),
            *[(d.pk, "\u00a0\u00a0" * (d.depth - top) + d.display_name) for d in departments],
        ]


class AssignmentEditForm(forms.Form):
    """What may change on an assignment (its course and unit stay; withdraw and assign anew
    for those)."""

    positions = AssignmentForm.base_fields["positions"]
    due_date = AssignmentForm.base_fields["due_date"]
    due_days = AssignmentForm.base_fields["due_days"]
    repeat_yearly = AssignmentForm.base_fields["repeat_yearly"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save changes")))

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_date") is None) == (cleaned.get("due_days") is None) and not self.has_error("due_date"):
            self.add_error("due_date", _("Give either a due date or a number of days, not both."))
        return cleaned
