"""The heads' weekly digest: only their own subtree's overdue people, once per ISO week,
nothing when nobody is overdue, in the head's language."""

import datetime

import pytest
from django.core import mail
from wagtail.users.models import UserProfile

from assignments import services as assignment_services
from notifications import tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = D(2026, 3, 16)
DUE = D(2026, 3, 6)  # ten days before MONDAY


@pytest.fixture
def overdue(city):
    """The first course overdue in finance's budget section, the second in the police."""
    budget = assignment_services.assignment_create(
        course=city.courses[0], department=city.budget, due_date=DUE, created_by=city.admin
    )
    police = assignment_services.assignment_create(
        course=city.courses[1], department=city.police, due_date=DUE, created_by=city.admin
    )
    return budget, police


def digest_of(head):
    return head.notifications.get(kind=Notification.Kind.DIGEST)


def test_a_head_gets_the_overdue_people_of_their_subtree_only(city, overdue, run_on):
    run_on(tasks.send_overdue_digests, MONDAY)
    body = digest_of(city.finance_head).as_text
    for person in [*city.learners["budget"], city.budget_head]:
        assert person.get_full_name() in body
    for person in city.learners["police"]:
        assert person.get_full_name() not in body  # a sibling department's overdue people
    assert "Budget Section" in body and "课程1" in body and "课程2" not in body
    assert body.count("\n- ") == 3
    budget_body = digest_of(city.budget_head).as_text
    assert body.split("\n")[1:] == budget_body.split("\n")[1:]
    police_body = digest_of(city.police_head).as_text
    assert "课程2" in police_body and "课程1" not in police_body
    assert all(person.get_full_name() in police_body for person in city.learners["police"])
    assert not any(person.get_full_name() in police_body for person in city.learners["budget"])


def test_the_digest_line_has_name_unit_course_due_date_and_days_overdue(city, overdue, run_on):
    run_on(tasks.send_overdue_digests, MONDAY)
    person = city.learners["police"][0]
    expected = f"- {person.get_full_name()} · Public Security Bureau · “课程2” · due 6 Mar 2026 · 10 days overdue"
    assert expected in digest_of(city.police_head).as_text.split("\n")
    assert digest_of(city.police_head).title == "Weekly digest: 3 people in your units are overdue"


def test_nobody_overdue_means_no_digest(city, run_on):
    assignment_services.assignment_create(
        course=city.courses[1],
        department=city.police,
        due_date=MONDAY + datetime.timedelta(days=3),
        created_by=city.admin,
    )
    assert run_on(tasks.send_overdue_digests, MONDAY) == 0
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_head_whose_units_are_all_done_gets_nothing(city, overdue, run_on):
    budget, _police = overdue
    budget.learner_rows.update(completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    run_on(tasks.send_overdue_digests, MONDAY)
    assert not city.finance_head.notifications.exists() and not city.budget_head.notifications.exists()
    assert city.police_head.notifications.count() == 1


def test_the_digest_is_sent_once_a_week(city, overdue, run_on):
    heads = 3  # finance, budget, police
    assert run_on(tasks.send_overdue_digests, MONDAY) == heads
    assert len(mail.outbox) == heads
    assert run_on(tasks.send_overdue_digests, MONDAY) == 0
    assert run_on(tasks.send_overdue_digests, MONDAY + datetime.timedelta(days=3)) == 0
    assert len(mail.outbox) == heads and Notification.objects.count() == heads
    assert run_on(tasks.send_overdue_digests, MONDAY + datetime.timedelta(days=7)) == heads
    assert len(mail.outbox) == 2 * heads
    assert digest_of_week(city.police_head) == ["2026-W12", "2026-W13"]


def digest_of_week(head):
    return sorted(key.rsplit(":", 1)[1] for key in head.notifications.values_list("dedupe_key", flat=True))


def test_the_digest_email_links_to_the_overdue_list(city, overdue, run_on, settings):
    run_on(tasks.send_overdue_digests, MONDAY)
    message = next(m for m in mail.outbox if m.to == [city.police_head.email])
    assert f"{settings.SITE_BASE_URL}/assignments/overdue/" in message.body
    assert message.subject == "[City E-Government Training] Weekly digest: 3 people in your units are overdue"


def test_an_inactive_head_gets_no_digest(city, overdue, run_on):
    city.police_head.is_active = False
    city.police_head.save(update_fields=["is_active"])
    run_on(tasks.send_overdue_digests, MONDAY)
    assert not city.police_head.notifications.exists()


def test_the_digest_speaks_the_heads_language(city, overdue, run_on, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    profile = UserProfile.get_for_user(city.budget_head)
    profile.preferred_language = "en"
    profile.save()
    run_on(tasks.send_overdue_digests, MONDAY)
    english = digest_of(city.budget_head).as_text
    assert "· Budget Section ·" in english and "· 预算科 ·" not in english
    chinese = digest_of(city.finance_head)
    assert chinese.language == "zh-hans" and "· 预算科 ·" in chinese.as_text and "Budget Section" not in chinese.as_text
    assert next(m for m in mail.outbox if m.to == [city.finance_head.email]).subject.startswith("[市电子政务培训]")
