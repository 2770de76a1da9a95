"""The model field of question HTML: Wagtail's rich text, sanitised on every write.

Sanitising in get_prep_value reaches every path that writes the column (admin forms, imports,
services, bulk_create, QuerySet.update), so no caller can forget it; the form field sanitises
too, so the editor shows a trainer what was stored."""

from django import forms
from wagtail.fields import RichTextField

from .question_html import QUESTION_FEATURES, sanitise_html


class SanitisedHTMLFormField(forms.CharField):
    def to_python(self, value):
        return sanitise_html(super().to_python(value) or "")


class QuestionHTMLField(RichTextField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", QUESTION_FEATURES)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return sanitise_html(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SanitisedHTMLFormField, **kwargs})
