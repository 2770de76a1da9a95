"""The city-wide overview opens on the departments (the single root's children), not on one row
for the root unit; heads still see their own department and its units."""

import pytest
from django.urls import reverse

from accounts.scope import user_scope
from courses.services import step_complete
from departments.models import Department
from reports.selectors import department_overview
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def unit_labels(overview) -> list[str]:
    return [row.label for row in overview.units]


def test_the_whole_city_is_broken_down_by_the_roots_departments(city, events):
    with events():
        for step in city.steps[city.courses[0].pk]:
            step_complete(user=city.learners["police"][0], step=step)
    scope = user_scope(city.admin)
    overview = department_overview(scope=scope, unit=scope.top_unit())
    # The city administrator belongs to the root unit itself: their row is the root's direct members.
    assert unit_labels(overview) == ["City (direct members)", "Finance Bureau", "Public Security Bureau"]
    police = next(row for row in overview.units if row.label == "Public Security Bureau")
    assert police.members == 3 and police.figures.completed == 1  # two learners and the head
    finance = next(row for row in overview.units if row.label == "Finance Bureau")
    assert finance.members == 2 + 2 + 2 + 3  # its own learners, both sections', the three people in it
    assert overview.members == sum(row.members for row in overview.units)


def test_the_admins_overview_page_lists_every_department_with_a_link_into_it(client, city):
    client.force_login(city.admin)
    html = client.get(reverse("reports:overview")).content.decode()
    for department in (city.finance, city.police):
        assert f'?department={department.pk}">{department.name_en}</a>' in html


def test_a_city_of_several_roots_lists_the_roots(city):
    other = DepartmentFactory(code="county", name="县", name_en="County")
    UserFactory(department=other)
    scope = user_scope(city.admin)
    overview = department_overview(scope=scope, unit=scope.top_unit())
    assert unit_labels(overview) == ["City", "County"]


def test_a_head_still_sees_their_own_department_and_its_units(city):
    scope = user_scope(city.finance_head)
    overview = department_overview(scope=scope, unit=scope.top_unit())
    assert unit_labels(overview) == ["Finance Bureau (direct members)", "Budget Section", "Treasury Section"]


def test_the_city_overview_costs_no_more_queries_than_before(city, django_assert_max_num_queries):
    scope = user_scope(city.admin)
    with django_assert_max_num_queries(6):  # the docstring's six: the top two levels replace the roots
        department_overview(scope=scope, unit=scope.top_unit())
    assert Department.objects.filter(depth=1).count() == 1
