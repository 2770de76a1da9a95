"""When a step is published, unpublished, moved or deleted, the course's outline may have
changed: check it once the surrounding transaction commits (courses.services decides).
A course's review carries its changed steps (courses.review): Wagtail's workflow signals, sent
inside the transaction of each event, pass the course's events on."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_approved,
    task_rejected,
    task_submitted,
    workflow_cancelled,
)

from . import review
from .models import CoursePage, StepPage, step_models


def _refresh_course_at_path(path: str) -> None:
    from .services import course_outline_refresh

    course = CoursePage.objects.filter(path=path).first()
    if course is not None:
        course_outline_refresh(course=course)


def _refresh_after_commit(page: Page) -> None:
    specific_class = page.specific_class
    if specific_class is not None and issubclass(specific_class, CoursePage):
        path = page.path
    else:
        path = page.path[: -Page.steplen]
    transaction.on_commit(lambda: _refresh_course_at_path(path))


@receiver(page_published)
@receiver(page_unpublished)
def refresh_outline_on_publish_change(sender, instance, **kwargs):
    if isinstance(instance, StepPage | CoursePage):
        _refresh_after_commit(instance)


def refresh_outline_on_step_delete(sender, instance, **kwargs):
    _refresh_after_commit(instance)


for _step_model in step_models():
    post_delete.connect(
        refresh_outline_on_step_delete, sender=_step_model, dispatch_uid=f"outline_{_step_model._meta.label}"
    )


@receiver(post_page_move)
def refresh_outline_on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if isinstance(instance.specific, StepPage):
        from .services import step_completions_follow

        if issubclass(parent_page_after.specific_class or Page, CoursePage):
            # Sent once the move has committed: a completion written between the two is brought
            # over by step_complete itself. The recompute below counts the rows where they now are.
            step_completions_follow(course_id=parent_page_after.pk, step_ids=[instance.pk])
        for parent in {parent_page_before.path, parent_page_after.path}:
            transaction.on_commit(lambda path=parent: _refresh_course_at_path(path))


@receiver(task_submitted)
def bring_steps_into_course_review(sender, instance, user=None, **kwargs):
    # Sent when a review starts a task: on submission and on resubmission after changes.
    if review.is_course_review(instance.workflow_state):
        review.course_review_include_steps(course_review=instance.workflow_state, user=user)


@receiver(task_approved)
@receiver(task_rejected)
def pass_course_decision_to_steps(sender, instance, user=None, **kwargs):
    if review.is_course_review(instance.workflow_state):
        review.course_review_task_decided(course_task_state=instance, user=user)


@receiver(workflow_cancelled)
def cancel_steps_with_course_review(sender, instance, user=None, **kwargs):
    if review.is_course_review(instance):
        review.course_review_cancelled(course_review=instance, user=user)
