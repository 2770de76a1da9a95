"""A snippet other records still need is refused with a message, never deleted with a 500
(config.protected_delete, the `before_delete_snippet` hook): a published question (its versions
keep learners' attempts), a quiz with attempts, a category with questions. Something nothing
needs is still deleted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from quizzes.models import Question, QuestionCategory, Quiz
from quizzes.services import attempt_start, question_create
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz
from tests.quizzes.test_question_review import one_question_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def url(model, action, *args):
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_published_question_is_not_deleted_and_the_admin_says_why(admin_client, method):
    question = question_create(spec=one_question_spec(), category=QuestionCategory.objects.create(name="题库"))
    with translation.override("en"):
        response = getattr(admin_client, method)(url(Question, "delete", question.pk))
    assert response.status_code == 302
    assert response["Location"] == url(Question, "edit", question.pk)
    [message] = shown_messages(response)
    assert "cannot be deleted" in message and "question versions" in message and "Unpublish it instead" in message
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_quiz_learners_attempted_and_a_category_with_questions_are_kept(admin_client):
    quiz = make_quiz(specs=[one_question_spec()])
    attempt_start(quiz=quiz, user=UserFactory())
    category = quiz.slots.get().question.category
    assert admin_client.post(url(Quiz, "delete", quiz.pk)).status_code == 302
    assert admin_client.post(url(QuestionCategory, "delete", category.pk)).status_code == 302
    assert Quiz.objects.filter(pk=quiz.pk).exists() and QuestionCategory.objects.filter(pk=category.pk).exists()


def test_the_bulk_delete_refuses_too_and_goes_back_to_the_listing(admin_client):
    category = QuestionCategory.objects.create(name="题库")
    questions = [question_create(spec=one_question_spec(f"题{n}"), category=category) for n in range(2)]
    bulk = reverse(
        "wagtail_bulk_action", args=[Question._meta.app_label, Question._meta.model_name, "delete"]
    ) + "".join(f"{'?' if n == 0 else '&'}id={question.pk}" for n, question in enumerate(questions))
    response = admin_client.post(bulk)
    assert response.status_code == 302 and response["Location"] == url(Question, "list")
    assert Question.objects.filter(pk__in=[question.pk for question in questions]).count() == 2


def test_what_nothing_needs_is_still_deleted(admin_client):
    draft = question_create(
        spec=one_question_spec("草稿题"), category=QuestionCategory.objects.create(name="题库"), publish=False
    )
    assert admin_client.get(url(Question, "delete", draft.pk)).status_code == 200  # the confirmation
    assert admin_client.post(url(Question, "delete", draft.pk)).status_code == 302
    assert not Question.objects.filter(pk=draft.pk).exists()
    empty = QuestionCategory.objects.create(name="空题库")
    admin_client.post(url(QuestionCategory, "delete", empty.pk))
    assert not QuestionCategory.objects.filter(pk=empty.pk).exists()
