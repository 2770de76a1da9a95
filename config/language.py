"""Small language rules shared by every app's pages (pure functions; the template filters are in
config/language_tags.py, available to every template as `{% load language %}`)."""

import re
from decimal import Decimal

# A fractional amount ("1.5 credit hours", "0.5 marks") takes the form English uses for "many";
# any whole number other than one selects that form in our two languages (Chinese has one form).
FRACTION_PLURAL_COUNT = 2


def plural_number(amount) -> int:
    """The whole number to pick a plural form with (ngettext needs one) for an amount that may be
    fractional: the amount itself when it is whole, else FRACTION_PLURAL_COUNT."""
    if amount is None or amount == "":
        return 0
    value = Decimal(str(amount))
    return int(value) if value == value.to_integral_value() else FRACTION_PLURAL_COUNT


# Han ideographs (CJK Unified Ideographs, Extension A, Compatibility Ideographs): text with any of
# them is Chinese content for the purpose of marking its language.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def content_language(text, page_language: str) -> str:
    """The lang value content needs on a page in `page_language`: "zh-Hans" for Chinese text
    (demo data and authored content are Chinese) on a page that is not, else "" (it reads in
    the page's own language)."""
    if page_language.lower().startswith("zh") or not HAN.search(str(text or "")):
        return ""
    return "zh-Hans"


def stored_text_language(text, stored_language: str, page_language: str) -> str:
    """The lang value for text stored in a language of its own (a notification is written in its
    recipient's language when it is created): on a Chinese page, "en" for English text; on an
    English page, "zh-Hans" when the text has Chinese in it (Chinese text, or English text naming
    Chinese courses and people, which is better read with a Chinese voice than spelled out)."""
    if page_language.lower().startswith("zh"):
        return "" if stored_language.lower().startswith("zh") else "en"
    return content_language(text, page_language)


def in_own_language(text) -> str:
    """The text escaped, in a `<span lang="zh-Hans">` when it is Chinese and the active language is
    not: for Chinese content (a step's title) placed inside an English sentence."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.translation import get_language

    language = content_language(text, get_language() or "")
    return format_html('<span lang="{}">{}</span>', language, text) if language else conditional_escape(text)


def sentence_with_content(sentence: str, **content) -> str:
    """A translated sentence with %(name)s placeholders filled with content, each part escaped and
    the content marked with its own language (see in_own_language); safe to show as it is."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    filled = conditional_escape(sentence) % {name: in_own_language(value) for name, value in content.items()}
    return mark_safe(filled)  # noqa: S308 - every part was escaped above
