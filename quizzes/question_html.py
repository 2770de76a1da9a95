"""The one allow-list of the HTML a question may hold (stem, options, feedback), and the helpers
around it. Every write path stores what sanitise_html() returns (the model fields call it on
every save, imports before their dry run); the learner pages render through it again
(quizzes.templatetags.question_html), so nothing else is ever marked safe.

Pure Python (nh3, markdown): the formats use it without Django.

The allow-list is what the admin's rich text editor (Draftail, QUESTION_FEATURES) can hold, so a
trainer who opens an imported question edits exactly what learners see. Images are Wagtail image
embeds (<embed embedtype="image" id=…>), never <img src>: an imported image becomes a Wagtail
image first (quizzes.services), so no page asks another host for anything.
"""

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import nh3

# The Draftail features of the question fields (quizzes.models).
QUESTION_FEATURES = ["bold", "italic", "superscript", "subscript", "strikethrough", "code", "ol", "ul", "link", "image"]

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "sup", "sub", "s", "code", "ol", "ul", "li", "a", "embed"}
# Removed with everything inside them (the others are unwrapped: their text stays).
REMOVED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "textarea", "select"}
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}, "embed": {"embedtype", "id", "format", "alt"}}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_FORMATS = {"fullwidth", "left", "right"}
IMAGE_FORMAT = "fullwidth"

# Tags and attributes whose removal loses nothing a learner would notice (layout and styling
# wrappers Moodle's editor adds everywhere); the dry run does not list them.
_HARMLESS_TAGS = {"span", "div", "font", "html", "body", "head", "meta", "title", "link", "figure"}
_HARMLESS_ATTRIBUTES = {"style", "class", "dir", "lang", "id", "width", "height", "title", "align", "data-block-key"}

PLUGINFILE = "@@PLUGINFILE@@/"


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "embed":
        if attribute == "embedtype":
            return value if value == "image" else None
        if attribute == "id":
            return value if value.isdigit() else None
        if attribute == "format":
            return value if value in IMAGE_FORMATS else IMAGE_FORMAT
    if element == "a":
        if attribute == "linktype":
            return value if value == "page" else None
        if attribute == "id":
            return value if value.isdigit() else None
    return value


# The learner pages run every stem, option and feedback through sanitise_html (and listings
# through html_to_plain) on every request; both are pure functions of the string, so each
# process keeps its recent answers (bounded: question texts are short, a few thousand fit).
TEXT_CACHE_SIZE = 4096


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def sanitise_html(text: str) -> str:
    """The stored (and rendered) form of any question HTML. Idempotent."""
    if not text:
        return ""
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        # Relative addresses would point into our own site: Moodle's "@@PLUGINFILE@@/…" links.
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )
    # An <embed> that lost its embedtype would be an empty element nothing can render; the others
    # are written self-closed, the form Wagtail's rich text expands (wagtail.rich_text.expand_db_html).
    cleaned = _BARE_EMBED.sub("", cleaned)
    return _EMBED.sub(r"<embed\1/>", cleaned).strip()


_BARE_EMBED = re.compile(r"<embed(?![^>]*embedtype=)[^>]*>")
_EMBED = re.compile(r"<embed\b([^>]*?)\s*/?>")


