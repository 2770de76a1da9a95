"""Form widgets shared by every app's forms."""

from django import forms
from django.utils.translation import get_language

from config.language import content_language


class ContentLanguageSelect(forms.Select):
    """A select whose options are content (course titles, unit names): a Chinese option on an
    English page carries lang="zh-Hans", as the checks of the pages ask of any Chinese text."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        language = content_language(label, get_language() or "")
        if language:
            option["attrs"] = {**option["attrs"], "lang": language}
        return option
