"""A course only for a finance bureau, and people inside and outside it: shared by the tests of
files (documents, images) used in restricted steps."""

import pytest

from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps


@pytest.fixture
def finance():
    city = DepartmentFactory(code="city-files")
    return city, city.add_child(code="finance-files", name="财政局", name_en="Finance Bureau")


@pytest.fixture
def restricted_step(catalogue, finance):
    """The second step of a course only for the finance bureau."""
    _, bureau = finance
    course = build_course(catalogue, steps=2, slug="finance-only", title="财政预算系统")
    course.restricted_to_departments.set([bureau])
    course.save()
    return course_steps(course)[1]


@pytest.fixture
def finance_people(finance):
    """A member of a section under the bureau (may open its courses) and one of another bureau."""
    city, bureau = finance
    section = bureau.add_child(code="budget-files", name="预算科", name_en="Budget Section")
    other = city.add_child(code="police-files", name="公安局", name_en="Public Security")
    return {
        "member": UserFactory(username="finance-member", department=section),
        "other": UserFactory(username="police-member", department=other),
    }
