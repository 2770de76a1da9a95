"""Complete, compiled catalogues, and pages that speak the visitor's language."""

import gettext
import json
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ["zh_Hans", "en"]
SOURCE_DIRS = [
    "templates",
    "privatefiles",
    "accounts",
    "courses",
    "assignments",
    "departments",
    "home",
    "quizzes",
    "reports",
    "hours",
    "certificates",
    "notifications",
    "privacy",
    "demo",
    "config",
]


DOMAINS = ["django", "djangojs"]  # djangojs: the strings of static/js, served by JavaScriptCatalog


def catalogue(locale, domain="django"):
    with open(ROOT / "locale" / locale / "LC_MESSAGES" / f"{domain}.po", "rb") as po_file:
        return read_po(po_file, locale=locale.replace("_Hans", "_Hans_CN") if locale == "zh_Hans" else locale)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(locale, domain):
    untranslated = [
        message.id
        for message in catalogue(locale, domain)
        if message.id
        and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]
    assert untranslated == []


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale, domain):
    """The shipped .mo is the compiled .po: compiling again gives the same translations."""
    compiled = BytesIO()
    write_mo(compiled, catalogue(locale, domain))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(ROOT / "locale" / locale / "LC_MESSAGES" / f"{domain}.mo", "rb") as mo_file:
        shipped = gettext.GNUTranslations(mo_file)
    assert {k: v for k, v in shipped._catalog.items() if k} == {k: v for k, v in fresh._catalog.items() if k}


TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
GETTEXT_CALL = re.compile(r"""\b_\(\s*(["'])(.+?)(?<!\\)\1\s*[,)]""")


def source_strings():
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*"):
            if path.suffix == ".html":
                yield from ((path, match[1]) for match in TRANSLATE_TAG.findall(path.read_text()))
            elif path.suffix == ".py" and "migrations" not in path.parts:
                yield from ((path, match[1]) for match in GETTEXT_CALL.findall(path.read_text()))


def test_every_marked_string_is_in_the_chinese_catalogue():
    known = {message.id for message in catalogue("zh_Hans")}
    missing = sorted({f"{path.relative_to(ROOT)}: {text}" for path, text in source_strings() if text not in known})
    assert missing == [], "run makemessages and translate:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_a_zh_hans_page_renders_chinese(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html


