"""Template tags of the site-wide components in templates/components/ that wrap content (an include
cannot). Registered in TEMPLATES["OPTIONS"]["libraries"] as `components`, because they belong to no
one app: every app's pages use them, whatever its place in the order of imports."""

from django import forms, template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
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