def plain_to_html(text: str) -> str:
    """Text typed without markup, as HTML that shows exactly that text (line breaks kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return sanitise_html(html.escape(text, quote=False).replace("\n", "<br>"))


def markdown_to_html(text: str) -> str:
    return sanitise_html(markdown.markdown(text))


_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def text_to_html(text: str, text_format: str = "auto") -> str:
    """HTML from a text field of a file. text_format: "html", "plain", "markdown", or "auto"
    (Moodle's auto-format: HTML when it holds tags, else plain text). HTML is returned as it was
    written: the import sanitises it after embedding its images, and lists what that removed."""
    if text_format == "html" or (text_format == "auto" and looks_like_html(text)):
        return text.strip()
    if text_format == "markdown":
        return markdown_to_html(text)
    return plain_to_html(text)


_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|ol|ul)>|<embed[^>]*>", re.IGNORECASE)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def html_to_plain(text: str) -> str:
    """The words of question HTML, on one line, for listings, titles and the dry run."""
    if not text:
        return ""
    spaced = _BLOCK_END.sub(" ", text)
    words = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=REMOVED_WITH_CONTENT))
    return " ".join(words.split())


def is_simple(text: str) -> bool:
    """True when HTML holds nothing but text and line breaks (an export can write it as plain text)."""
    return not _TAG.search(re.sub(r"<br\s*/?>", "", text, flags=re.IGNORECASE))


def html_to_text(text: str) -> str:
    """Simple HTML (see is_simple) back to the text it shows, line breaks as newlines."""
    return html.unescape(re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE))


_SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p>|</p>).)*)</p>$", re.DOTALL)


def unwrap_paragraph(text: str) -> str:
    """ "<p>x</p>" -> "x", so an option's text can sit inside its <label>."""
    match = _SINGLE_PARAGRAPH.match(text.strip())
    return match.group(1) if match else text


# ---------------------------------------------------------------------------------------------
# What sanitising removes, for the dry run


class _Inventory(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src") and value and _unsafe_url(value):
                self.attributes.add(f"{name}={value.split(':', 1)[0].strip()}:")
            else:
                self.attributes.add(name)
        if tag == "img":
            self.images.append({name: value or "" for name, value in attrs})

    handle_startendtag = handle_starttag


def _unsafe_url(value: str) -> bool:
    scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
    return bool(scheme) and scheme.isalpha() and scheme not in URL_SCHEMES


def _inventory(text: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(text)
    parser.close()
    return parser


def removed_markup(raw: str, cleaned: str) -> list[str]:
    """The tags and attributes of `raw` that `cleaned` no longer has (harmless wrappers left out),
    sorted: ["<script>", "onerror", "href=javascript:"]."""
    before, after = _inventory(raw), _inventory(cleaned)
    tags = {tag for tag in before.tags - after.tags if tag not in _HARMLESS_TAGS and tag not in ALLOWED_TAGS}
    attributes = {
        name
        for name in before.attributes - after.attributes
        if name not in _HARMLESS_ATTRIBUTES and not (name in ("src", "alt") and "img" in before.tags)
    }
    return sorted(f"<{tag}>" for tag in tags) + sorted(attributes)


# ---------------------------------------------------------------------------------------------
# Moodle's embedded files

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def plugin_file_name(src: str) -> str | None:
    """ "@@PLUGINFILE@@/sub/a%20b.png" -> "sub/a b.png"; None for any other address."""
    if not src.startswith(PLUGINFILE):
        return None
    return unquote(src[len(PLUGINFILE) :]).split("?", 1)[0].lstrip("/")


def image_references(text: str) -> list[tuple[str, str]]:
    """(file name, alt text) of every <img src="@@PLUGINFILE@@/…"> of raw HTML."""
    found = []
    for attrs in _inventory(text).images:
        name = plugin_file_name(attrs.get("src", ""))
        if name is not None:
            found.append((name, attrs.get("alt", "")))
    return found


def embed_images(text: str, image_ids: Mapping[str, int]) -> str:
    """Replace each <img src="@@PLUGINFILE@@/name" alt=…> whose name is in image_ids with a Wagtail
    image embed keeping its alt text; other <img> are left for the sanitiser to remove."""

    def replace(match: re.Match) -> str:
        images = _inventory(match.group(0)).images
        attrs = images[0] if images else {}
        name = plugin_file_name(attrs.get("src", ""))
        if name is None or name not in image_ids:
            return match.group(0)
        alt = html.escape(attrs.get("alt", ""), quote=True)
        return f'<embed embedtype="image" id="{int(image_ids[name])}" format="{IMAGE_FORMAT}" alt="{alt}">'

    return _IMG.sub(replace, text)
