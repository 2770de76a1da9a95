"""The card of course hours waiting for review (templates/hours/components/review_card.html), on
the pending page and the integrity report: each card is a landmark named so that two learners'
hours of one course can be told apart, and a reject without a reason sent from the integrity report
comes back on the integrity report, with the error on its card."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from courses.services import step_complete
from hours.models import HourEntry
from tests.factories.hours import offline_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _half_share(settings):
    settings.STUDY_TIME_HOURS_SHARE = 0.5


def complete_without_study(learner, city) -> HourEntry:
    course = city.courses[0]
    for step in city.steps[course.pk]:
        step_complete(user=learner, step=step)
    return HourEntry.objects.get(user=learner, course=course, source="course_completion")


def landmark_names(html: str, prefix: str = "review-") -> list[str]:
    """The accessible name of each review card: the text of the elements its aria-labelledby names."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        " ".join(soup.find(id=ref).get_text(" ", strip=True) for ref in section["aria-labelledby"].split())
        for section in soup.select(f"section.card[aria-labelledby^={prefix}]")
    ]


@pytest.mark.parametrize("url_name", ["hours:pending", "hours:integrity"])
def test_two_learners_hours_of_one_course_are_distinctly_named_cards(client, city, url_name):
    first, second = city.learners["budget"][:2]
    complete_without_study(first, city)
    complete_without_study(second, city)
    client.force_login(city.finance_head)
    names = landmark_names(client.get(reverse(url_name)).content.decode())
    assert len(names) == 2 and len(set(names)) == 2
    assert all(city.courses[0].title in name for name in names)
    assert any(first.get_full_name() in name for name in names)


def test_a_reject_without_a_reason_from_the_integrity_report_comes_back_there(client, city):
    entry = complete_without_study(city.learners["budget"][0], city)
    client.force_login(city.finance_head)
    response = client.post(
        reverse("hours:review_decide", args=[entry.pk]), {"decision": "reject", "reason": "", "back": "integrity"}
    )
    assert response.status_code == 400
    assert [template.name for template in response.templates][0] == "hours/integrity.html"
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    card = soup.find(id=f"review-{entry.pk}").find_parent("section")
    assert card.select_one("[role=alert]").get_text(strip=True) == "Give a reason for the rejection."
    # Sent again from there, the decision still goes back to the integrity report.
    assert card.select_one("input[name=back]")["value"] == "integrity"
    entry.refresh_from_db()
    assert entry.review == HourEntry.Review.PENDING


def test_a_reject_without_a_reason_from_the_pending_page_comes_back_there(client, city):
    entry = complete_without_study(city.learners["budget"][0], city)
    client.force_login(city.finance_head)
    response = client.post(reverse("hours:review_decide", args=[entry.pk]), {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert [template.name for template in response.templates][0] == "hours/pending.html"
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    card = soup.find(id=f"review-{entry.pk}").find_parent("section")
    assert card.select_one("[role=alert]").get_text(strip=True) == "Give a reason for the rejection."
    assert card.select_one("input[name=back]") is None


def test_two_learners_declarations_of_one_course_are_distinctly_named_cards(client, city, file_roots):
    first, second = city.learners["budget"][:2]
    offline_declaration(first)
    offline_declaration(second)
    client.force_login(city.finance_head)
    names = landmark_names(client.get(reverse("hours:pending")).content.decode(), prefix="declaration-")
    assert len(names) == 2 and len(set(names)) == 2
    assert all("保密培训" in name for name in names)
    assert any(second.get_full_name() in name for name in names)
