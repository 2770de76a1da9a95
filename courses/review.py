"""A course goes through review together with its changed steps, in one action each.

When a course enters a review task (submitted, or resubmitted after changes were requested), each
of its steps with changes not yet live enters the same workflow, carried by the course's review
(a ``CourseReviewStep`` row). When the reviewer approves or rejects the course at a task, the
steps waiting at that task get the same decision in the same transaction, so approving the course
publishes them with it; cancelling the course's review cancels theirs. Every step keeps its own
workflow state, so each is locked for trainers while in review, is listed for the reviewer with a
preview of the revision submitted, and can still be reviewed (or submitted) on its own.

Only the revision that went into review is ever published through the course: a step whose
latest revision is newer than the one submitted (a reviewer edited it meanwhile) is left in
review, to be approved on its own.

Wagtail announces the workflow events with signals; ``courses.signals`` connects them to the
functions here, which run inside Wagtail's transaction for the event."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState, WorkflowState

from .models import CoursePage, CourseReviewStep, StepPage

STEPS_INCLUDED_ACTION = "courses.review_steps_included"

_acting_for_course: ContextVar[bool] = ContextVar("courses_review_acting_for_course", default=False)


@contextmanager
def _for_the_course() -> Iterator[None]:
    """While steps are submitted, decided or cancelled as part of their course's review: the
    course's own e-mail notification covers them (courses.review_notifications)."""
    token = _acting_for_course.set(True)
    try:
        yield
    finally:
        _acting_for_course.reset(token)


def acting_for_course() -> bool:
    return _acting_for_course.get()


def is_course_review(workflow_state: WorkflowState) -> bool:
    return workflow_state.content_type_id == ContentType.objects.get_for_model(CoursePage).id


def steps_with_unpublished_changes(*, course: CoursePage) -> list[Page]:
    """Steps whose changes are not live: new drafts and edited live steps, in course order. A step
    taken offline after being live is left out: bringing it back is a decision of its own."""
    children = (
        course.get_children()
        .filter(has_unpublished_changes=True, latest_revision__isnull=False)
        .filter(Q(live=True) | Q(first_published_at__isnull=True))
        .specific()
        .order_by("path")
    )
    return [page for page in children if isinstance(page, StepPage)]


def _may_submit(step: Page, user) -> bool:
    permissions = step.permissions_for_user(user)
    return permissions.can_edit() and not permissions.page_locked()


def _submitted_title(link: CourseReviewStep) -> str:
    """The step's title in the revision under review (a draft's title is not on the page row)."""
    task_state = link.step_review.current_task_state
    return task_state.revision.object_str if task_state else link.step.title


@transaction.atomic
def course_review_include_steps(*, course_review: WorkflowState, user) -> list[CourseReviewStep]:
    """Bring the course's changed steps, and the steps it already carries that wait for changes,
    into its review. Called when the course's review starts a task."""
    course = course_review.content_object.specific
    carried = {
        link.step_id: link
        for link in CourseReviewStep.objects.filter(course_review=course_review).select_related("step_review")
    }
    candidates = {step.pk: step for step in steps_with_unpublished_changes(course=course)}
    for step_id, link in carried.items():
        if step_id not in candidates and link.step_review.status == WorkflowState.STATUS_NEEDS_CHANGES:
            candidates[step_id] = link.step.specific

    included = []
    for step in sorted(candidates.values(), key=lambda page: page.path):
        step_review = step.current_workflow_state
        if step_review is None:
            if not _may_submit(step, user):
                continue
            with _for_the_course():
                step_review = course_review.workflow.start(step, user)
        elif step_review.workflow_id != course_review.workflow_id:
            continue  # in some other workflow: leave it to that one
        elif step_review.status == WorkflowState.STATUS_NEEDS_CHANGES:
            if not _may_submit(step, user):
                continue
            with _for_the_course():
                step_review.resume(user)
        # A step review an earlier review of this course carried (left in review then) moves here.
        CourseReviewStep.objects.filter(step_review=step_review).exclude(course_review=course_review).delete()
        link, _created = CourseReviewStep.objects.update_or_create(
            course_review=course_review, step=step, defaults={"step_review": step_review}
        )
        included.append(link)

    if included:
        log(
            instance=course,
            action=STEPS_INCLUDED_ACTION,
            user=user,
            revision=course.get_latest_revision(),
            data={
                "workflow_state_id": course_review.pk,
                "steps": [
                    {
                        "id": link.step_id,
                        "title": _submitted_title(link),
                        "revision_id": link.step_review.current_task_state.revision_id,
                        "new": not link.step.live,
                    }
                    for link in included
                ],
            },
        )
    return included


@transaction.atomic
def course_review_task_decided(*, course_task_state: TaskState, user) -> list[Page]:
    """The reviewer approved or rejected the course at a task: give the same decision to every
    step the course carries that waits at that task. Approval passes only a step still on the
    revision it was submitted with (the one the reviewer was shown). Returns the steps decided."""
    approve = course_task_state.status == TaskState.STATUS_APPROVED
    if not approve and course_task_state.status != TaskState.STATUS_REJECTED:
        return []
    decided = []
    links = CourseReviewStep.objects.filter(course_review_id=course_task_state.workflow_state_id).select_related(
        "step_review__current_task_state"
    )
    for link in links:
        step_review = link.step_review
        task_state = step_review.current_task_state
        if (
            step_review.status != WorkflowState.STATUS_IN_PROGRESS
            or task_state is None
            or task_state.status != TaskState.STATUS_IN_PROGRESS
            or task_state.task_id != course_task_state.task_id
        ):
            continue
        step = link.step.specific
        if approve and step.latest_revision_id != task_state.revision_id:
            continue
        actions = {name for name, _label, _modal in task_state.task.specific.get_actions(step, user)}
        if ("approve" if approve else "reject") not in actions:
            continue
        with _for_the_course():
            if approve:
                task_state.specific.approve(user=user, comment=course_task_state.comment)
            else:
                task_state.specific.reject(user=user, comment=course_task_state.comment)
        decided.append(step)
    return decided


@transaction.atomic
def course_review_cancelled(*, course_review: WorkflowState, user) -> None:
    """The course's review was cancelled: so are the reviews it carries that are still open."""
    for link in CourseReviewStep.objects.filter(course_review=course_review).select_related("step_review"):
        if link.step_review.status in (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES):
            with _for_the_course():
                link.step_review.cancel(user=user)


@dataclass(frozen=True)
class ReviewedStep:
    step: Page
    title: str  # as submitted
    status: str  # the step's workflow state status
    status_display: str
    revision: Revision | None  # the revision in review
    is_new: bool  # not live yet

    @property
    def in_review(self) -> bool:
        return self.status == WorkflowState.STATUS_IN_PROGRESS


def course_review_steps(*, course_review: WorkflowState) -> list[ReviewedStep]:
    """The steps a course's review carries, in course order, with the revision each is reviewed on."""
    links = (
        CourseReviewStep.objects.filter(course_review=course_review)
        .select_related("step", "step_review__current_task_state__revision")
        .order_by("step__path")
    )
    return [
        ReviewedStep(
            step=link.step,
            title=_submitted_title(link),
            status=link.step_review.status,
            status_display=link.step_review.get_status_display(),
            revision=link.step_review.current_task_state.revision if link.step_review.current_task_state else None,
            is_new=not link.step.live,
        )
        for link in links
    ]
