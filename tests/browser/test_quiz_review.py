"""Issue 14 item 4 in Chromium: a trainer changes a live quiz's pass mark and submits it for
review; learners still see the live pass mark; the reviewer (cityadmin) approves; the new pass mark
is live."""

from decimal import Decimal

import pytest
from wagtail.models import WorkflowState

from courses.models import QuizStepPage
from courses.services import step_complete
from quizzes.models import Quiz
from tests.browser.test_admin import PASSWORD, admin_login, authoring_users, open_footer_menu
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_pass_mark_change_goes_live_only_when_the_reviewer_approves(live_server_url, visitor, catalogue):
    quiz = make_quiz(title="结业测验（审核）", pass_mark_percent=Decimal("60"))
    course = build_course(catalogue, steps=1, slug="quiz-review")
    course.refresh_from_db()
    step = course.add_child(instance=QuizStepPage(title="结业测验", slug="exam", quiz=quiz))
    learner = UserFactory(username="quiz-learner")
    step_complete(user=learner, step=course_steps(course)[0])
    trainer, reviewer = authoring_users(catalogue, trainer_language="en")
    reviewer.username = "cityadmin"
    reviewer.save(update_fields=["username"])
    page = visitor.page

    admin_login(visitor, trainer.username)
    # Wagtail's snippet edit page has no <h1> (an axe rule this change did not bring; as in
    # test_choice_grades): the admin pages are not checked here, the learner's are.
    visitor.checks = False
    visitor.goto(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    page.fill("#id_pass_mark_percent", "75")
    open_footer_menu(page)
    page.click("footer button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    stored = Quiz.objects.get(pk=quiz.pk)
    assert stored.pass_mark_percent == Decimal("60") and stored.has_unpublished_changes
    assert stored.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert stored.latest_revision.as_object().pass_mark_percent == Decimal("75")

    page.context.clear_cookies()
    visitor.checks = True
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(step.url)
    assert "Pass mark: 60%" in visitor.text() and "75%" not in visitor.text()

    admin_login(visitor, "cityadmin")
    visitor.checks = False
    visitor.goto(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")
    open_footer_menu(page)
    page.click("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    page.wait_for_load_state("networkidle")
    stored = Quiz.objects.get(pk=quiz.pk)
    assert stored.pass_mark_percent == Decimal("75") and not stored.has_unpublished_changes
    assert WorkflowState.objects.for_instance(stored).get().status == WorkflowState.STATUS_APPROVED

    page.context.clear_cookies()
    visitor.checks = True
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(step.url)
    assert "Pass mark: 75%" in visitor.text()
