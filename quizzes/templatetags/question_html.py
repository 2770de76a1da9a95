"""Rendering question HTML: the one place where it is marked safe, and only as the sanitiser's
output (Wagtail then turns its image embeds into <img> of our own renditions)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
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
