"""The attempt form has several buttons (save, go to a question, submit): the server acts only on the
one named by the form and refuses a form that names none, changing nothing."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from quizzes.services import attempt_start
from quizzes.views import UnknownAction, attempt_form_action
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client):
    learner = UserFactory()
    client.force_login(learner)
    client.learner = learner
    return client


def first_choice(attempt) -> str:
    question = attempt.questions.select_related("version").get(position=1)
    return question.choice_order[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("save", ("save", None)), ("submit", ("submit", None)), ("goto:1", ("goto", 1)), ("goto:5", ("goto", 5))],
)
def test_the_named_action_is_read(raw, expected):
    assert attempt_form_action(raw, page_count=5) == expected


@pytest.mark.parametrize("raw", [None, "", "Submit", "save ", "goto", "goto:", "goto:0", "goto:6", "goto:-1", "goto:x"])
def test_a_missing_or_unknown_action_is_refused(raw):
    with pytest.raises(UnknownAction):
        attempt_form_action(raw, page_count=5)


@pytest.mark.parametrize("layout", ["all_on_one", "one_per_page"])
@pytest.mark.parametrize("action", [None, "", "finish", "goto:99"])
def test_a_form_without_a_known_action_is_a_400_and_changes_nothing(learner_client, layout, action):
    attempt = attempt_start(quiz=make_quiz(layout=layout), user=learner_client.learner)
    choice = first_choice(attempt)
    form = {"q1": choice, "page": "1"}
    if action is not None:
        form["action"] = action
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "did not say which button was pressed" in html
    # What the learner chose is still on the page, although nothing was stored.
    assert f'value="{choice}" checked' in html
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert not SavedAnswer.objects.filter(attempt_question__attempt=attempt).exists()
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()


@pytest.mark.parametrize("layout", ["all_on_one", "one_per_page"])
def test_save_without_submitting_stores_the_answers_and_keeps_the_attempt_open(learner_client, layout):
    attempt = attempt_start(quiz=make_quiz(layout=layout), user=learner_client.learner)
    choice = first_choice(attempt)
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"q1": choice, "action": "save", "page": "1", "answers_version": "0"}
    )
    assert response.status_code == 302
    expected = reverse("quizzes:attempt", args=[attempt.pk]) + ("?page=1" if layout == "one_per_page" else "")
    assert response["Location"] == expected
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert SavedAnswer.objects.get(attempt_question__attempt=attempt).response == {"choice": choice}
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()


def test_going_to_another_question_saves_this_one_and_opens_that_page(learner_client):
    attempt = attempt_start(quiz=make_quiz(layout="one_per_page"), user=learner_client.learner)
    choice = first_choice(attempt)
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"q1": choice, "action": "goto:4", "page": "1", "answers_version": "0"}
    )
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk]) + "?page=4"
    assert SavedAnswer.objects.filter(attempt_question__attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    page = learner_client.get(response["Location"])
    html = page.content.decode()
    assert 'aria-current="step" data-nav-position="4"' in html
    # The navigator marks question 1 as answered, and the confirmation knows four are left.
    assert 'data-answered="1"' in html
    assert 'data-nav-position="1"' in html and "question-nav-item is-answered" in html


def test_the_next_parameter_survives_a_page_change(learner_client):
    attempt = attempt_start(quiz=make_quiz(layout="one_per_page"), user=learner_client.learner)
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"action": "goto:2", "page": "1", "next": "/courses/x/"}
    )
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk]) + "?page=2&next=%2Fcourses%2Fx%2F"


def test_only_submit_grades_the_attempt(learner_client):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_every_button_of_the_attempt_form_names_an_action(learner_client):
    attempt = attempt_start(quiz=make_quiz(layout="one_per_page"), user=learner_client.learner)
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk]), {"page": 2}).content.decode()
    start = html.index("data-quiz-form")
    form = html[start : html.index("</form>", start)]
    buttons = form.split("<button")[1:]
    assert len(buttons) >= 4 + 5  # previous, next, save, submit and the five question numbers
    for button in buttons:
        assert 'type="submit" name="action" value="' in button