@pytest.mark.django_db
def test_an_english_page_renders_english(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html and "Log in" in html and "登录" not in html


@pytest.mark.django_db
def test_lesson_page_speaks_chinese(client, course):
    from tests.factories import course_steps

    client.force_login(UserFactory())
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    html = client.get(course_steps(course)[0].url).content.decode()
    assert "完成本步并继续" in html and "课程大纲" in html and "提示" in html


JS_GETTEXT_CALL = re.compile(r'\b(?:gettext|ngettext|pgettext)\(\s*(?:"[^"]*",\s*)?"([^"]+)"')


def test_every_string_of_the_scripts_is_in_the_chinese_javascript_catalogue():
    known = set()
    for message in catalogue("zh_Hans", "djangojs"):
        known.update([message.id] if isinstance(message.id, str) else message.id)
    found = {
        (path.name, text)
        for path in (ROOT / "static" / "js").glob("*.js")
        for text in JS_GETTEXT_CALL.findall(path.read_text())
    }
    assert found, "the scripts have strings to translate"
    assert sorted(f"{name}: {text}" for name, text in found if text not in known) == []


@pytest.mark.django_db
def test_the_javascript_catalogue_speaks_the_visitors_language(client):
    saving_in_chinese = json.dumps("正在保存")  # as the catalogue writes it: \u-escaped
    zh = client.get("/jsi18n/?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert saving_in_chinese[1:-1] in zh
    en = client.get("/jsi18n/?lang=en", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert saving_in_chinese[1:-1] not in en


# --------------------------------------------------------------------------- words of several senses
# Our catalogue comes first for every msgid, Wagtail's and Django's screens included: a word we
# translate without a context ("Pages", "Type", "In progress"...) is translated our way in the admin
# too. Where our sense differs from theirs, the string carries a context (pgettext, `context`).
# Msgids listed here were read side by side with the frameworks' translation: the same sense, our
# wording (kept, as it reads better or matches our screens).
SAME_SENSE_AS_THE_FRAMEWORKS = {
    "Action",
    "Actions",
    "Create",
    "Filter",
    "Format",
    "Image",
    "Log out",
    "Reject",
    "Rejected",
    "Search term",
    "Skip to main content",
    "created at",
    "description",
    "finished at",
    "name",
    "requested by",
    "started at",
}


def framework_translations(locale="zh_Hans"):
    """msgid → the translations Django's and the installed apps' own catalogues give it."""
    import django
    from django.apps import apps

    folders = [Path(django.__file__).parent / "conf" / "locale"]
    # The project's apps sit at the top of the repository (the installed packages may too, in .venv).
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs() if Path(config.path).parent != ROOT]
    found: dict[str, set[str]] = {}
    for folder in folders:
        po_path = folder / locale / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        with open(po_path, "rb") as po_file:
            for message in read_po(po_file):
                if message.id and not message.context and isinstance(message.id, str) and message.string:
                    found.setdefault(message.id, set()).add(message.string)
    return found


def test_no_msgid_of_ours_gives_a_framework_word_another_sense():
    theirs = framework_translations()
    clashes = sorted(
        f"{message.id}: ours {message.string}, theirs {'/'.join(sorted(theirs[message.id]))}"
        for message in catalogue("zh_Hans")
        if isinstance(message.id, str)
        and not message.context
        and message.id in theirs
        and {message.string} != theirs[message.id]
        and message.id not in SAME_SENSE_AS_THE_FRAMEWORKS
    )
    assert clashes == [], "give these a context (pgettext), or list them as the same sense:\n" + "\n".join(clashes)


def test_the_admin_keeps_the_frameworks_words():
    from django.utils import translation

    # Called through other names so that makemessages does not take these for strings of ours.
    framework_word, our_word = translation.gettext, translation.pgettext
    with translation.override("zh-hans"):
        # Wagtail's menu, workflow states and buttons, not our pagination, progress or quiz words.
        assert framework_word("Pages") == "页面"
        assert framework_word("In progress") == "进行中"
        assert framework_word("Continue") == "继续"
        assert framework_word("Type") == "类型"
        assert framework_word("Locked") == "已锁定"
        # Ours, where the sense is ours.
        assert our_word("pagination", "Next") == "下一页"
        assert our_word("course step", "Next") == "下一步"
        assert our_word("quiz attempt", "Continue") == "继续作答"


def _in_chinese(client, user):
    client.force_login(user)
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})


@pytest.mark.django_db
def test_pagination_and_step_links_read_differently_in_chinese(client, course):
    from notifications.models import Notification
    from notifications.views import PAGE_SIZE
    from tests.factories import course_steps

    learner = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=learner, kind="reminder", title=f"n{number}", language="zh-hans", dedupe_key=f"k{number}")
        for number in range(PAGE_SIZE + 1)
    )
    _in_chinese(client, learner)
    listing = client.get("/notifications/").content.decode()
    assert "下一页" in listing and 'aria-label="页码"' in listing and "下一步" not in listing
    assert "上一页" in client.get("/notifications/?page=2").content.decode()

    first, second = course_steps(course)[:2]
    client.post(f"/learn/steps/{first.pk}/complete/")
    assert "下一步" in client.get(first.url).content.decode()
    assert "上一步" in client.get(second.url).content.decode()


# --------------------------------------------------------------------------- Chinese punctuation
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
ASCII_MARKS = "[,.:;?!()]"
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdf]|%[sd]|\{\{[^}]*\}\}")
# An ASCII mark touching a Chinese character: "学时: 10", "(必修)". A placeholder in Chinese text
# counts as a Chinese word ("%(count)s 名学员." ends a Chinese sentence); file names and
# separators with spaces around them (".xlsx", " | ") are not punctuation of the sentence.
ASCII_MARK_IN_CHINESE = re.compile(f"{HAN}{ASCII_MARKS}|{ASCII_MARKS}{HAN}")


