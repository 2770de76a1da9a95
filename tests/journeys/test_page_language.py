"""Every learner, head and admin page of ours, rendered (Django's test client, no browser) on the
demo city in Chinese and in English: in Chinese, no English string of our own catalogue is left
untranslated; in both, dates are written in the language's one format (config/formats)."""

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from quizzes.models import Attempt, Quiz
from tests.journeys.test_page_tour import head_pages, learner_pages
from tests.test_i18n import ROOT

pytestmark = [pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]


class VisibleText(HTMLParser):
    """The text a reader gets from a page in `language`: text outside scripts, styles and noscript
    (the site runs with scripts on) and outside elements marked as another language (a
    notification stored in the language its recipient had then), and the labels kept in attributes
    (aria-label, title, placeholder, alt), each on a line of its own."""

    LABEL_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
    HIDDEN = ("script", "style", "template", "noscript")

    def __init__(self, language: str):
        super().__init__()
        self.language = language[:2]
        self.parts: list[str] = []
        self._hidden = 0
        self._other_language: list[list] = []  # [tag, depth] of the elements in another language

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if self._other_language and self._other_language[-1][0] == tag:
            self._other_language[-1][1] += 1
        elif (attributes.get("lang") or self.language)[:2].lower() != self.language:
            self._other_language.append([tag, 1])
        if not self._other_language:
            self.parts += [value for name, value in attrs if name in self.LABEL_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if self._other_language and self._other_language[-1][0] == tag:
            self._other_language[-1][1] -= 1
            if not self._other_language[-1][1]:
                self._other_language.pop()

    def handle_data(self, data):
        if not self._hidden and not self._other_language and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(autouse=True)
def language_choices_restored(demo_city):
    """The language switch remembers a person's choice in their Wagtail profile, and these pages
    are read with the demo city's rows kept for the journeys that follow: put every choice back."""
    chosen = dict(UserProfile.objects.values_list("pk", "preferred_language"))
    yield
    UserProfile.objects.exclude(pk__in=chosen).delete()
    for profile in UserProfile.objects.all():
        if profile.preferred_language != chosen[profile.pk]:
            profile.preferred_language = chosen[profile.pk]
            profile.save(update_fields=["preferred_language"])


def client_in(language: str, username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(get_user_model().objects.get(username=username))
    client.post("/accounts/language/", {"language": language, "next": "/"})
    return client


def admin_pages() -> list[str]:
    quiz = Quiz.objects.filter(attempts__isnull=False).first()
    attempt = Attempt.objects.filter(quiz=quiz, status=Attempt.Status.GRADED).first()
    certificate = Certificate.objects.filter(revoked_at__isnull=True).first()
    return [
        "/admin/question-bank/",
        "/admin/question-bank/import/",
        "/admin/question-bank/export/",
        "/admin/question-bank/quizzes/",
        f"/admin/question-bank/quizzes/{quiz.pk}/analysis/",
        f"/admin/question-bank/quizzes/{quiz.pk}/attempts/",
        f"/admin/question-bank/attempts/{attempt.pk}/",
        "/admin/department-reports/",
        "/admin/people-import/",
        "/admin/certificates/",
        f"/admin/certificates/{certificate.pk}/revoke/",
    ]


def pages_by_person() -> dict[str, list[str]]:
    return {"learner": learner_pages(), "head.finance": [*head_pages(), "/notifications/"], "cityadmin": admin_pages()}


def rendered(language: str):
    """(person, path, visible text) of every page, in `language`."""
    for username, paths in pages_by_person().items():
        client = client_in(language, username)
        for path in paths:
            response = client.get(path)
            # 403: a step the learner has not reached yet, which says so (a page to check too).
            assert response.status_code in (200, 403), f"{username} {path}: {response.status_code}"
            yield username, path, visible_text(response.content.decode(), language)


# --------------------------------------------------------------------------- dates
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
SITE_DATE = {"zh-hans": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"), "en": re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b")}
# What the pages used to show, or Django's other defaults: 2026-12-04, 12/04/2026, 2026/12/04, Dec. 4, 2026.
OTHER_DATES = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b|\b\d{{4}}/\d{{1,2}}/\d{{1,2}}\b|\b(?:{MONTHS})\.? \d{{1,2}}, \d{{4}}\b")
# Pages that show dates with the demo city's data: due dates, completion days, moments of activity.
DATED_PAGES = ["/learn/my/", "/assignments/my/", "/certificates/", "/notifications/", "/hours/", "/assignments/overdue/", "/admin/certificates/"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_writes_dates_in_the_one_format_of_its_language(demo_city, language):
    other_formats, dated = [], set()
    for _person, path, text in rendered(language):
        other_formats += [f"{path}: {found}" for found in OTHER_DATES.findall(text)]
        if SITE_DATE[language].search(text):
            dated.add(path)
    assert other_formats == []
    assert set(DATED_PAGES) - dated == set(), "these pages show no date in the site's format"


# --------------------------------------------------------------------------- no English left in Chinese
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[sd]|%[sd]|%%|<[^>]+>")


def our_catalogue():
    with open(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po", "rb") as po_file:
        for message in read_po(po_file):
            if message.id:
                ids = [message.id] if isinstance(message.id, str) else list(message.id)
                strings = [message.string] if isinstance(message.string, str) else list(message.string)
                yield ids, strings


def words_in(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def english_of_our_catalogue() -> dict[str, re.Pattern]:
    """Each English text of our catalogue that Chinese says differently, as a pattern matching it
    as whole words. A text with placeholders is looked for by its runs of two words or more
    between them ("to create" of "%(count)s to create"; a lone "to" would be found everywhere)."""
    texts = set()
    for ids, strings in our_catalogue():
        for english in ids:
            if english in strings:
                continue
            parts = [part.strip(" .,:;·()") for part in PLACEHOLDER_OR_TAG.split(english)]
            texts.update(parts if len(parts) == 1 else [part for part in parts if words_in(part) >= 2])
    return {text: re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])") for text in texts if words_in(text)}


def english_in_our_chinese() -> list[str]:
    """English our Chinese translations keep on purpose (the import file's bilingual column names,
    role codes), longest first, to be set aside before looking for English left untranslated."""
    kept = set()
    for _ids, strings in our_catalogue():
        for chinese in strings:
            kept.update(part for part in PLACEHOLDER_OR_TAG.split(chinese) if words_in(part))
    return sorted(kept, key=len, reverse=True)


def test_chinese_pages_have_no_english_from_our_catalogue(demo_city):
    english, kept = english_of_our_catalogue(), english_in_our_chinese()
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    left = set()
    for person, path, text in rendered("zh-hans"):
        for line in text.splitlines():
            if line in usernames:  # a person's user name ("learner") is data, not a word of ours
                continue
            for chinese in kept:
                line = line.replace(chinese, " ")
            left.update(f"{person} {path}: {source!r} in {line[:80]!r}" for source, pattern in english.items() if pattern.search(line))
    assert not left, "\n".join(sorted(left))
