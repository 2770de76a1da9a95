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
