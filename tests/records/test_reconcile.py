"""The periodic reconciliation (records.tasks.reconcile_summaries, beat) repairs the department
summaries a lost task left wrong, only those, logs them, and finds nothing the second time."""

import logging

import pytest
from django.conf import settings
from wagtail.models import ModelLogEntry

from courses.services import step_complete
from records.models import RecordRepair
from records.services import REPAIRED_ACTION
from records.tasks import reconcile_summaries
from reports.models import DepartmentCourseSummary, DepartmentMonthlyCompletions
from reports.services import summaries_compute, summaries_store, summaries_stored, summary_pairs_mismatched
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(catalogue):
    city = build_city(catalogue, per_unit=1, courses=2, steps=1)
    for learners in city.learners.values():
        step_complete(user=learners[0], step=city.steps[city.courses[0].pk][0])
    summaries_store(summaries_compute())  # the refreshes queued on commit do not run in this test
    assert not summary_pairs_mismatched(summaries_compute(), summaries_stored())
    return city


def test_the_reconciliation_runs_on_a_schedule():
    jobs = [job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "records.tasks.reconcile_summaries" in jobs


def test_it_repairs_only_the_wrong_summaries_and_logs_them(city, caplog):
    course = city.courses[0]
    DepartmentCourseSummary.objects.filter(department=city.budget, course=course).update(completed=0, started=0)
    DepartmentMonthlyCompletions.objects.filter(department=city.police, course=course).delete()
    assert summary_pairs_mismatched(summaries_compute(), summaries_stored()) == {
        (city.budget.pk, course.pk),
        (city.police.pk, course.pk),
    }
    with caplog.at_level(logging.INFO, logger="records.services"):
        assert reconcile_summaries.delay().get() == 2
    assert not summary_pairs_mismatched(summaries_compute(), summaries_stored())
    assert sorted(RecordRepair.objects.values_list("record", flat=True)) == sorted(
        [f"department={city.budget.pk} course={course.pk}", f"department={city.police.pk} course={course.pk}"]
    )
    assert ModelLogEntry.objects.filter(action=REPAIRED_ACTION).count() == 2
    assert f"repaired 2 department summaries: department={min(city.budget.pk, city.police.pk)}" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="records.services"):
        assert reconcile_summaries.delay().get() == 0
    assert RecordRepair.objects.count() == 2
    assert "agree with the raw rows" in caplog.text


def test_a_missing_summary_row_is_put_back(city):
    DepartmentCourseSummary.objects.filter(department=city.finance).delete()
    assert reconcile_summaries.delay().get() == 1
    assert DepartmentCourseSummary.objects.filter(department=city.finance, course=city.courses[0]).get().completed == 1
