from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from assignments.models import LearnerAssignment
from certificates.models import Certificate
from courses.models import CourseIndexPage, CourseOutline, CoursePage, CourseProgress, Enrolment, StepCompletion
from courses.selectors import live_step_ids
from courses.services import course_progress_recompute
from demo.province import BIG_DEPARTMENT_CODE, CATALOGUE_SLUG, PROVINCE_CODE
from departments.models import Department
from hours.models import HourEntry
from records.services import records_verify

pytestmark = pytest.mark.django_db

SMALL = {"learners": 300, "departments": 30, "courses": 5, "big_department": 100}


def generate(**options):
    call_command("generate_province", **{**SMALL, **options}, stdout=StringIO())


def province_people():
    root = Department.objects.get(code=PROVINCE_CODE)
    return get_user_model().objects.filter(department__path__startswith=root.path)


def province_courses():
    return CoursePage.objects.child_of(CourseIndexPage.objects.get(slug=CATALOGUE_SLUG))


@pytest.fixture
def province(site_tree):
    generate()


def test_generates_the_asked_tree_people_and_courses(province):
    root = Department.objects.get(code=PROVINCE_CODE)
    assert Department.objects.filter(path__startswith=root.path).count() == 30
    assert province_people().count() == 300
    assert province_courses().count() == 5
    assert all(3 <= len(live_step_ids(course=course)) <= 6 for course in province_courses())
    # The tree is valid and at most four levels deep.
    assert Department.find_problems() == ([], [], [], [], [])
    assert root.is_root()
    assert Department.objects.filter(path__startswith=root.path).aggregate(deepest=Max("depth"))["deepest"] <= 4
    # Siblings are numbered in code order, as treebeard's node_order_by would place them.
    for parent in Department.objects.filter(path__startswith=root.path, numchild__gt=0):
        children = list(parent.get_children())
        assert len(children) == parent.numchild
        assert [child.code for child in children] == sorted(child.code for child in children)
    # Exactly one unit has as many direct members as the big department.
    sizes = province_people().values("department__code").annotate(n=Count("pk"))
    assert [row["department__code"] for row in sizes if row["n"] == 100] == [BIG_DEPARTMENT_CODE]
    # One head per unit; every learner has progress.
    people = province_people()
    heads = people.filter(is_department_head=True).values("department_id").annotate(n=Count("pk"))
    assert len(heads) == 30 and {row["n"] for row in heads} == {1}
    without_progress = people.annotate(rows=Count("course_progress")).filter(rows=0)
    assert not without_progress.exists()
    # 5–15 courses each, capped by the 5 courses there are.
    assert set(people.annotate(n=Count("enrolments")).values_list("n", flat=True)) == {5}
    assert get_user_model().objects.get(username=f"head.{BIG_DEPARTMENT_CODE}").check_password("Training-2026")


def test_progress_rows_and_report_summaries_agree_with_a_recompute(province):
    courses = list(province_courses())
    for course in courses:
        assert CourseOutline.objects.get(course=course).step_ids == live_step_ids(course=course)
    assert sum(course_progress_recompute(course_id=course.pk) for course in courses) == 0
    statuses = CourseProgress.objects.filter(course__in=courses)
    assert statuses.filter(steps_done=0).exists()
    assert statuses.filter(steps_done__gt=0, completed_at__isnull=True).exists()
    # The province's courses have no quiz steps: no attempt, so no best score.
    assert not statuses.filter(best_score_percent__isnull=False).exists()
    assert not statuses.filter(quiz_attempts__gt=0).exists()
    assert Enrolment.objects.filter(course__in=courses).count() == statuses.count()
    assert StepCompletion.objects.filter(course__in=courses).count() == sum(row.steps_done for row in statuses)
    # The reports' stored summaries were refreshed: they equal a recompute.
    call_command("reports_recompute", check=True, stdout=StringIO())


def test_records_verify_finds_nothing_wrong_in_the_generated_province(province):
    """Issue 11: every derived row the generator writes is what the product derives from the raw
    facts it writes (progress, best scores, required learning, hours, certificates, summaries)."""
    assert records_verify().problems == []
    # Not clean by being empty: the province has every kind of derived record.
    completed = CourseProgress.objects.filter(course__in=province_courses(), completed_at__isnull=False)
    assert completed.count() > 100
    entries = HourEntry.objects.filter(course__in=province_courses(), source="course_completion", revoked_at=None)
    assert entries.count() == completed.count()
    assert entries.filter(kind="required").exists() and entries.filter(kind="elective").exists()
    assert Certificate.objects.filter(course__in=province_courses(), revoked_at=None).count() == completed.count()
    rows = LearnerAssignment.objects.filter(user__in=province_people())
    assert rows.filter(completed_at__isnull=False).exists() and rows.filter(completed_at__isnull=True).exists()


def test_a_second_run_without_replace_refuses(province):
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert province_people().count() == 300


def test_replace_generates_the_province_anew(province):
    generate(replace=True, learners=250, courses=4)
    assert records_verify().problems == []
    assert province_people().count() == 250
    assert province_courses().count() == 4
    assert Department.objects.filter(code=PROVINCE_CODE).count() == 1
    assert CourseIndexPage.objects.filter(slug=CATALOGUE_SLUG).count() == 1
    assert set(CourseProgress.objects.values_list("course_id", flat=True)) <= set(
        CoursePage.objects.values_list("pk", flat=True)
    )
    assert Department.find_problems() == ([], [], [], [], [])


def test_needs_a_home_page(db):
    with pytest.raises(CommandError, match="load_demo_city"):
        generate()
