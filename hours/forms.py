from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import ContentLanguageSelect

from .models import OfflineTraining
from .validators import validate_attachment


class OfflineTrainingForm(forms.ModelForm):
    class Meta:
        model = OfflineTraining
        fields = ["course_name", "start_date", "end_date", "hours", "attachment"]
        # A date input's value is ISO in every language (zh_Hans's first input format, Y/m/d, would leave it blank).
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attachment": forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        }
        help_texts = {"attachment": _("A certificate or attendance record: JPG, PNG or PDF, at most 5 MB.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("declare", _("Declare")))
        self.fields["hours"].min_value = 0.25
        self.fields["hours"].max_value = 200

    def clean_attachment(self):
        attachment = self.cleaned_data["attachment"]
        validate_attachment(attachment)
        return attachment

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


MISSING_DECISION = _(
    "The form did not say whether to approve or reject, so nothing was decided. Press one of the two buttons again."
)


class DecisionForm(forms.Form):
    # Sent by the button pressed (approve or reject); the form has two, so neither is assumed.
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        error_messages={"required": MISSING_DECISION, "invalid_choice": MISSING_DECISION},
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection."))
        return cleaned


class ComplianceFilterForm(forms.Form):
    department = forms.TypedChoiceField(
        label=_("Unit"), required=False, coerce=int, empty_value=None, widget=ContentLanguageSelect
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    below = forms.BooleanField(label=_("Below target only"), required=False)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Whole scope")), *unit_choices]


class IntegrityDecisionForm(forms.Form):
    """A head's decision on an integrity finding: which finding (learner, kind, key) and what."""

    learner = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.CharField(max_length=16, widget=forms.HiddenInput)
    key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accepted", _("Accept")), ("hours_rejected", _("Reject the hours"))],
        error_messages={"required": MISSING_DECISION, "invalid_choice": MISSING_DECISION},
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "hours_rejected" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection."))
        return cleaned
