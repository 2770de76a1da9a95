import re
from functools import lru_cache
from html import escape as escape_html
from typing import NamedTuple

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from config.components import lookup, number_html, progress_bar
from config.language import content_language

from ..progress import StepStatus

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


# The parts of a course step's page around its content: the breadcrumb, the learner's progress,
# the card of a completed course and the course outline. Built in Python, not included templates:
# through the template engine these few lines cost a lesson page more CPU than everything else it
# does beyond the About page (issue 17; benchmarks/profile_pages.py). One home each, shared by the
# lesson, quiz step and course pages; the markup is what the templates gave, escaped the same way
# (tests/courses/test_outline_markup.py compares them). html.escape is what Django's escape()
# applies, without its lazy-text wrapper.


class _Words(NamedTuple):
    """The fixed words of these parts in one language, escaped as {% translate %} gives them."""

    statuses: dict[StepStatus, str]
    course_outline: str
    completed: str
    download_certificate: str
    step_of: str  # a sentence with %(position)s and %(total)s, as {% blocktranslate %} fills it


@lru_cache(maxsize=16)
def _words(language: str) -> _Words:
    """Per process and language: the catalogues do not change while the process runs."""
    with translation.override(language or None):
        return _Words(
            statuses={
                StepStatus.DONE: "✓ " + escape_html(gettext("Done")),
                StepStatus.LOCKED: escape_html(pgettext("course step", "Locked")),
                StepStatus.AVAILABLE: escape_html(pgettext("course progress", "Not started")),
            },
            course_outline=escape_html(gettext("Course outline")),
            completed=escape_html(gettext("You have completed this course.")),
            download_certificate=escape_html(gettext("Download your certificate (PDF)")),
            step_of=gettext("Step %(position)s of %(total)s"),
        )


@lru_cache(maxsize=4096)
def _title_html(title: str, language: str) -> SafeString:
    """A step's title, escaped, marked with its own language (config.language.in_own_language):
    the same for every learner, so kept per process for each title and page language."""
    own = content_language(title, language)
    return format_html('<span lang="{}">{}</span>', own, title) if own else conditional_escape(title)


@register.simple_tag
def step_breadcrumb(learning) -> SafeString:
    """`{% step_breadcrumb learning %}`: above a course step, the course (a link) and which step of
    how many this is."""
    language = get_language() or ""
    position = ""
    if learning.current:
        position = " · " + _words(language).step_of % {
            "position": number_html(learning.current.position),
            "total": number_html(len(learning.outline)),
        }
    title = _title_html(learning.course.title, language)
    return mark_safe(f'<p class="breadcrumb"><a href="{escape_html(learning.course_url)}">{title}</a>{position}</p>')  # noqa: S308 (each part escaped above)


@register.simple_tag
def course_outline(learning) -> SafeString:
    """`{% course_outline learning %}`: the course's steps in order, each with this learner's
    status; a locked step is named, not linked; the current one is marked."""
    language = get_language() or ""
    labels = _words(language).statuses
    items = []
    for entry in learning.outline:
        status = StepStatus(entry.status)  # one of three fixed words: nothing to escape
        title = _title_html(entry.title, language)
        current = " is-current" if entry.is_current else ""
        if status == StepStatus.LOCKED:
            name = f"<span>{title}</span>"
        else:
            aria = ' aria-current="step"' if current else ""
            name = f'<a href="{escape_html(entry.url)}"{aria}>{title}</a>'
        items.append(
            f'\n<li class="outline-step status-{status.value}{current}">\n{name}'
            f'\n<span class="step-status">{labels[status]}</span>\n</li>'
        )
    return mark_safe(f'\n<ol class="outline">{"".join(items)}\n</ol>\n')  # noqa: S308 (each part escaped above)


@register.simple_tag
def course_completed(course, course_facts, primary: bool = False) -> SafeString:
    """`{% course_completed course course_facts primary=True %}`: wherever a learner sees a course
    they completed, the status and their own valid certificate (course_facts from courses.facets).
    primary: the link is the page's main action."""
    words = _words(get_language() or "")
    try:
        certificate_url = lookup(course_facts, course.pk)["certificate_url"]
    except KeyError:  # a plain mapping without the fact (LearnerCourseFacts answers None)
        certificate_url = None
    link = ""
    if certificate_url:
        link = (
            f'<p><a class="btn{" btn-primary" if primary else ""} certificate-link"'
            f' href="{conditional_escape(certificate_url)}">{words.download_certificate}</a></p>'
        )
    return mark_safe(f'\n<p class="status status-done">{words.completed}</p>\n{link}\n')  # noqa: S308 (each part escaped above)


@register.simple_tag(takes_context=True)
def step_outline(context, learning) -> SafeString:
    """`{% step_outline learning %}`: beside a course step (a lesson, a quiz step), the learner's
    progress, the completed-course card and the course outline."""
    completed = course_completed(learning.course, context.get("course_facts")) if learning.completed else ""
    progress = progress_bar(percent=learning.percent, done=learning.steps_done, total=learning.steps_total)
    heading = _words(get_language() or "").course_outline
    return mark_safe(  # noqa: S308 (each part escaped where it was made)
        f'<aside class="card lesson-outline" aria-labelledby="outline-heading">\n<div class="card-body">{progress}'
        f'{completed}\n<h2 id="outline-heading">{heading}</h2>{course_outline(learning)}\n</div>\n</aside>'
    )
