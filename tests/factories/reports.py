"""A small city for report tests: a city root, two sibling departments (one with two sections),
their heads, a city administrator and learners, and courses without a fixed step order."""

from dataclasses import dataclass, field

from courses.models import CoursePage, LessonPage
from departments.models import Department
from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps


@dataclass
class City:
    city: Department
    finance: Department
    budget: Department  # a section of finance
    treasury: Department  # a section of finance
    police: Department  # finance's sibling
    courses: list[CoursePage]
    steps: dict[int, list[LessonPage]]
    admin: object
    finance_head: object
    budget_head: object
    police_head: object
    plain_learner: object
    learners: dict[str, list] = field(default_factory=dict)


def build_city(catalogue, *, per_unit: int = 2, courses: int = 2, steps: int = 2) -> City:
    city = DepartmentFactory(code="city", name="市", name_en="City", kind=Department.Kind.CITY)
    finance = DepartmentFactory(parent=city, code="finance", name="财政局", name_en="Finance Bureau")
    police = DepartmentFactory(parent=city, code="police", name="公安局", name_en="Public Security Bureau")
    finance.refresh_from_db()
    budget = DepartmentFactory(parent=finance, code="finance-budget", name="预算科", name_en="Budget Section")
    treasury = DepartmentFactory(parent=finance, code="finance-treasury", name="国库科", name_en="Treasury Section")
    for unit in (city, finance, police, budget, treasury):
        unit.refresh_from_db()
    built = [
        build_course(catalogue, steps=steps, sequential=False, title=f"课程{n}", slug=f"report-course-{n}")
        for n in range(1, courses + 1)
    ]
    units = {"finance": finance, "budget": budget, "treasury": treasury, "police": police}
    learners = {
        key: [UserFactory(department=unit, display_name=f"{unit.name}学员{i}") for i in range(per_unit)]
        for key, unit in units.items()
    }
    return City(
        city=city,
        finance=finance,
        budget=budget,
        treasury=treasury,
        police=police,
        courses=built,
        steps={course.pk: course_steps(course) for course in built},
        admin=UserFactory(username="cityadmin", department=city, is_city_admin=True),
        finance_head=UserFactory(username="head.finance", department=finance, is_department_head=True),
        budget_head=UserFactory(username="head.budget", department=budget, is_department_head=True),
        police_head=UserFactory(username="head.police", department=police, is_department_head=True),
        plain_learner=UserFactory(username="plain", department=finance),
        learners=learners,
    )
