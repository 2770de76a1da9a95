"""Changes to a live quiz go through the "Course review" workflow (issue 14 item 4): a trainer's
edit is a draft revision that learners never see; a reviewer's approval publishes it; what learners
start is the live row. Questions go through the same review: tests/quizzes/test_question_review.py."""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from wagtail.models import WorkflowState

from courses.authoring import course_authoring_setup
from quizzes.models import Quiz
from quizzes.selectors import learner_quiz_summary
from quizzes.services import SittingRefused, attempt_start
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def authoring(catalogue):
    trainers, reviewers, workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(username="quiz-trainer", is_staff=True, is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(username="quiz-reviewer", is_staff=True)
    reviewer.groups.add(reviewers)
    return trainer, reviewer, workflow


def form_post_data(form) -> dict:
    """What the browser would send back for an admin form as rendered (its formsets too)."""
    data = {}

    def add(one):
        for field in one:
            value, widget = field.value(), field.field.widget
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[field.html_name] = [str(item) for item in value]
            else:
                formatted = widget.format_value(value) if value is not None else ""
                data[field.html_name] = "" if formatted is None else formatted
        for formset in getattr(one, "formsets", {}).values():
            add(formset.management_form)
            for sub in formset.forms:
                add(sub)

    add(form)
    return data


def edit_quiz(client, user, quiz, action: str | None = None, **changes):
    client.force_login(user)
    url = reverse(Quiz.snippet_viewset.get_url_name("edit"), args=[quiz.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_post_data(page.context["form"]) | {name: str(value) for name, value in changes.items()}
    if action:
        data[f"action-{action}"] = action
    return client.post(url, data)


def live_pass_mark(quiz) -> Decimal:
    return Quiz.objects.get(pk=quiz.pk).pass_mark_percent


def test_a_trainer_edit_is_a_draft_learners_do_not_see(client, authoring):
    trainer, _reviewer, _workflow = authoring
    quiz = make_quiz(pass_mark_percent=Decimal("60"))
    response = edit_quiz(client, trainer, quiz, pass_mark_percent="85")
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Quiz.objects.get(pk=quiz.pk)
    assert stored.pass_mark_percent == Decimal("60") and stored.has_unpublished_changes and stored.live
    assert stored.latest_revision.as_object().pass_mark_percent == Decimal("85")
    # attempt_start reads the live row even when handed the draft.
    learner = UserFactory()
    attempt = attempt_start(quiz=stored.latest_revision.as_object(), user=learner)
    assert attempt.pass_mark_percent == Decimal("60")
    assert learner_quiz_summary(quiz=Quiz.objects.get(pk=quiz.pk), user=learner).quiz.pass_mark_percent == 60


def test_a_trainer_cannot_publish_a_quiz_and_a_reviewer_approval_does(client, authoring):
    trainer, reviewer, workflow = authoring
    quiz = make_quiz(pass_mark_percent=Decimal("60"))
    assert Quiz.objects.get(pk=quiz.pk).get_workflow() == workflow
    edit_quiz(client, trainer, quiz, action="publish", pass_mark_percent="85")
    assert live_pass_mark(quiz) == Decimal("60")
    response = edit_quiz(client, trainer, quiz, action="submit", pass_mark_percent="85")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert live_pass_mark(quiz) == Decimal("60")
    state = WorkflowState.objects.for_instance(Quiz.objects.get(pk=quiz.pk)).get()
    assert (state.status, state.requested_by_id) == (WorkflowState.STATUS_IN_PROGRESS, trainer.pk)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    assert live_pass_mark(quiz) == Decimal("85")
    assert attempt_start(quiz=quiz, user=UserFactory()).pass_mark_percent == Decimal("85")


def test_a_reviewer_publishes_an_edit_directly(client, authoring):
    _trainer, reviewer, _workflow = authoring
    quiz = make_quiz(pass_mark_percent=Decimal("60"), attempts_allowed=1)
    response = edit_quiz(client, reviewer, quiz, action="publish", pass_mark_percent="70", attempts_allowed="2")
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Quiz.objects.get(pk=quiz.pk)
    assert (stored.pass_mark_percent, stored.attempts_allowed, stored.has_unpublished_changes) == (70, 2, False)
    assert stored.slots.count() == quiz.slots.count()  # the published version keeps its questions


def test_a_quiz_never_published_cannot_be_started(authoring):
    quiz = make_quiz(live=False)
    learner = UserFactory()
    with pytest.raises(SittingRefused, match="not published"):
        attempt_start(quiz=quiz, user=learner)
    summary = learner_quiz_summary(quiz=quiz, user=learner)
    assert not summary.sitting.allowed and "not published" in summary.refusal_message


def test_the_setup_gives_reviewers_and_only_them_the_right_to_publish_quizzes(authoring):
    trainer, reviewer, _workflow = authoring
    assert reviewer.has_perm("quizzes.publish_quiz") and not trainer.has_perm("quizzes.publish_quiz")
