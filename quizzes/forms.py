"""Forms of the trainers' question-bank tools in the Wagtail admin (quizzes.admin_views)."""

from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from privatefiles.uploads import validate_upload

from .models import QuestionCategory

MAX_IMPORT_BYTES = 5 * 1024 * 1024

# File name extension -> import format.
IMPORT_FORMATS = {".txt": "gift", ".gift": "gift", ".xml": "moodle_xml", ".xlsx": "excel"}


ENCODING_CHOICES = [
    ("", _("Detect automatically")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("gb18030", _("GBK / GB18030 (Simplified Chinese)")),
    ("cp1252", _("Windows-1252 (Western European)")),
]


def import_format_for(filename: str) -> str | None:
    return IMPORT_FORMATS.get(PurePath(filename).suffix.lower())


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Question file"),
        help_text=_(
            "GIFT (.txt or .gift), Moodle XML (.xml) or the Excel template (.xlsx), at most 5 MB. "
            "The encoding of a text file is detected: UTF-8, UTF-16, GBK or Windows-1252."
        ),
        widget=forms.FileInput(attrs={"accept": ".txt,.gift,.xml,.xlsx"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=QuestionCategory.objects.order_by("name"),
        required=False,
        empty_label=_("(none)"),
        help_text=_("The category the questions go into."),
    )
    use_file_categories = forms.BooleanField(
        label=_("Use the categories in the file"),
        required=False,
        initial=True,
        help_text=_(
            "Questions go into the categories the file names (missing ones are created, "
            "“A/B” becomes “A / B”); the category above takes the questions the file does not categorise."
        ),
    )

    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=ENCODING_CHOICES,
        help_text=_("Leave it to detection unless the dry run shows garbled text. Not used for Excel files."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if import_format_for(upload.name) is None:
            raise forms.ValidationError(
                _("“%(name)s” is not a question file: choose a .txt, .gift, .xml or .xlsx file."),
                code="file_type",
                params={"name": upload.name},
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 5 MB."),
                code="file_size",
                params={"size": filesizeformat(upload.size)},
            )
        # Type by content (a real ZIP for .xlsx, no binary in a text file) and what an .xlsx unpacks to.
        validate_upload(upload, extensions=IMPORT_FORMATS, max_bytes=MAX_IMPORT_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("use_file_categories") and not cleaned.get("category"):
            self.add_error("category", _("Choose a category, or use the categories in the file."))
        return cleaned


class ImportConfirmForm(forms.Form):
    """The confirm button of a dry run: the upload's token and the choices made with it."""

    encoding = forms.ChoiceField(required=False, choices=ENCODING_CHOICES, widget=forms.HiddenInput)
    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", widget=forms.HiddenInput)
    category = forms.ModelChoiceField(queryset=QuestionCategory.objects.all(), required=False, widget=forms.HiddenInput)
    use_file_categories = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ExportForm(forms.Form):
    FORMAT_CHOICES = [
        ("excel", _("Excel (.xlsx), the import template's layout")),
        ("gift", _("GIFT (.txt)")),
        ("moodle_xml", _("Moodle XML (.xml)")),
    ]

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=QuestionCategory.objects.order_by("name"),
        required=False,
        empty_label=_("All categories"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="excel")


class ScoreWithinMarkMixin:
    """A trainer's score for one answer, from 0 to the question's mark (when known): the field shows
    the bound and the form refuses more (the grading services check it again under their lock)."""

    def __init__(self, *args, mark: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mark = mark
        if mark is not None:
            shown = format(mark.normalize(), "f")
            self.fields["score"].widget.attrs["max"] = shown
            self.fields["score"].help_text = _("Between 0 and %(mark)s.") % {"mark": shown}

    def clean_score(self):
        score = self.cleaned_data["score"]
        if self.mark is not None and score > self.mark:
            raise forms.ValidationError(
                _("The score must be between 0 and %(mark)s."),
                code="max_value",
                params={"mark": format(self.mark.normalize(), "f")},
            )
        return score


class EssayGradeForm(ScoreWithinMarkMixin, forms.Form):
    """A trainer's mark for one essay answer (0..the question's mark, two decimals as EssayGrade)."""

    score = forms.DecimalField(label=_("Score"), min_value=Decimal("0"), max_digits=6, decimal_places=2, localize=False)
    comment = forms.CharField(
        label=_("Comment for the learner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the learner with the mark in the review; recorded in the audit log."),
    )


class GradeOverrideForm(ScoreWithinMarkMixin, forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=Decimal("0"), max_digits=8, decimal_places=4, localize=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the grade and in the audit log."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the override."), code="required")
        return reason
