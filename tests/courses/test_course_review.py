"""A course is submitted, approved (and published) or sent back together with its changed steps,
in one action each; a step can still be reviewed on its own (courses.review)."""

import pytest
from wagtail.models import PageLogEntry, WorkflowState

from courses.authoring import course_authoring_setup
from courses.models import CoursePage, CourseReviewStep, LessonPage
from tests.factories import UserFactory, build_course, course_steps, lesson_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def authoring(catalogue):
    trainers, reviewers, workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(is_staff=True, is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewers)
    return trainer, reviewer, workflow


def edit_step(step, user, title):
    step = LessonPage.objects.get(pk=step.pk)
    step.title = title
    return step.save_revision(user=user)


def add_draft_step(course, user, title="新增的一步", slug="new-step"):
    course = CoursePage.objects.get(pk=course.pk)
    step = course.add_child(instance=LessonPage(title=title, slug=slug, body=lesson_body(), live=False))
    step.save_revision(user=user)
    return step


def submit(page, user):
    """As the editor's "Submit for review": save the form (the latest draft) and start the workflow."""
    page = page.specific_class.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def act(page, user, action, comment=""):
    page = page.specific_class.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, action, comment=comment)


def live_title(step) -> str:
    return LessonPage.objects.get(pk=step.pk).title


def review_status(step) -> str | None:
    state = WorkflowState.objects.for_instance(LessonPage.objects.get(pk=step.pk)).order_by("-pk").first()
    return state.status if state else None


@pytest.fixture
def changed_course(authoring, course):
    """A live course with three live steps: the first edited, a new fourth one drafted."""
    trainer, _reviewer, _workflow = authoring
    first, second, third = course_steps(course)
    edit_step(first, trainer, "第1步（修订）")
    draft = add_draft_step(course, trainer)
    return course, first, second, third, draft


def test_submitting_a_course_submits_its_changed_and_new_steps_with_it(authoring, changed_course):
    trainer, _reviewer, _workflow = authoring
    course, first, second, _third, draft = changed_course
    course_review = submit(course, trainer)
    carried = CourseReviewStep.objects.filter(course_review=course_review)
    assert sorted(carried.values_list("step_id", flat=True)) == sorted([first.pk, draft.pk])
    assert review_status(first) == review_status(draft) == WorkflowState.STATUS_IN_PROGRESS
    assert review_status(second) is None  # unchanged steps are not reviewed again
    # Trainers cannot change a step while it is in review.
    assert LessonPage.objects.get(pk=first.pk).permissions_for_user(trainer).page_locked()


def test_the_course_history_lists_the_steps_in_its_review(authoring, changed_course, client):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    submit(course, trainer)
    entry = PageLogEntry.objects.get(page=course, action="courses.review_steps_included")
    assert [step["title"] for step in entry.data["steps"]] == ["第1步（修订）", "新增的一步"]
    assert [step["new"] for step in entry.data["steps"]] == [False, True]
    client.force_login(reviewer)
    history = client.get(f"/admin/pages/{course.pk}/history/").content.decode()
    assert "Reviewed with the course: 2 steps (第1步（修订）, 新增的一步)" in history


def test_the_reviewer_sees_the_steps_with_previews_of_what_was_submitted(authoring, changed_course, client):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    submit(course, trainer)
    client.force_login(reviewer)
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    first_revision = LessonPage.objects.get(pk=first.pk).latest_revision_id
    draft_revision = LessonPage.objects.get(pk=draft.pk).latest_revision_id
    assert "reviewed together with 2 steps" in html
    assert f"/admin/pages/{first.pk}/revisions/{first_revision}/view/" in html
    assert f"/admin/pages/{first.pk}/revisions/compare/live...{first_revision}/" in html
    assert f"/admin/pages/{draft.pk}/revisions/{draft_revision}/view/" in html


def test_the_trainer_is_told_which_steps_go_with_the_course_before_submitting(authoring, changed_course, client):
    trainer, _reviewer, _workflow = authoring
    course, *_steps = changed_course
    client.force_login(trainer)
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "also submits 2 steps" in html and "第1步（修订）" in html and "新增的一步" in html


