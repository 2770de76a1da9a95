"""Template tags of the site-wide components in templates/components/ that wrap content (an include
cannot), and of the few components on every lesson page built in Python (the progress bar). Registered in TEMPLATES["OPTIONS"]["libraries"] as `components`, because they belong to no
one app: every app's pages use them, whatever its place in the order of imports."""

import hashlib
import threading
from collections import OrderedDict
from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

register = template.Library()


class ScrollBoxNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context):
        # A box that scrolls must be reachable by keyboard (axe: scrollable-region-focusable), and a
        # focusable region needs a name that says what is inside it.
        return format_html(
            '<div class="scroll-box" data-scroll-box role="region" tabindex="0" aria-label="{}">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scroll_box(parser, token):
    """{% scroll_box label %}<table>…</table>{% end_scroll_box %}: a wide table scrolls sideways
    inside its own box on a narrow screen instead of widening the page. The label names the box
    for screen readers and must differ from the other boxes' on the page."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the box's label")
    nodelist = parser.parse(("end_scroll_box",))
    parser.delete_first_token()
    return ScrollBoxNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def active_filters(form, exclude: str = "") -> list[tuple[str, str]]:
    """(label, value as shown) for each field of a bound filter form that narrows the list, for the
    header of a printed report. `exclude`: comma-separated field names shown elsewhere (the scope)."""
    if form is None or not form.is_bound:
        return []
    skipped = set(exclude.split(","))
    shown = []
    for field in form:
        value = field.value()
        if field.name in skipped or value in (None, "", False):
            continue
        if isinstance(field.field, forms.BooleanField):
            text = _("Yes")
        elif isinstance(field.field, forms.ChoiceField):
            labels = {str(key): label for key, label in field.field.choices}
            # Unit names are indented with no-break spaces to draw the tree in the menu.
            text = str(labels.get(str(value), value)).strip("\u00a0 ")
        else:
            text = str(value)
        shown.append((str(field.label), text))
    return shown


def number_html(value) -> str:
    """A number as `{{ value }}` shows it, escaped. A whole number is its digits while the site
    groups no thousands (USE_THOUSAND_SEPARATOR): localize()'s format lookups cost more than the
    rest of a progress bar."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


@register.simple_tag
def progress_bar(*, percent, done, total, id=None) -> str:
    """`{% progress_bar percent=… done=… total=… id=… %}`: a course's progress as a label ("3 of 7
    steps done"), a <progress> and the figure; `id` tells the bars of one page apart ("course"
    when none is given). Built in Python rather than an include: on a lesson page the template
    engine's work for these few lines cost more than building them (issue 17)."""
    element_id = conditional_escape(f"progress-{id or 'course'}")
    percent = number_html(percent)
    # As {% blocktranslate %} gives it: the translated sentence as it is, the figures escaped.
    label = ngettext("%(done)s of %(total)s step done", "%(done)s of %(total)s steps done", total) % {
        "done": number_html(done),
        "total": number_html(total),
    }
    return mark_safe(  # noqa: S308 (every part escaped above)
        f'\n<div class="progress-block">\n<label for="{element_id}">{label}</label>'
        f'\n<progress id="{element_id}" class="progress" max="100" value="{percent}" data-percent="{percent}">'
        f'{percent}%</progress>\n<span class="progress-figure">{percent}%</span>\n</div>\n'
    )


@register.filter
def lookup(mapping, key):
    """`{% with facts=course_facts|lookup:course.pk %}`: one entry of a mapping keyed by id (a
    template cannot index by a variable); an empty dict when the key is missing."""
    if not mapping:
        return {}
    return mapping.get(key) or {}


# Addresses and markup that are the same for every person, remembered per process. Only the
# URL conf (fixed while the process runs), the language and the script prefix decide them.
_FIXED: dict[tuple, str] = {}
_FIXED_LIMIT = 1000  # fixed addresses are a few dozen; the bound keeps a misuse from growing it


def _remembered(key: tuple, make) -> str:
    value = _FIXED.get(key)
    if value is None:
        value = make()
        if len(_FIXED) < _FIXED_LIMIT:
            _FIXED[key] = value
    return value


@register.simple_tag
def fixed_url(name: str, *args) -> str:
    """`{% fixed_url 'accounts:login' %}`: `{% url %}` for an address that is the same for everyone
    (no argument that depends on the person), reversed once per process, language and script
    prefix instead of on every request (issue 17: the header and footer have a dozen)."""
    key = ("url", name, args, get_language(), get_script_prefix(), get_urlconf())
    return _remembered(key, lambda: reverse(name, args=args))


@register.simple_tag(takes_context=True)
def study_beat(context) -> str:
    """`{% study_beat %}`: a step's heartbeat (static/js/studytime.js), from the page's `study_beat`
    (studytime.services.page_view_start); the server credits active time from it. Nothing when
    the page has none. Built in Python, as the progress bar (issue 17)."""
    beat = context.get("study_beat")
    if not beat:
        return ""
    return format_html(
        '\n<div hidden data-study-beat data-url="{}" data-token="{}" data-step="{}" data-interval="{}"'
        ' data-idle="{}" data-csrf="{}"></div>\n',
        fixed_url("studytime:beat"),
        beat["token"],
        mark_safe(number_html(beat["step_id"])),  # noqa: S308 (escaped by number_html)
        mark_safe(number_html(beat["interval"])),  # noqa: S308
        mark_safe(number_html(beat["idle"])),  # noqa: S308
        context.get("csrf_token", ""),
    )


@register.simple_tag
def fixed_static(path: str) -> str:
    """`{% fixed_static 'css/site.css' %}`: `{% static %}` remembered per process and script
    prefix. The hashed name comes from the manifest read when the process started, so it does not
    change while the process runs; looking it up cost about as much as the rest of a small
    component (issue 17: the base template has three, a step page four)."""
    return _remembered(("static", path, get_script_prefix()), lambda: static(path))


@register.simple_tag
def language_options() -> str:
    """The language switcher's <option>s, the current language selected: built once per process
    and language (get_language_info_list and a loop in the template on every page before)."""
    current = get_language()

    def build() -> str:
        return format_html_join(
            "\n",
            '<option value="{}" lang="{}"{}>{}</option>',
            (
                (code, code, mark_safe(" selected") if code == current else "", get_language_info(code)["name_local"])  # noqa: S308
                for code, _name in settings.LANGUAGES
            ),
        )

    return _remembered(("language options", current), build)


# Fragments rendered by {% same_for %}, per process, the least recently used dropped first. Per
# process (not the shared cache): the key is everything the fragment depends on, so there is
# nothing to invalidate across processes, a deploy starts empty, and a hit costs no round trip.
SAME_FOR_MAX_FRAGMENTS = 512
_fragments: OrderedDict = OrderedDict()
_fragments_lock = threading.Lock()


def _key_part(value):
    """A plain, hashable stand-in for a value a fragment depends on. Only plain values are
    accepted (text, numbers (a Decimal too: an amount of credit hours), and lists or mappings of them): a model instance, a user or a
    request is refused, so nothing about the person can become part of what is shared."""
    if value is None or isinstance(value, str | int | float | bool | Decimal):
        return value
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        return str(value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), _key_part(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_key_part(item) for item in value)
    raise template.TemplateSyntaxError(
        f"same_for is keyed by plain values (text, numbers, lists of them), not {type(value).__name__}"
    )


class SameForNode(template.Node):
    def __init__(self, name, values, nodelist, signature: str):
        self.name = name
        self.values = values
        self.nodelist = nodelist
        self.signature = signature

    def render(self, context):
        key = (
            self.signature,
            self.name.resolve(context),
            get_language(),
            tuple(_key_part(value.resolve(context)) for value in self.values),
        )
        with _fragments_lock:
            html = _fragments.get(key)
            if html is not None:
                _fragments.move_to_end(key)
                return html
        html = mark_safe(self.nodelist.render(context))  # noqa: S308 (the nodelist's own output, escaped as it was rendered)
        with _fragments_lock:
            _fragments[key] = html
            while len(_fragments) > SAME_FOR_MAX_FRAGMENTS:
                _fragments.popitem(last=False)
        return html


@register.tag
def same_for(parser, token):
    """{% same_for "name" value … %}…{% end_same_for %}: the fragment is rendered once per process
    for each language and set of values, then served as it was rendered: for markup that is the
    same for every reader (a filter's list of options, the topics offered when nothing is found).

    The values must be everything the fragment shows that can change (the selected option, the
    labels of a list that comes from content, a content version); the active language and the
    fragment's own template text are part of the key already. Never wrap anything about the
    person (their progress, their name, an access decision) or a tag whose output depends on the
    request: it would be shown to the next reader."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and the values the fragment depends on")
    remaining = list(parser.tokens)  # reversed: the fragment's tokens are the ones parse() consumes
    nodelist = parser.parse(("end_same_for",))
    consumed = remaining[len(parser.tokens) :]
    parser.delete_first_token()
    # An edited fragment (a template changed while the process runs, in development) gets a new key.
    signature = hashlib.sha256(
        "\x00".join(f"{fragment_token.token_type}:{fragment_token.contents}" for fragment_token in consumed).encode()
    ).hexdigest()
    return SameForNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist, signature
    )
