"""Who may write and approve courses: the "Trainers" and "Reviewers" groups, their page and
media permissions, and the "Course review" moderation workflow on the catalogue, quizzes and questions. Idempotent,
so the demo command (or a deployment step) can run it any number of times."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import pgettext_lazy
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import TRAINERS_GROUP
from quizzes.selectors import question_content_type, quiz_content_type

from .models import CourseIndexPage

REVIEWERS_GROUP = "Reviewers"
# Stored names: the setup (and the demo) find the rows by them, so they stay English in the
# database; the admin shows them in its own language (courses.workflow_names).
WORKFLOW_NAME = "Course review"
REVIEW_TASK_NAME = "Reviewer approval"
DISPLAY_NAMES = {
    WORKFLOW_NAME: pgettext_lazy("workflow name", "Course review"),
    REVIEW_TASK_NAME: pgettext_lazy("workflow task name", "Reviewer approval"),
}

# Trainers write and submit for review but cannot publish; reviewers approve and publish.
PAGE_PERMISSIONS = {
    TRAINERS_GROUP: ["add_page", "change_page"],
    REVIEWERS_GROUP: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Question banks and quizzes are snippets: plain model permissions. Trainers also correct grades
# (override, regrade), which need change_quiz.
QUIZ_PERMISSIONS = [
    ("quizzes", codename)
    for codename in (
        "add_question",
        "change_question",
        "view_question",
        "add_questioncategory",
        "change_questioncategory",
        "view_questioncategory",
        "add_quiz",
        "change_quiz",
        "view_quiz",
    )
]
# A quiz goes through the same review as a course page (issue 14 item 4): trainers save drafts
# and submit them; only reviewers publish, so only an approval changes a live quiz.
# Questions too: a trainer's change to a question a live quiz asks is a draft a reviewer publishes.
QUIZ_REVIEWER_PERMISSIONS = [
    ("quizzes", codename)
    for codename in (
        "publish_quiz",
        "lock_quiz",
        "unlock_quiz",
        "publish_question",
        "lock_question",
        "unlock_question",
    )
]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def course_authoring_setup(*, catalogue: CourseIndexPage) -> tuple[Group, Group, Workflow]:
    access_admin = _permission("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin, *(_permission(app, codename) for app, codename in QUIZ_PERMISSIONS))
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=_permission("wagtailcore", codename)
            )
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )
        groups[name] = group
    groups[REVIEWERS_GROUP].permissions.add(
        *(_permission(app, codename) for app, codename in QUIZ_REVIEWER_PERMISSIONS)
    )

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(groups[REVIEWERS_GROUP])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    for content_type in (quiz_content_type(), question_content_type()):
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return groups[TRAINERS_GROUP], groups[REVIEWERS_GROUP], workflow
