"""Each report page costs the same number of queries for 5 and for 50 learners, and at most 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseProgress
from reports.services import summaries_compute, summaries_store
from tests.factories import UserFactory
from tests.factories.reports import build_city

pytestmark = pytest.mark.django_db

BUDGET = 12


def populate(catalogue, learners: int):
    city = build_city(catalogue, per_unit=1)
    now = timezone.now()
    people = [UserFactory(department=city.budget if n % 2 else city.treasury) for n in range(learners)]
    CourseProgress.objects.bulk_create(
        CourseProgress(
            user=person,
            course=course,
            steps_done=2 if n % 3 == 0 else 1,
            steps_total=2,
            percent=100 if n % 3 == 0 else 50,
            started_at=now,
            last_activity_at=now,
            completed_at=now if n % 3 == 0 else None,
            best_score_percent=60 + n % 40,
            quiz_attempts=1 + n % 3,
        )
        for n, person in enumerate(people)
        for course in city.courses
    )
    summaries_store(summaries_compute())
    return city, people


def pages(city, person):
    course = city.courses[0]
    return [
        (city.finance_head, reverse("reports:overview"), {}),
        (city.finance_head, reverse("reports:overview"), {"department": city.budget.pk, "course": course.pk}),
        (city.admin, reverse("reports:overview"), {}),
        (
            city.finance_head,
            reverse("reports:course", args=[course.pk]),
            {"unit": city.budget.pk, "status": "in_progress", "date_from": "2000-01-01", "sort": "-percent"},
        ),
        (city.admin, reverse("reports:course", args=[course.pk]), {"sort": "department"}),
        (city.finance_head, reverse("reports:learner", args=[person.pk]), {}),
        (city.finance_head, reverse("reports:export", args=["course_learners", "csv"]), {"course": course.pk}),
        (city.finance_head, reverse("reports:export", args=["overview_units", "xlsx"]), {}),
    ]


def measure(client, city, people) -> list[int]:
    """Queries per page in steady state: each page is requested once unmeasured first, so what a
    process looks up once and keeps (content types, the cached Site) counts in neither run."""
    counts = []
    for viewer, url, params in pages(city, people[0]):
        client.force_login(viewer)
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
                if response.streaming:
                    b"".join(response.streaming_content)
            assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


def test_every_report_page_costs_the_same_few_queries_for_5_and_50_learners(client, catalogue):
    city, people = populate(catalogue, 5)
    small = measure(client, city, people)
    CourseProgress.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    from departments.models import Department

    Department.objects.all().delete()
    for page in catalogue.get_children():
        page.delete()
    city, people = populate(catalogue, 50)
    large = measure(client, city, people)
    assert small == large
    assert max(large) <= BUDGET, large


def test_the_query_budget_holds_under_django_assert_max_num_queries(client, catalogue, django_assert_max_num_queries):
    city, people = populate(catalogue, 50)
    for viewer, url, params in pages(city, people[0]):
        client.force_login(viewer)
        with django_assert_max_num_queries(BUDGET):
            response = client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
