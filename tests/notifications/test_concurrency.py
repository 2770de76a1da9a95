"""Two workers running the reminder job at the same moment on PostgreSQL: one notification and
one e-mail per person and key."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail

from assignments import services as assignment_services
from notifications import tasks
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.notifications.conftest import at
from tests.quizzes.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DUE = datetime.date(2026, 3, 20)


@pytest.mark.parametrize("workers", [2, 4])
def test_parallel_runs_create_and_email_each_reminder_once(require_postgres, catalogue, workers):
    from tests.factories import build_course

    unit = DepartmentFactory()
    people = [UserFactory(department=unit, email=f"p{n}@example.gov.cn") for n in range(15)]
    admin = UserFactory(is_city_admin=True, department=unit, email="admin@example.gov.cn")
    course = build_course(catalogue, steps=1, slug="parallel-reminders")
    assignment_services.assignment_create(course=course, department=unit, due_date=DUE, created_by=admin)
    expected = len(people) + 1  # the admin belongs to the unit too

    with time_machine.travel(at(DUE), tick=False):
        outcomes = run_at_once(tasks.send_due_reminders, times=workers)

    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert sum(outcomes) == expected
    assert Notification.objects.count() == expected
    assert set(Counter(Notification.objects.values_list("recipient_id", "dedupe_key")).values()) == {1}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        Notification.objects.values_list("recipient__email", flat=True)
    )
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
