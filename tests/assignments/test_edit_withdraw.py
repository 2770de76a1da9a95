"""Changing and withdrawing an assignment from the assignments page: heads in their scope and
city admins, through the audited services; a withdrawal asks first and says what it changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from assignments import services
from assignments.models import Assignment

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def finance_assignment(city):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    return services.assignment_create(
        course=city.courses[0], department=city.finance, due_days=7, created_by=city.admin, now=long_ago
    )


def test_the_head_changes_an_assignment_of_their_scope_and_it_is_audited(client, city, finance_assignment):
    client.force_login(city.finance_head)
    page = client.get(reverse("assignments:manage"))
    assert reverse("assignments:edit", args=[finance_assignment.pk]) in page.text
    response = client.post(
        reverse("assignments:edit", args=[finance_assignment.pk]),
        {"positions": "科员", "due_date": "2031-03-31", "due_days": "", "repeat_yearly": "on"},
    )
    assert response.status_code == 302
    finance_assignment.refresh_from_db()
    assert (finance_assignment.due_date, finance_assignment.due_days_after_assigned) == (D(2031, 3, 31), None)
    assert finance_assignment.positions == "科员" and finance_assignment.repeat_yearly
    [entry] = ModelLogEntry.objects.filter(action="assignments.changed", object_id=str(finance_assignment.pk))
    assert entry.user_id == city.finance_head.pk and entry.data["before"]["due_days"] == 7


def test_both_due_rules_at_once_are_refused(client, city, finance_assignment):
    client.force_login(city.admin)
    response = client.post(
        reverse("assignments:edit", args=[finance_assignment.pk]),
        {"positions": "", "due_date": "2031-03-31", "due_days": "5"},
    )
    assert response.status_code == 400
    assert not ModelLogEntry.objects.filter(action="assignments.changed").exists()


def test_another_scopes_assignment_is_a_404_and_a_learner_a_403(client, city, finance_assignment):
    client.force_login(city.police_head)
    assert client.get(reverse("assignments:edit", args=[finance_assignment.pk])).status_code == 404
    assert client.post(reverse("assignments:withdraw", args=[finance_assignment.pk])).status_code == 404
    client.force_login(city.learners["police"][0])
    assert client.post(reverse("assignments:withdraw", args=[finance_assignment.pk])).status_code == 403
    assert Assignment.objects.get(pk=finance_assignment.pk).active


def test_withdrawing_asks_first_shows_the_effect_and_is_audited(client, city, finance_assignment):
    client.force_login(city.admin)
    url = reverse("assignments:withdraw", args=[finance_assignment.pk])
    confirm = client.get(url)
    owing = finance_assignment.learner_rows.filter(completed_at__isnull=True).count()
    assert confirm.status_code == 200 and confirm.context["effect"]["open"] == owing > 0
    assert confirm.context["effect"]["overdue"] == owing
    assert Assignment.objects.get(pk=finance_assignment.pk).active  # a GET changes nothing
    response = client.post(url, follow=True)
    assert not Assignment.objects.get(pk=finance_assignment.pk).active
    assert str(owing) in response.text
    [entry] = ModelLogEntry.objects.filter(action="assignments.withdrawn", object_id=str(finance_assignment.pk))
    assert entry.user_id == city.admin.pk
    assert client.get(reverse("assignments:edit", args=[finance_assignment.pk])).status_code == 404


def test_withdrawing_needs_the_csrf_token(city, finance_assignment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(city.admin)
    assert client.post(reverse("assignments:withdraw", args=[finance_assignment.pk])).status_code == 403
    assert Assignment.objects.get(pk=finance_assignment.pk).active
