"""Template filters for language: `{% load language %}` (registered in TEMPLATES' libraries, so that
every app's templates can use them without an app importing another)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from config.language import content_language, stored_text_language
from config.language import in_own_language as in_own_language_html
from config.language import plural_number as plural_number_of

register = template.Library()


@register.filter
def plural_number(amount) -> int:
    """`{% blocktranslate count counter=hours|plural_number %}`: a count for a fractional amount."""
    return plural_number_of(amount)


@register.filter
def lang_attr(text) -> str:
    """`<h1{{ course.title|lang_attr }}>`: ` lang="zh-Hans"` when the text is Chinese and the page
    is not, so that a screen reader reads it with a Chinese voice; nothing otherwise."""
    language = content_language(text, get_language() or "")
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def in_own_language(text) -> str:
    """`{{ person.name|in_own_language }}` inside English text: the text, in a
    `<span lang="zh-Hans">` when it is Chinese and the page is not (escaped either way)."""
    return in_own_language_html(text)


@register.filter
def lang_for(text, stored_language: str) -> str:
    """`<p{{ notification.body|lang_for:notification.language }}>`: the lang attribute for text
    stored in a language of its own (config.language.stored_text_language)."""
    language = stored_text_language(text, stored_language or "", get_language() or "")
    return format_html(' lang="{}"', language) if language else ""