def chinese_text_problems(text: str) -> list[str]:
    if not re.search(HAN, text):
        return []
    return [match.group(0) for match in ASCII_MARK_IN_CHINESE.finditer(PLACEHOLDER.sub("字", text))]


def test_chinese_punctuation_rule_finds_ascii_marks():
    assert chinese_text_problems("年度目标: %(target)s") == ["标:"]
    assert chinese_text_problems("共 %(total)s 名学员.") == ["员."]
    assert chinese_text_problems("（必修）") == [] and chinese_text_problems("请上传 .csv 或 .xlsx 文件。") == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_chinese_translations_use_chinese_punctuation(domain):
    problems = [
        f"{message.id!r}: {text}"
        for message in catalogue("zh_Hans", domain)
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else [message.string])
        if chinese_text_problems(text)
    ]
    assert problems == []


# A mark written in the template next to a translated string stays ASCII in Chinese ("年度目标: 3"):
# it belongs inside the string, where the translation can use its own punctuation.
TRANSLATION_END = r"""(?:{%\s*translate\s+(?:"[^"]*"|'[^']*')[^%]*%}|{%\s*endblocktranslate\s*%})"""
MARK_AFTER_TRANSLATION = re.compile(TRANSLATION_END + r"[ \t]*\n?[ \t]*[,.:;?!()]")
MARK_BEFORE_TRANSLATION = re.compile(r"[,.:;?!(][ \t]*\n?[ \t]*{%\s*(?:translate|blocktranslate)\b")


def test_no_template_puts_ascii_punctuation_next_to_a_translated_string():
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (MARK_AFTER_TRANSLATION, MARK_BEFORE_TRANSLATION):
            found += [f"{path.relative_to(ROOT)}: {match.group(0)!r}" for match in pattern.finditer(text)]
    assert found == []


# --------------------------------------------------------------------------- plurals
def test_plural_forms_headers_and_every_chinese_plural_filled():
    for domain in DOMAINS:
        zh_catalogue, en_catalogue = catalogue("zh_Hans", domain), catalogue("en", domain)
        assert zh_catalogue.plural_forms == "nplurals=1; plural=0;"
        assert en_catalogue.plural_forms == "nplurals=2; plural=(n != 1);"
        for message in zh_catalogue:
            if message.pluralizable:
                assert len(message.string) == 1 and message.string[0], message.id


# A count followed by a noun in the plural, in a string that is not itself plural: "1 credit hours".
COUNTED_NOUN = re.compile(
    r"%\(\w+\)[sd] (?:credit )?(?:hours|marks|steps|minutes|options|learners|courses|questions|attempts|days|people)\b"
)


def test_counted_nouns_go_through_plural_forms():
    singular_only = [
        message.id
        for domain in DOMAINS
        for message in catalogue("en", domain)
        if isinstance(message.id, str) and COUNTED_NOUN.search(message.id)
    ]
    assert singular_only == []


@pytest.mark.parametrize(("amount", "expected"), [(1, "1 mark"), ("1.00", "1 mark"), ("1.5", "1.50 marks"), (2, "2 marks"), (0, "0 marks")])
def test_fractional_amounts_take_the_right_english_form(amount, expected):
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        "{% load i18n language %}{% blocktranslate count counter=amount|plural_number with shown=amount|floatformat:'-2' %}"
        "{{ shown }} mark{% plural %}{{ shown }} marks{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal(str(amount))})) == expected


def test_one_step_and_one_credit_hour_are_singular_in_english_and_chinese():
    from decimal import Decimal

    from django.template.loader import render_to_string
    from django.utils import translation

    from config.components import progress_bar

    with translation.override("en"):
        assert "1 of 1 step done<" in progress_bar(done=1, total=1, percent=100)
        assert "You earned 1 credit hour<" in render_to_string(
            "components/course_hours.html", {"completed": True, "facts": {"earned_hours": Decimal("1.00")}}
        )
    with translation.override("zh-hans"):
        assert "已完成 1 步，共 1 步<" in progress_bar(done=1, total=1, percent=100)
        assert "已获得 1 学时" in render_to_string(
            "components/course_hours.html", {"completed": True, "facts": {"earned_hours": Decimal("1")}}
        )


