import datetime

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from config.widgets import ContentLanguageSelect

from .selectors import SORTS, Status


class CourseFilterForm(forms.Form):
    """Filters of the course drill-down. The sub-unit list holds only units inside the scope;
    the view resolves the submitted unit through the scope itself (outside it: 404)."""

    unit = forms.ChoiceField(label=_("Sub-unit"), required=False, widget=ContentLanguageSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *Status.CHOICES])
    # A date input's value is ISO in every language (zh_Hans's first input format, Y/m/d, would leave it blank).
    date_from = forms.DateField(
        label=_("Last activity from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Last activity to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units in my scope"))] + [
            (str(pk), name) for pk, name in unit_choices
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


def export_params(report: str, data) -> dict:
    """The whitelisted, normalised parameters of an export; anything else is dropped. Scope
    checks happen when the table is built (reports.exports.build_table)."""
    from .models import ReportExport

    def digits(name):
        value = (data.get(name) or "").strip()
        if value and not value.isdigit():
            raise Http404(_("No such record."))
        return value

    def iso_date(name):
        try:
            return datetime.date.fromisoformat((data.get(name) or "").strip()).isoformat()
        except ValueError:
            return ""

    if report in (ReportExport.Report.OVERVIEW_COURSES, ReportExport.Report.OVERVIEW_UNITS):
        params = {"department": digits("department"), "course": digits("course")}
    elif report == ReportExport.Report.COURSE_LEARNERS:
        sort = (data.get("sort") or "").strip()
        status = (data.get("status") or "").strip()
        params = {
            "course": digits("course"),
            "unit": digits("unit"),
            "status": status if status in Status.LABELS else "",
            "from": iso_date("date_from"),
            "to": iso_date("date_to"),
            "sort": sort if sort.lstrip("-") in SORTS else "",
        }
    else:
        params = {"user": digits("user")}
    return {key: value for key, value in params.items() if value}
