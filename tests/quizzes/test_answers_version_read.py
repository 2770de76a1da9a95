"""The attempt page's answers version is read with the answers it shows (one read,
quizzes.services.attempt_responses_and_version). Read apart, another tab's save landing between
the two reads gave a page of the older answers carrying the newer version: submitting that page
overwrote the other tab's answer with the older one, unrefused."""

import pytest
from django.db import connection
from django.urls import reverse

from quizzes.models import AttemptGrade, SavedAnswer
from quizzes.services import answers_save, attempt_start
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db


class SaveAfterFirstAnswersRead:
    """A query wrapper: right after the page's first read of saved answers (before the page's next
    query), another tab saves. Not inside that read: SQLite's cursor fetches lazily and would show
    a row inserted while it is still being read on the same connection."""

    def __init__(self, save):
        self.save, self.armed, self.done = save, False, False

    def __call__(self, execute, sql, params, many, context):
        if self.armed and not self.done:
            self.done = True
            self.save()
        result = execute(sql, params, many, context)
        if "quizzes_savedanswer" in sql and sql.lstrip().upper().startswith("SELECT"):
            self.armed = True
        return result


def test_a_save_landing_while_the_page_is_drawn_makes_that_pages_submit_stale(client):
    quiz = make_quiz()
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)
    question = attempt.questions.select_related("version").get(position=1)
    first, second = question.choice_order[0], question.choice_order[1]
    answers_save(attempt_id=attempt.pk, user=learner, answers={"1": {"choice": first}})

    def other_tab_saves():
        answers_save(attempt_id=attempt.pk, user=learner, answers={"1": {"choice": second}})

    page_url = reverse("quizzes:attempt", args=[attempt.pk])
    with connection.execute_wrapper(SaveAfterFirstAnswersRead(other_tab_saves)):
        page = client.get(page_url)
    shown_version = page.context["answers_version"]
    # The page shows the answer saved before it was drawn, with that answer's version.
    assert {question.position: question.response for question in page.context["questions"]}[1] == {"choice": first}
    assert shown_version < SavedAnswer.objects.filter(attempt_question__attempt=attempt).latest("pk").pk

    # Submitted as shown, it would overwrite the other tab's newer answer: refused, nothing graded.
    response = client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {"action": "submit", "answers_version": str(shown_version), "q1": first},
    )
    assert response.status_code == 409
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()
    # The refusal shows the newer answer, with its version.
    assert {q.position: q.response for q in response.context["questions"]}[1] == {"choice": second}
    assert response.context["answers_version"] == SavedAnswer.objects.latest("pk").pk