# --------------------------------------------------------------------------- dates
# Templates name a localized format (config/formats) instead of writing a pattern; the exceptions
# are machine-readable: a <time datetime="..."> attribute ('c' or 'Y-m-d').
DATE_FILTER = re.compile(r"""\|date:(["'])(.*?)\1""")
NAMED_DATE_FORMATS = {"DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT"}


def test_templates_write_dates_in_the_named_formats():
    patterns = []
    for path in (ROOT / "templates").rglob("*.html"):
        for line in path.read_text().splitlines():
            for match in DATE_FILTER.finditer(line):
                machine_readable = match.group(2) in {"c", "Y-m-d"} and 'datetime="{{' in line
                if match.group(2) not in NAMED_DATE_FORMATS and not machine_readable:
                    patterns.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert patterns == []


@pytest.mark.parametrize(
    ("language", "date_text", "moment_text"),
    [("zh-hans", "2026年12月4日", "2026年12月4日 09:05"), ("en", "4 Dec 2026", "4 Dec 2026 09:05")],
)
def test_one_date_format_per_language(language, date_text, moment_text):
    import datetime

    from django.utils import translation
    from django.utils.formats import date_format

    day, moment = datetime.date(2026, 12, 4), datetime.datetime(2026, 12, 4, 9, 5)
    with translation.override(language):
        assert date_format(day, "DATE_FORMAT") == date_format(day, "SHORT_DATE_FORMAT") == date_text
        assert date_format(moment, "DATETIME_FORMAT") == date_format(moment, "SHORT_DATETIME_FORMAT") == moment_text


# --------------------------------------------------------------------------- language of content
@pytest.mark.parametrize(
    ("text", "page_language", "marked"),
    [("安全使用办公终端", "en", True), ("Finance Bureau", "en", False), ("安全使用办公终端", "zh-hans", False), ("", "en", False)],
)
def test_chinese_content_is_marked_on_pages_that_are_not_chinese(text, page_language, marked):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load language %}<h1{{ text|lang_attr }}>{{ text|in_own_language }}</h1>")
    with translation.override(page_language):
        html = template.render(Context({"text": text}))
    assert ('<h1 lang="zh-Hans">' in html) is marked and ('<span lang="zh-Hans">' in html) is marked


def test_marked_content_is_still_escaped():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("en"):
        html = Template("{% load language %}{{ text|in_own_language }}").render(Context({"text": "<b>课程</b>"}))
    assert html == '<span lang="zh-Hans">&lt;b&gt;课程&lt;/b&gt;</span>'


def test_a_select_of_content_marks_its_chinese_options():
    from django.utils import translation

    from config.widgets import ContentLanguageSelect

    widget = ContentLanguageSelect(choices=[("1", "财政局"), ("2", "All units")])
    with translation.override("en"):
        html = widget.render("unit", "1")
    assert '<option value="1" selected lang="zh-Hans">财政局</option>' in html
    assert '<option value="2">All units</option>' in html


@pytest.mark.parametrize(
    ("text", "stored", "page", "expected"),
    [
        ("宋海华 approved it.", "en", "zh-hans", ' lang="en"'),
        ("您的线下培训已批准", "zh-hans", "zh-hans", ""),
        ("您的线下培训已批准", "zh-hans", "en", ' lang="zh-Hans"'),
        ("Your training was approved", "en", "en", ""),
    ],
)
def test_stored_text_is_marked_with_its_own_language(text, stored, page, expected):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override(page):
        html = Template("{% load language %}<p{{ text|lang_for:stored }}>").render(Context({"text": text, "stored": stored}))
    assert html == f"<p{expected}>"
