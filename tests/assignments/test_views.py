"""The pages: a learner's required learning, and the heads' assignments and overdue list,
scoped exactly like the reports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, LearnerAssignment

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def overdue(city):
    """One overdue assignment in finance (subtree) and one in police."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    finance = services.assignment_create(
        course=city.courses[0], department=city.finance, due_days=7, created_by=city.admin, now=long_ago
    )
    police = services.assignment_create(
        course=city.courses[1], department=city.police, due_days=7, created_by=city.admin, now=long_ago
    )
    return finance, police


def listed(response):
    return {item["row"].user_id for item in response.context["rows"]}


def members(city, *keys):
    return {u.pk for key in keys for u in city.learners[key]}


def test_the_learner_sees_required_courses_by_due_date_with_overdue_marked(client, city):
    learner = city.learners["police"][0]
    soon = services.assignment_create(
        course=city.courses[1], department=city.police, due_date=D(2100, 1, 1), created_by=city.admin
    )
    late = services.assignment_create(
        course=city.courses[0], department=city.police, due_date=D(2000, 1, 1), created_by=city.admin
    )
    client.force_login(learner)
    response = client.get(reverse("assignments:mine"))
    assert response.status_code == 200
    items = response.context["items"]
    assert [item["row"].assignment_id for item in items] == [late.pk, soon.pk]
    assert [item["overdue"] for item in items] == [True, False]
    assert "Overdue" in response.content.decode()


def test_the_overdue_list_of_a_head_is_their_subtree(client, city, overdue):
    client.force_login(city.finance_head)
    response = client.get(reverse("assignments:overdue"))
    assert response.status_code == 200
    expected = members(city, "finance", "budget", "treasury") | {
        city.finance_head.pk,
        city.budget_head.pk,
        city.plain_learner.pk,
    }
    assert listed(response) == expected
    section = client.get(reverse("assignments:overdue"), {"department": city.budget.pk})
    assert listed(section) == members(city, "budget") | {city.budget_head.pk}


def test_a_sibling_department_is_a_404(client, city, overdue):
    client.force_login(city.police_head)
    assert client.get(reverse("assignments:overdue"), {"department": city.finance.pk}).status_code == 404
    assert client.get(reverse("assignments:overdue"), {"department": "x"}).status_code == 404
    assert listed(client.get(reverse("assignments:overdue"))) == members(city, "police") | {city.police_head.pk}
    client.force_login(city.budget_head)
    assert client.get(reverse("assignments:overdue"), {"department": city.finance.pk}).status_code == 404


def test_a_learner_gets_no_overdue_list_and_no_assigning(client, city, overdue):
    client.force_login(city.plain_learner)
    assert client.get(reverse("assignments:overdue")).status_code == 403
    assert client.get(reverse("assignments:manage")).status_code == 403
    client.logout()
    assert client.get(reverse("assignments:overdue")).status_code == 302


def test_the_city_admin_sees_everyone_overdue(client, city, overdue):
    client.force_login(city.admin)
    response = client.get(reverse("assignments:overdue"))
    assert listed(response) == set(LearnerAssignment.objects.values_list("user_id", flat=True))
    assert client.get(reverse("assignments:overdue"), {"department": city.police.pk}).status_code == 200


def test_completed_or_not_yet_due_rows_are_not_overdue(client, city, overdue):
    LearnerAssignment.objects.filter(user=city.learners["police"][0]).update(completed_at=timezone.now())
    services.assignment_create(course=city.courses[0], department=city.police, due_days=30, created_by=city.admin)
    client.force_login(city.police_head)
    assert city.learners["police"][0].pk not in listed(client.get(reverse("assignments:overdue")))


def test_the_overdue_list_is_paginated_by_50(client, city):
    from tests.factories import UserFactory

    for _n in range(55):
        UserFactory(department=city.police)
    services.assignment_create(
        course=city.courses[0],
        department=city.police,
        due_days=1,
        created_by=city.admin,
        now=timezone.now() - datetime.timedelta(days=5),
    )
    client.force_login(city.police_head)
    first = client.get(reverse("assignments:overdue"))
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 55 + len(city.learners["police"]) + 1
    assert len(client.get(reverse("assignments:overdue"), {"page": 2}).context["rows"]) == 8


def test_the_department_choices_are_scoped(client, city):
    client.force_login(city.finance_head)
    response = client.get(reverse("assignments:manage"))
    assert response.status_code == 200
    choices = {pk for pk, _label in response.context["form"].fields["department"].choices}
    assert choices == {city.finance.pk, city.budget.pk, city.treasury.pk}


def test_a_head_assigns_within_scope_and_not_outside(client, city):
    client.force_login(city.finance_head)
    url = reverse("assignments:manage")
    data = {"course": city.courses[0].pk, "department": city.budget.pk, "due_days": 10, "positions": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.department, assignment.created_by) == (city.budget, city.finance_head)
    outside = client.post(url, {**data, "department": city.police.pk})
    assert outside.status_code == 400
    assert "department" in outside.context["form"].errors
    assert Assignment.objects.count() == 1


def test_the_form_needs_exactly_one_due_rule(client, city):
    client.force_login(city.admin)
    url = reverse("assignments:manage")
    base = {"course": city.courses[0].pk, "department": city.police.pk}
    neither = client.post(url, base)
    both = client.post(url, {**base, "due_days": 5, "due_date": "2030-01-01"})
    assert neither.status_code == both.status_code == 400
    assert "due_date" in both.context["form"].errors
    assert not Assignment.objects.exists()


def test_the_pages_speak_chinese(client, city, overdue):
    client.force_login(city.police_head)
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert "必修" in client.get(reverse("assignments:mine")).content.decode()
    assert "逾期" in client.get(reverse("assignments:overdue")).content.decode()


def test_my_learning_shows_required_courses_first_with_due_dates_and_overdue_marked(client, city):
    learner = city.learners["budget"][0]
    due_past = timezone.localdate() - datetime.timedelta(days=2)
    services.assignment_create(course=city.courses[0], department=city.finance, due_date=due_past, created_by=city.admin)
    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    required = page.index('id="required-heading"')
    assert required < page.index('id="in-progress-heading"')
    assert city.courses[0].title in page[required:] and due_past.isoformat() in page and "badge-overdue" in page
    client.force_login(city.learners["police"][0])  # nothing assigned: no required section
    assert 'id="required-heading"' not in client.get(reverse("courses:my_learning")).content.decode()