def test_approving_the_course_publishes_its_steps_with_it(authoring, changed_course):
    trainer, reviewer, _workflow = authoring
    course, first, second, _third, draft = changed_course
    submit(course, trainer)
    act(course, reviewer, "approve", comment="内容准确")
    assert live_title(first) == "第1步（修订）"
    draft = LessonPage.objects.get(pk=draft.pk)
    assert draft.live and not draft.has_unpublished_changes
    assert review_status(first) == review_status(draft) == WorkflowState.STATUS_APPROVED
    assert CoursePage.objects.get(pk=course.pk).current_workflow_state is None
    approval = PageLogEntry.objects.get(page=first, action="wagtail.workflow.approve")
    assert approval.user == reviewer and approval.data["comment"] == "内容准确"
    assert not PageLogEntry.objects.filter(page=second, action="wagtail.publish").exists()


def test_a_new_course_and_its_draft_steps_go_live_with_one_approval(authoring, catalogue):
    trainer, reviewer, _workflow = authoring
    catalogue = catalogue.specific_class.objects.get(pk=catalogue.pk)
    course = catalogue.add_child(
        instance=CoursePage(title="新课程", slug="new-course", summary="概要", objectives="目标", live=False)
    )
    course.save_revision(user=trainer)
    steps = [add_draft_step(course, trainer, title=f"第{n}步", slug=f"s{n}") for n in (1, 2, 3)]
    submit(course, trainer)
    act(course, reviewer, "approve")
    assert CoursePage.objects.get(pk=course.pk).live
    assert all(LessonPage.objects.get(pk=step.pk).live for step in steps)


def test_requesting_changes_on_the_course_returns_its_steps_and_resubmitting_brings_them_back(
    authoring, changed_course
):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    submit(course, trainer)
    act(course, reviewer, "reject", comment="第1步需要补充截图")
    assert review_status(first) == review_status(draft) == WorkflowState.STATUS_NEEDS_CHANGES
    assert live_title(first) == "第1步"
    assert not LessonPage.objects.get(pk=draft.pk).live
    assert PageLogEntry.objects.get(page=first, action="wagtail.workflow.reject").data["comment"] == "第1步需要补充截图"

    # The trainer fixes the step (no longer locked) and resubmits the course, as the editor does.
    assert not LessonPage.objects.get(pk=first.pk).permissions_for_user(trainer).page_locked()
    edit_step(first, trainer, "第1步（补充截图）")
    course = CoursePage.objects.get(pk=course.pk)
    course.save_revision(user=trainer)
    course.current_workflow_state.resume(trainer)
    assert review_status(first) == review_status(draft) == WorkflowState.STATUS_IN_PROGRESS

    act(course, reviewer, "approve")
    assert live_title(first) == "第1步（补充截图）"
    assert LessonPage.objects.get(pk=draft.pk).live


def test_cancelling_the_course_review_cancels_its_steps_reviews(authoring, changed_course):
    trainer, _reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    course_review = submit(course, trainer)
    course_review.cancel(user=trainer)
    assert review_status(first) == review_status(draft) == WorkflowState.STATUS_CANCELLED
    assert not LessonPage.objects.get(pk=first.pk).permissions_for_user(trainer).page_locked()


def test_a_step_can_still_be_submitted_and_approved_on_its_own(authoring, changed_course):
    trainer, reviewer, _workflow = authoring
    course, first, second, _third, draft = changed_course
    step_review = submit(first, trainer)
    assert not CourseReviewStep.objects.exists()
    assert CoursePage.objects.get(pk=course.pk).current_workflow_state is None
    assert review_status(draft) is None and review_status(second) is None
    act(first, reviewer, "approve")
    step_review.refresh_from_db()
    assert step_review.status == WorkflowState.STATUS_APPROVED
    assert live_title(first) == "第1步（修订）"
    assert not LessonPage.objects.get(pk=draft.pk).live


def test_a_step_already_waiting_for_review_joins_the_course_review(authoring, changed_course):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    step_review = submit(first, trainer)
    course_review = submit(course, trainer)
    assert CourseReviewStep.objects.get(step=first).step_review == step_review
    assert CourseReviewStep.objects.get(step=first).course_review == course_review
    act(course, reviewer, "approve")
    assert live_title(first) == "第1步（修订）"


