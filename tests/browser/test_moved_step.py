"""A trainer moves a lesson a learner already completed into another course with Wagtail's own
move buttons, in a real browser: the completion follows the step, so the learner's new course
shows the step done and counts it in their progress (courses.services.step_completions_follow)."""

import pytest

from courses.models import CourseProgress, StepCompletion
from courses.services import course_outline_refresh, step_complete
from tests.factories import UserFactory, build_course, course_steps

from .test_admin import PASSWORD, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_lesson_moved_in_the_admin_stays_done_for_the_learner_in_its_new_course(
    live_server_url, visitor_factory, catalogue
):
    first = build_course(catalogue, steps=2, slug="moving-from", title="政务外网基础", sequential=False)
    second = build_course(catalogue, steps=1, slug="moving-to", title="数据共享交换", sequential=False)
    for course in (first, second):
        course_outline_refresh(course=course)
    learner = UserFactory(username="mover-learner")
    moved = course_steps(first)[1]  # step-2: the second course has a step-1
    step_complete(user=learner, step=moved)
    UserFactory(username="mover-admin", is_superuser=True, is_staff=True)

    admin = visitor_factory(live_server_url)
    admin_login(admin, "mover-admin")
    admin.goto(f"/admin/pages/{moved.pk}/move/")
    # Wagtail's move form: choose the new parent in its page chooser, then confirm the move.
    admin.click(admin.page.locator("main button[aria-label=Actions]"))
    admin.click(admin.page.get_by_role("button", name="Choose another page"))
    admin.click(admin.page.locator(".modal").get_by_role("link", name="数据共享交换").first)
    admin.click(admin.page.locator("main form [type=submit]").first)
    admin.click(admin.page.locator("main form [type=submit]").first)  # "Yes, move this page"

    moved.refresh_from_db()
    assert moved.get_parent().pk == second.pk
    assert StepCompletion.objects.get(user=learner, step_id=moved.pk).course_id == second.pk

    learner_tab = visitor_factory(live_server_url)
    learner_tab.log_in("mover-learner", PASSWORD)
    learner_tab.goto(second.url, expect_status=200)
    learner_tab.click(learner_tab.page.get_by_role("link", name="第1步").first, expect_status=200)
    done_step = learner_tab.page.locator("ol.outline li", has_text="第2步")
    assert "status-done" in done_step.get_attribute("class")
    learner_tab.click(learner_tab.page.locator(".step-nav form button[type=submit]"))  # Mark as done
    progress = CourseProgress.objects.get(user=learner, course=second)
    assert (progress.steps_done, progress.steps_total) == (2, 2) and progress.completed_at is not None
