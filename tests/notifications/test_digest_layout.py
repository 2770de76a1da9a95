"""The weekly digest is a readable list with links: per overdue person their name (linking to
their learner report), unit, course, due date and days overdue, and a link to the overdue page;
on the site (escaped, laid out as a list) and in the e-mail (plain text and HTML), in the head's
language."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.users.models import UserProfile

from assignments import services as assignment_services
from notifications import tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 16)
DUE = datetime.date(2026, 3, 6)


@pytest.fixture
def overdue(city):
    return assignment_services.assignment_create(
        course=city.courses[1], department=city.police, due_date=DUE, created_by=city.admin
    )


def digest_of(head) -> Notification:
    return head.notifications.get(kind=Notification.Kind.DIGEST)


def report_url(person) -> str:
    return reverse("reports:learner", args=[person.pk])


def test_each_overdue_person_is_an_item_linking_to_their_report(city, overdue, run_on):
    run_on(tasks.send_overdue_digests, MONDAY)
    digest = digest_of(city.police_head)
    person = city.learners["police"][0]
    assert {
        "label": person.get_full_name(),
        "text": "Public Security Bureau · “课程2” · due 6 Mar 2026 · 10 days overdue",
        "link": report_url(person),
    } in digest.items
    assert len(digest.items) == 3  # two learners and the head
    assert digest.link == reverse("assignments:overdue")
    assert "- " not in digest.body  # the list is data, not lines of text in the body


def test_the_notification_page_lays_the_digest_out_as_a_list_with_links(client, city, overdue, run_on):
    person = city.learners["police"][0]
    person.display_name = "<b>王五</b>"
    person.save(update_fields=["display_name"])
    run_on(tasks.send_overdue_digests, MONDAY)
    client.force_login(city.police_head)
    html = client.get(reverse("notifications:list")).content.decode()
    items = html[html.index('<ul class="notification-items">') : html.index("</ul>", html.index("notification-items"))]
    assert items.count("<li>") == 3
    # The name and the line naming Chinese units and courses read with a Chinese voice (lang).
    assert (
        f'<li><a href="{report_url(person)}"><span lang="zh-Hans">&lt;b&gt;王五&lt;/b&gt;</span></a>'
        ' · <span lang="zh-Hans">Public Security Bureau'
    ) in items
    assert "<b>王五</b>" not in html  # escaped, never markup
    assert f'<a href="{reverse("assignments:overdue")}">See everyone overdue</a>' in html
    # Each link opens: the people are in the head's own scope.
    assert client.get(report_url(person)).status_code == 200


def test_the_email_has_the_list_in_plain_text_and_in_html_with_absolute_links(city, overdue, run_on, settings):
    run_on(tasks.send_overdue_digests, MONDAY)
    message = next(m for m in mail.outbox if m.to == [city.police_head.email])
    person = city.learners["police"][0]
    base = settings.SITE_BASE_URL
    line = f"- {person.get_full_name()} · Public Security Bureau · “课程2” · due 6 Mar 2026 · 10 days overdue"
    assert f"{line}\n  {base}{report_url(person)}" in message.body
    assert f"See everyone overdue\n{base}{reverse('assignments:overdue')}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<li><a href="{base}{report_url(person)}">{person.get_full_name()}</a> · Public Security Bureau' in html
    assert f'<a href="{base}{reverse("assignments:overdue")}">See everyone overdue</a>' in html


def test_the_list_is_written_in_the_heads_language(city, overdue, run_on, settings):
    settings.LANGUAGE_CODE = "en"
    profile = UserProfile.get_for_user(city.police_head)
    profile.preferred_language = "zh-hans"
    profile.save()
    run_on(tasks.send_overdue_digests, MONDAY)
    digest = digest_of(city.police_head)
    person = city.learners["police"][0]
    item = next(item for item in digest.items if item["label"] == person.get_full_name())
    assert item["text"] == "公安局 ·《课程2》· 2026年3月6日 到期 · 逾期 10 天"
    message = next(m for m in mail.outbox if m.to == [city.police_head.email])
    assert "查看全部逾期人员" in message.body and "逾期 10 天" in message.alternatives[0][0]
