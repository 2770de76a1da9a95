"""Every learner, head and admin page of ours, rendered (Django's test client, no browser) on the
demo city in Chinese and in English: in Chinese, no English string of our own catalogue is left
untranslated; in both, dates are written in the language's one format (config/formats)."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from certificates.models import Certificate
from quizzes.models import Attempt, Quiz
from tests.journeys.test_page_tour import head_pages, learner_pages

pytestmark = [pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]


class VisibleText(HTMLParser):
    """The text a reader gets from a page: text outside scripts and styles, and the labels kept
    in attributes (aria-label, title, placeholder, alt), each on a line of its own."""

    LABEL_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.LABEL_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


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
            yield username, path, visible_text(response.content.decode())


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
