"""The reviewer and city administrator's journey, in English: approve and publish a course a trainer
submitted with its new steps, import people from a CSV file after a dry run, revoke a certificate
and see its public page say so, and open the city's report on its departments. Every button
pressed is checked in the database."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowState

from accounts.models import PeopleImport
from certificates.models import Certificate
from courses.models import CourseIndexPage, CoursePage, CourseReviewStep, LessonPage
from departments.models import Department
from tests.factories import lesson_body

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]

PEOPLE_CSV = """工号 Employee ID,姓名 Name,部门路径 Department path,职务 Position,角色 Role,邮箱 E-mail
XJ26001,周新人,{budget},科员,学员,zhou.xinren@example.gov.cn
XJ26002,吴培训,{office},科员,"学员、培训师",
"""


def submitted_course(catalogue, trainer) -> tuple[CoursePage, list[LessonPage]]:
    """A new course with two new steps, submitted for review by the trainer (as the editor's
    "Submit for review" does; the trainer's journey does it in the browser)."""
    course = catalogue.add_child(
        instance=CoursePage(
            title="政务外网接入规范",
            slug="egov-network-access",
            summary="接入政务外网前要做的检查。",
            objectives="知道接入审批的步骤",
            live=False,
        )
    )
    course.save_revision(user=trainer)
    steps = []
    for number, title in enumerate(("接入前的检查", "接入后的自查"), start=1):
        step = CoursePage.objects.get(pk=course.pk).add_child(
            instance=LessonPage(title=title, slug=f"step-{number}", body=lesson_body(f"{title}的要点。"), live=False)
        )
        step.save_revision(user=trainer)
        steps.append(step)
    course = CoursePage.objects.get(pk=course.pk)
    course.get_workflow().start(course, trainer)
    return course, steps


def test_a_reviewer_publishes_a_course_imports_people_revokes_a_certificate_and_reads_the_city(visit, tmp_path):
    User = get_user_model()
    admin = User.objects.get(username="cityadmin")
    catalogue = CourseIndexPage.objects.get()
    course, steps = submitted_course(catalogue, User.objects.get(username="trainer2"))
    course_review = course.current_workflow_state
    assert CourseReviewStep.objects.filter(course_review=course_review).count() == 2
    visitor = visit("cityadmin", locale="en-US")
    page = visitor.page

    # The course is awaiting review on the dashboard; approved and published in one action.
    visitor.goto("/admin/")
    visitor.click(page.locator(f"main a[href='/admin/pages/{course.pk}/edit/']", has_text=course.title))
    assert "reviewed together with 2 steps" in page.locator("[data-course-review-steps]").inner_text()
    page.click("footer .w-dropdown__toggle")
    page.click("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    page.wait_for_url(f"**/admin/pages/{catalogue.pk}/")
    visitor.settle()
    course_review.refresh_from_db()
    assert course_review.status == WorkflowState.STATUS_APPROVED
    course = CoursePage.objects.get(pk=course.pk)
    assert course.live and not course.has_unpublished_changes
    for step in steps:
        step = LessonPage.objects.get(pk=step.pk)
        assert step.live and not step.has_unpublished_changes
        assert step.current_workflow_state is None
    visitor.goto(course.url)  # the public course page lists its steps
    assert all(step.title in visitor.text() for step in steps)

    # People import: the dry run writes nothing, the confirmation creates the accounts.
    budget = Department.objects.get(code="finance-budget")
    office = Department.objects.get(code="informatization-planning")
    paths = {
        key: "/".join(unit.name for unit in [*unit.get_ancestors(), unit])
        for key, unit in (("budget", budget), ("office", office))
    }
    people_file = tmp_path / "新进人员.csv"
    people_file.write_bytes(PEOPLE_CSV.format(**paths).encode("utf-8-sig"))
    new_people = User.objects.filter(employee_id__in=["XJ26001", "XJ26002"])
    visitor.goto("/admin/people-import/")
    page.set_input_files("#id_file", str(people_file))
    visitor.click("main form[action='/admin/people-import/'] button[type=submit]")
    people_import = PeopleImport.objects.latest("pk")
    assert people_import.status == PeopleImport.Status.CHECKED and people_import.created_by == admin
    assert "2 to create, 0 to update, 0 unchanged, 0 with errors." in visitor.text()
    assert not new_people.exists()
    visitor.click(f"main form[action$='/people-import/{people_import.pk}/confirm/'] button[type=submit]")
    page.locator("[data-people-import-status][data-finished=true]").wait_for()
    people_import.refresh_from_db()
    assert (people_import.status, people_import.created, people_import.failed) == (PeopleImport.Status.DONE, 2, 0)
    zhou, wu = new_people.order_by("employee_id")
    assert (zhou.display_name, zhou.department_id, zhou.position, zhou.is_trainer) == ("周新人", budget.pk, "科员", False)
    assert (wu.department_id, wu.is_trainer) == (office.pk, True)

    # A certificate revoked with a reason; its public page then says so.
    certificate = (
        Certificate.objects.filter(revoked_at__isnull=True).exclude(user__username="learner").order_by("pk").first()
    )
    visitor.goto("/admin/certificates/")
    page.fill("#certificate-search", certificate.code)
    visitor.click("main form[role=search] button[type=submit]")
    visitor.click(f"a[href='/admin/certificates/{certificate.pk}/revoke/']")
    visitor.click("main form button[type=submit]", expect_status=400)  # no reason: refused
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    page.fill("#id_reason", "学时记录有误，需重新学习")
    visitor.click("main form button[type=submit]")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == admin
    assert certificate.revoked_reason == "学时记录有误，需重新学习"
    visitor.goto(f"/certificates/verify/{certificate.code}/")
    assert "This certificate was revoked" in visitor.text()
    assert certificate.learner_name not in visitor.text()  # a revoked one tells no name

    # The city's report opens on its departments.
    visitor.goto("/reports/")
    units = page.locator("section[aria-labelledby=units-heading] tbody th").all_inner_texts()
    city = Department.objects.get(depth=1)
    expected = [child.name_en or child.name for child in city.get_children()]
    assert set(expected) <= {unit.strip() for unit in units}
    visitor.click(f"section[aria-labelledby=units-heading] a[href='/reports/?department={budget.get_parent().pk}']")
    assert budget.get_parent().name_en in visitor.text("h1")
