"""A training is declared once: the same declaration (person, course name, dates) sent again while
the first waits for a decision or was approved is refused with a message, on the page and when
the two arrive at once; after a rejection it may be sent again. Declarations sent twice before
this rule are settled by its migration so that none counts twice."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from hours.models import HourEntry, OfflineTraining
from hours.services import offline_decide
from hours.verify import hours_record_problems
from tests.factories.files import png_bytes
from tests.factories.hours import offline_declaration
from tests.quizzes.test_concurrency import run_at_once

MESSAGE = "You have already declared this training for these dates"


def form_data():
    return {
        "course_name": "保密培训",
        "start_date": "2026-03-01",
        "end_date": "2026-03-02",
        "hours": "6",
        "attachment": SimpleUploadedFile("attendance.png", png_bytes()),
    }


@pytest.mark.django_db
def test_the_same_declaration_sent_again_is_refused_on_the_page_and_nothing_is_added(client, city):
    learner = city.learners["budget"][0]
    client.force_login(learner)
    assert client.post(reverse("hours:mine"), form_data()).status_code == 302
    again = client.post(reverse("hours:mine"), form_data())
    assert again.status_code == 400 and MESSAGE in again.content.decode()
    assert OfflineTraining.objects.filter(user=learner).count() == 1
    # Approved, it is refused too; another person, or other dates, are another training.
    offline_decide(declaration=OfflineTraining.objects.get(user=learner), approver=city.finance_head, approve=True)
    assert client.post(reverse("hours:mine"), form_data()).status_code == 400
    assert client.post(reverse("hours:mine"), {**form_data(), "end_date": "2026-03-03"}).status_code == 302
    client.force_login(city.learners["budget"][1])
    assert client.post(reverse("hours:mine"), form_data()).status_code == 302
    assert HourEntry.objects.filter(offline__user=learner).count() == 1


@pytest.mark.django_db
def test_a_rejected_declaration_may_be_sent_again(city):
    learner = city.learners["budget"][0]
    first = offline_declaration(learner)
    offline_decide(declaration=first, approver=city.finance_head, approve=False, reason="证明不清晰")
    second = offline_declaration(learner)
    assert second.pk != first.pk and second.status == OfflineTraining.Status.PENDING


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_sends_at_once_make_one_declaration(require_postgres, city):
    learner = city.learners["budget"][0]
    outcomes = run_at_once(lambda: offline_declaration(learner), times=8)
    made = [outcome for outcome in outcomes if isinstance(outcome, OfflineTraining)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(made) == 1 and len(refused) == 7, outcomes
    assert all(MESSAGE in " ".join(error.messages) for error in refused)
    assert OfflineTraining.objects.filter(user=learner).count() == 1


@pytest.mark.django_db
def test_the_migration_lets_no_training_sent_twice_count_twice(require_postgres, city):
    migration = import_module("hours.migrations.0008_offline_declared_once")
    constraint = next(c for c in OfflineTraining._meta.constraints if c.name == "offline_declared_once")
    learner, head = city.learners["budget"][0], city.finance_head
    with connection.schema_editor() as editor:
        editor.remove_constraint(OfflineTraining, constraint)  # the rows as they were before the rule
    first = offline_declaration(learner)
    fields = {name: getattr(first, name) for name in ("user", "course_name", "start_date", "end_date", "hours")}
    # Written as the service did before the rule (its full_clean now refuses them).
    copy_approved = OfflineTraining.objects.create(**fields, attachment=first.attachment.name)
    copy_pending = OfflineTraining.objects.create(**fields, attachment=first.attachment.name)
    other = offline_declaration(learner, course_name="档案管理培训")
    for declaration in (first, copy_approved, other):
        offline_decide(declaration=declaration, approver=head, approve=True)

    migration.settle_declarations_sent_twice(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL indexes no table with checks pending
    with connection.schema_editor() as editor:
        editor.add_constraint(OfflineTraining, constraint)  # it holds now

    statuses = dict(OfflineTraining.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "approved",
        copy_approved.pk: "rejected",
        copy_pending.pk: "rejected",
        other.pk: "approved",
    }
    counting = HourEntry.objects.filter(offline__user=learner, revoked_at__isnull=True)
    assert sorted(counting.values_list("offline_id", flat=True)) == sorted([first.pk, other.pk])
    assert HourEntry.objects.get(offline=copy_approved).revoked_at is not None  # kept, no longer counting
    assert [key for key in hours_record_problems() if key[0] == "offline"] == []
