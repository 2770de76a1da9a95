import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hours.models import HourEntry
from tests.factories import UserFactory
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db


def give(user, hours, kind="elective"):
    HourEntry.objects.create(
        user=user, year=timezone.localdate().year, hours=Decimal(hours), kind=kind, source="offline"
    )


def names(response):
    return [row["id"] for row in response.context["learners"]]


def test_a_head_sees_their_subtree_only_below_target_first(client, city):
    done = city.learners["budget"][0]
    give(done, "50")
    give(city.learners["budget"][1], "10")
    client.force_login(city.finance_head)
    response = client.get(reverse("hours:compliance"))
    ids = names(response)
    finance_people = {u.pk for key in ("finance", "budget", "treasury") for u in city.learners[key]}
    finance_people |= {city.finance_head.pk, city.budget_head.pk, city.plain_learner.pk}
    assert set(ids) == finance_people
    assert ids[-1] == done.pk  # at target: last
    below = client.get(reverse("hours:compliance"), {"below": "1"})
    assert done.pk not in names(below)


def test_a_sub_unit_outside_the_scope_is_a_404_and_a_learner_gets_403(client, city):
    client.force_login(city.budget_head)
    assert client.get(reverse("hours:compliance"), {"department": city.police.pk}).status_code == 404
    assert client.get(reverse("hours:compliance"), {"department": city.finance.pk}).status_code == 404
    assert client.get(reverse("hours:compliance"), {"department": city.budget.pk}).status_code == 200
    assert (
        client.get(reverse("hours:compliance_export", args=["csv"]), {"department": city.police.pk}).status_code == 404
    )
    client.force_login(city.plain_learner)
    assert client.get(reverse("hours:compliance")).status_code == 403
    assert client.get(reverse("hours:compliance_export", args=["csv"])).status_code == 403


def test_a_city_admin_sees_everyone(client, city):
    client.force_login(city.admin)
    response = client.get(reverse("hours:compliance"))
    User = city.admin.__class__
    assert response.context["page"].paginator.count == User.objects.filter(department__isnull=False).count()


def test_required_and_elective_are_counted_apart_and_exported(client, city):
    learner = city.learners["police"][0]
    give(learner, "2", kind="required")
    give(learner, "3")
    client.force_login(city.police_head)
    body = client.get(reverse("hours:compliance_export", args=["csv"])).getvalue().decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(body))}
    row = rows[learner.display_name]
    assert [Decimal(cell) for cell in row[3:8]] == [2, 3, 5, 50, 45]
    xlsx = client.get(reverse("hours:compliance_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.max_row == len(rows)


def test_formula_like_names_are_neutralised_in_the_export(client, city):
    UserFactory(department=city.police, display_name="=HYPERLINK(1)")
    client.force_login(city.police_head)
    body = client.get(reverse("hours:compliance_export", args=["csv"])).getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def add_learners(city, count):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hours.models import OfflineTraining

    for n in range(count):
        person = UserFactory(department=city.budget if n % 2 else city.treasury)
        give(person, str(n % 7))
        OfflineTraining.objects.create(
            user=person,
            course_name="线下培训",
            start_date="2026-03-01",
            end_date="2026-03-02",
            hours=Decimal("2"),
            attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )


@pytest.mark.parametrize("page", ["compliance", "pending"])
def test_query_count_is_the_same_for_5_and_55_learners(client, catalogue, page):
    city = build_city(catalogue, per_unit=1, courses=1, steps=1)
    client.force_login(city.finance_head)
    counts = []
    for extra in (5, 50):
        add_learners(city, extra)
        client.get(reverse(f"hours:{page}"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"hours:{page}")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12