def test_a_step_changed_after_submission_is_not_published_with_the_course(authoring, changed_course):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    submit(course, trainer)
    edit_step(first, reviewer, "第1步（审核人改过，未审）")  # reviewers may edit a step in review
    act(course, reviewer, "approve")
    assert live_title(first) == "第1步"  # not the revision the course's reviewer was shown
    assert review_status(first) == WorkflowState.STATUS_IN_PROGRESS  # left to approve on its own
    assert LessonPage.objects.get(pk=draft.pk).live


def test_a_step_taken_offline_is_not_brought_back_by_the_course(authoring, course):
    trainer, reviewer, _workflow = authoring
    first = course_steps(course)[0]
    first.save_revision(user=trainer).publish(user=reviewer)
    LessonPage.objects.get(pk=first.pk).unpublish(user=reviewer)
    submit(course, trainer)
    assert not CourseReviewStep.objects.exists()
    act(course, reviewer, "approve")
    assert not LessonPage.objects.get(pk=first.pk).live


def test_approval_is_all_or_nothing(authoring, changed_course, monkeypatch):
    trainer, reviewer, _workflow = authoring
    course, first, _second, _third, draft = changed_course
    submit(course, trainer)
    original_publish = LessonPage.objects.get(pk=draft.pk).latest_revision.__class__.publish

    def publish_failing_for_the_draft(revision, *args, **kwargs):
        if revision.object_id == str(draft.pk):
            raise RuntimeError("disk full")
        return original_publish(revision, *args, **kwargs)

    monkeypatch.setattr("wagtail.models.Revision.publish", publish_failing_for_the_draft)
    with pytest.raises(RuntimeError):
        act(course, reviewer, "approve")
    monkeypatch.undo()
    assert live_title(first) == "第1步"
    assert review_status(first) == WorkflowState.STATUS_IN_PROGRESS
    course_review = CoursePage.objects.get(pk=course.pk).current_workflow_state
    assert course_review.status == WorkflowState.STATUS_IN_PROGRESS
    assert not PageLogEntry.objects.filter(page=course, action="wagtail.workflow.approve").exists()


def test_steps_of_another_course_are_left_alone(authoring, changed_course, catalogue):
    trainer, reviewer, _workflow = authoring
    course, *_steps = changed_course
    other = build_course(catalogue, steps=1, title="另一门课", slug="other")
    other_step = course_steps(other)[0]
    edit_step(other_step, trainer, "另一门课的修订")
    submit(course, trainer)
    act(course, reviewer, "approve")
    assert review_status(other_step) is None and live_title(other_step) == "第1步"


def test_reviewers_and_the_trainer_get_one_email_per_course_not_per_step(authoring, changed_course, mailoutbox):
    trainer, reviewer, _workflow = authoring
    trainer.email, reviewer.email = "trainer@example.gov.cn", "reviewer@example.gov.cn"
    trainer.save()
    reviewer.save()
    course, *_steps = changed_course
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = "zh-hans"
    profile.save()
    submit(course, trainer)
    assert [message.to for message in mailoutbox] == [["reviewer@example.gov.cn"]]
    assert "审核人审批" in mailoutbox[0].body  # the task's name, in the reviewer's language
    mailoutbox.clear()
    act(course, reviewer, "approve")
    assert [message.to for message in mailoutbox] == [["trainer@example.gov.cn"]]


def test_a_step_submitted_on_its_own_still_notifies_the_reviewers(authoring, changed_course, mailoutbox):
    trainer, reviewer, _workflow = authoring
    reviewer.email = "reviewer@example.gov.cn"
    reviewer.save()
    _course, first, *_steps = changed_course
    submit(first, trainer)
    assert [message.to for message in mailoutbox] == [["reviewer@example.gov.cn"]]


def test_the_steps_panel_speaks_chinese(authoring, changed_course, client):
    from wagtail.users.models import UserProfile

    trainer, reviewer, _workflow = authoring
    course, *_steps = changed_course
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(trainer)
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "将一并提交以下 2 个有未发布修改的步骤" in html and "（新步骤）" in html and "（已修改的步骤）" in html
    submit(course, trainer)
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "本课程与 2 个步骤一起审核" in html and "（已修改的步骤，" in html and "预览提交的版本" in html
