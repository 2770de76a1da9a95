import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def shortcut_keys(text: str) -> list[str]:
    """ "Ctrl + Alt+Del" → ["Ctrl", "Alt", "Del"]; a lone "+" key survives."""
    keys = [key.strip() for key in str(text).split("+")]
    return [key for key in keys if key] or [str(text)]


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


@register.filter(is_safe=True)
def outline_headings(html) -> str:
    """Authored content's headings made to follow the page's own h1 without skipping a level
    (h1 → h3 leaves screen-reader users wondering what they missed): each heading becomes at most
    one level deeper than the one before it, and never an h1. Relative structure is kept."""
    previous = 1
    current = None

    def renumber(match: re.Match) -> str:
        nonlocal previous, current
        closing, level = match.group(1), int(match.group(2))
        if closing:
            return f"</h{current or level}"
        current = max(2, min(level, previous + 1))
        previous = current
        return f"<h{current}"

    return mark_safe(_HEADING_TAG.sub(renumber, str(html)))  # noqa: S308 - only tag names change


@register.filter
def marked(parts) -> str:
    """A search snippet's (text, matched) parts as HTML: every part escaped, the matched words in
    <mark>. One filter call where a template loop over the parts cost the search page about a
    twelfth of its rendering (up to 60 snippets of a few parts each)."""
    return mark_safe("".join(f"<mark>{escape(text)}</mark>" if matched else escape(text) for text, matched in parts))  # noqa: S308 (every part escaped)
