"""The "Course review" workflow and its "Reviewer approval" task show in the admin's language
wherever Wagtail shows them, while the stored names stay as they are (courses.workflow_names)."""

import pytest
from django.template import Context, Template
from django.utils.translation import override
from wagtail.models import GroupApprovalTask, Task, Workflow
from wagtail.users.models import UserProfile

from courses.authoring import course_authoring_setup
from courses.models import CoursePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHINESE = ("课程审核", "审核人审批")
ENGLISH = ("Course review", "Reviewer approval")


@pytest.fixture
def authoring(catalogue):
    trainers, reviewers, workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(is_staff=True, is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewers)
    return trainer, reviewer, workflow


def speaks(user, language: str):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def course_in_review(authoring, course):
    trainer, _reviewer, workflow = authoring
    course = CoursePage.objects.get(pk=course.pk)
    course.save_revision(user=trainer)
    workflow.start(course, trainer)
    return course


def stored_names() -> set[str]:
    names = {*Workflow.objects.values_list("name", flat=True), *Task.objects.values_list("name", flat=True)}
    return names - {"Moderators approval"}  # Wagtail's own, from its migrations


def test_names_show_in_the_active_language_and_stay_stored_in_english(authoring):
    workflow = Workflow.objects.get(name="Course review")
    task = Task.objects.get(name="Reviewer approval").specific
    template = Template("{{ workflow }}|{{ task.name }}|{% autoescape off %}{{ workflow.name }}{% endautoescape %}")
    context = Context({"workflow": workflow, "task": task})
    with override("zh-hans"):
        assert template.render(context) == "课程审核|审核人审批|课程审核"
        # Wagtail builds messages with %-formatting: _("Sent to %(task_name)s …") % {...}
        assert ("%s" % task.name, str(workflow.name)) == ("审核人审批", "课程审核")  # noqa: UP031
    with override("en"):
        assert template.render(context) == "Course review|Reviewer approval|Course review"
    assert workflow.name == "Course review"  # look-ups and comparisons use the stored name
    assert stored_names() == set(ENGLISH)


def test_saving_a_shown_name_keeps_the_stored_name(authoring):
    with override("zh-hans"):
        workflow = Workflow.objects.get(name="Course review")
        workflow.save()
        workflow.name = "课程审核"  # what the workflow form sends back in the Chinese admin
        workflow.save()
        task = GroupApprovalTask.objects.get(name="Reviewer approval")
        task.name = "审核人审批"
        task.save()
    assert stored_names() == set(ENGLISH)
    course_authoring_setup(catalogue=authoring[2].workflow_pages.first().page.specific)
    assert Workflow.objects.filter(name="Course review").count() == 1
    assert Task.objects.filter(name="Reviewer approval").count() == 1


def test_a_workflow_renamed_to_something_else_is_stored_as_typed(authoring):
    workflow = Workflow.objects.get(name="Course review")
    workflow.name = "Editorial check"
    workflow.save()
    assert Workflow.objects.get(pk=workflow.pk).name == "Editorial check"


@pytest.mark.parametrize(("language", "shown", "hidden"), [("zh-hans", CHINESE, ENGLISH), ("en", ENGLISH, CHINESE)])
def test_the_reviewers_dashboard_and_editor_show_the_names_in_their_language(
    client, authoring, course_in_review, language, shown, hidden
):
    _trainer, reviewer, _workflow = authoring
    client.force_login(speaks(reviewer, language))
    dashboard = client.get("/admin/").content.decode()
    assert shown[1] in dashboard and hidden[1] not in dashboard  # "Awaiting your review"
    editor = client.get(f"/admin/pages/{course_in_review.pk}/edit/").content.decode()
    assert shown[0] in editor and shown[1] in editor  # the status side panel
    assert hidden[0] not in editor and hidden[1] not in editor


def test_the_trainers_locked_editor_and_history_speak_chinese(client, authoring, course_in_review):
    trainer, _reviewer, _workflow = authoring
    client.force_login(speaks(trainer, "zh-hans"))
    dashboard = client.get("/admin/").content.decode()  # "Your pages in a workflow"
    assert "审核人审批" in dashboard and "Reviewer approval" not in dashboard
    history = client.get(f"/admin/pages/{course_in_review.pk}/history/").content.decode()
    assert "课程审核" in history
    assert "Course review" not in history and "Reviewer approval" not in history
    workflow_history = client.get(f"/admin/pages/{course_in_review.pk}/workflow_history/").content.decode()
    assert "课程审核" in workflow_history and "Course review" not in workflow_history


def test_the_workflows_admin_shows_the_names_in_chinese(client, authoring):
    admin = speaks(UserFactory(is_superuser=True, is_staff=True), "zh-hans")
    client.force_login(admin)
    workflows = client.get("/admin/workflows/list/").content.decode()
    assert "课程审核" in workflows and "审核人审批" in workflows
    assert "Course review" not in workflows and "Reviewer approval" not in workflows
    tasks = client.get("/admin/workflows/tasks/index/").content.decode()
    assert "审核人审批" in tasks and "Reviewer approval" not in tasks
