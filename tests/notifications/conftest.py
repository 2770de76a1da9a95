import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.factories.reports import build_city

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    """The moment the beat job runs on `day` (08:00 in the city)."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def give_an_address(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        built = build_city(catalogue)
    give_an_address(
        *[user for people in built.learners.values() for user in people],
        built.admin,
        built.finance_head,
        built.budget_head,
        built.police_head,
        built.plain_learner,
    )
    assert not get_user_model().objects.filter(email="").exists()
    return built


@pytest.fixture
def run_on(django_capture_on_commit_callbacks):
    """Run a job with the clock frozen at 08:00 on `day`, its after-commit e-mails included."""

    def run(job, day: datetime.date):
        with time_machine.travel(at(day), tick=False), django_capture_on_commit_callbacks(execute=True):
            return job()

    return run
