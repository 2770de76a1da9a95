"""Several "Prepare my data archive" clicks at the same moment on PostgreSQL (two tabs, a double
click that got through): one archive is prepared, the others are refused."""

import pytest

from privacy.models import DataArchive
from privacy.services import ArchiveRefused, data_archive_request
from tests.factories import UserFactory
from tests.quizzes.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_requests_of_one_person_make_one_archive(require_postgres, file_roots, monkeypatch):
    person = UserFactory()
    # The task is not run during the race: a finished archive would rightly allow a new request.
    queued = []
    monkeypatch.setattr("privacy.services.enqueue_on_commit", lambda task, archive_id: queued.append(archive_id))
    outcomes = run_at_once(lambda: data_archive_request(user=person), times=8)
    made = [outcome for outcome in outcomes if isinstance(outcome, DataArchive)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ArchiveRefused)]
    assert len(made) == 1 and len(refused) == 7, outcomes
    assert DataArchive.objects.filter(user=person).count() == 1
    assert queued == [made[0].pk]  # enqueued once, after its commit
    assert DataArchive.objects.get(user=person).status == DataArchive.Status.QUEUED
