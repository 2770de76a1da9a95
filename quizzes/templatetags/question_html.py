"""Rendering question HTML: the one place where it is marked safe, and only as the sanitiser's
output (Wagtail then turns its image embeds into <img> of our own renditions)."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.rich_text import expand_db_html

from quizzes.question_html import html_to_plain, sanitise_html, unwrap_paragraph

register = template.Library()


@register.filter
def question_html(value) -> SafeString:
    """Stem or feedback: block HTML."""
    return mark_safe(expand_db_html(sanitise_html(str(value or ""))))  # noqa: S308 - sanitised just above


@register.filter
def question_html_inline(value) -> SafeString:
    """An option's text, inside its <label>: a single paragraph loses its <p>."""
    return mark_safe(expand_db_html(unwrap_paragraph(sanitise_html(str(value or "")))))  # noqa: S308 - sanitised


@register.filter
def question_plain(value) -> str:
    """The words only, for listings and titles (escaped by the template as usual)."""
    return html_to_plain(str(value or ""))


@register.filter
def question_plain_short(value, length: int) -> str:
    """`question_plain|truncatechars:length`, remembered per text, length and language: the exam
    page's submit dialog names every question, and Django's truncation walks each character."""
    return _plain_short(str(value or ""), int(length), get_language() or "")


@lru_cache(maxsize=4096)
def _plain_short(text: str, length: int, _language: str) -> str:
    # The language is in the key: the ellipsis is translatable.
    return truncatechars(html_to_plain(text), length)
