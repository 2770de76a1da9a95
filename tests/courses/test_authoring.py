"""Trainers write and submit; reviewers approve and publish (the "Course review" workflow)."""

import pytest
from wagtail.models import Workflow

from courses.authoring import course_authoring_setup
from courses.models import LessonPage
from tests.factories import UserFactory, course_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def authoring(catalogue):
    trainers, reviewers, workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(is_staff=True, is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewers)
    return trainer, reviewer, workflow


def test_setup_is_idempotent(catalogue):
    first = course_authoring_setup(catalogue=catalogue)
    second = course_authoring_setup(catalogue=catalogue)
    assert [obj.pk for obj in first] == [obj.pk for obj in second]
    assert Workflow.objects.filter(name="Course review").count() == 1


def test_trainer_can_edit_and_submit_but_not_publish(authoring, course):
    trainer, _reviewer, workflow = authoring
    step = course_steps(course)[0]
    permissions = step.permissions_for_user(trainer)
    assert permissions.can_edit() and permissions.can_add_subpage() is False
    assert not permissions.can_publish()
    assert course.permissions_for_user(trainer).can_add_subpage()
    assert step.get_workflow() == workflow


def test_reviewer_approval_publishes_the_trainers_draft(authoring, course):
    trainer, reviewer, workflow = authoring
    step = course_steps(course)[0]
    step.title = "修订后的第一步"
    revision = step.save_revision(user=trainer)
    workflow_state = workflow.start(step, trainer)
    task_state = workflow_state.current_task_state
    assert LessonPage.objects.get(pk=step.pk).title != "修订后的第一步"  # still a draft
    assert task_state.task.specific.user_can_access_editor(step, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    step.refresh_from_db()
    assert step.title == "修订后的第一步" and step.live_revision_id == revision.pk


def test_trainer_cannot_approve(authoring, course):
    trainer, _reviewer, workflow = authoring
    step = course_steps(course)[0]
    step.save_revision(user=trainer)
    workflow_state = workflow.start(step, trainer)
    actions = workflow_state.current_task_state.task.specific.get_actions(step, trainer)
    assert "approve" not in [action[0] for action in actions]


def test_trainer_reaches_the_admin_editor(authoring, course, client):
    trainer, _reviewer, _workflow = authoring
    client.force_login(trainer)
    step = course_steps(course)[0]
    response = client.get(f"/admin/pages/{step.pk}/edit/")
    assert response.status_code == 200
    assert "action-submit" in response.content.decode()
    assert "action-publish" not in response.content.decode()


def test_trainers_may_author_quizzes_and_use_the_question_bank_tools(authoring, client):
    trainer, _reviewer, _workflow = authoring
    trainer.refresh_from_db()
    assert trainer.has_perms(
        ["quizzes.add_question", "quizzes.change_question", "quizzes.add_quiz", "quizzes.change_quiz"]
    )
    client.force_login(trainer)
    assert client.get("/admin/snippets/quizzes/question/").status_code == 200
    assert client.get("/admin/question-bank/").status_code == 200
