"""Issue 12 "Hardening", item 1: autosave says "Saved" only when the server stored the answer.

A failed save (network cut, HTTP 500, browser offline) is shown as not saved and retried without
further input until it succeeds; a session that ended (answered with a redirect to the login page)
is shown as signed out, the typed answers stay in the page, and once the learner signs in again
(in another tab) they are saved."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from quizzes.models import QuestionCategory, Quiz, QuizSlot, SavedAnswer
from quizzes.services import attempt_start, question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"

# Every text the save state shows, in order, so a "Saved" that flashed by is caught too.
RECORD_STATES = """() => {
  window.__states = [];
  const state = document.querySelector("[data-save-state]");
  new MutationObserver(() => window.__states.push(state.textContent)).observe(state, {childList: true, characterData: true, subtree: true});
}"""


def make_attempt(username: str):
    category = QuestionCategory.objects.create(name="自动保存")
    fill = question_create(
        spec=QuestionSpec(qtype=QuestionType.FILL_BLANK, stem="“一站式”服务窗口面向企业和____。", accepted_answers=("公众",)),
        category=category,
    )
    single = question_create(
        spec=QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="离开座位前应按哪个快捷键锁屏？",
            choices=(ChoiceSpec("", "Win+L", True), ChoiceSpec("", "Ctrl+C", False)),
        ),
        category=category,
    )
    quiz = Quiz.objects.create(title="自动保存测验", shuffle_choices=False, shuffle_questions=False)
    QuizSlot.objects.create(quiz=quiz, question=fill, sort_order=0)
    QuizSlot.objects.create(quiz=quiz, question=single, sort_order=1)
    learner = UserFactory(username=username)
    return attempt_start(quiz=quiz, user=learner)


def stored(attempt, position: int) -> list[dict]:
    return list(
        SavedAnswer.objects.filter(attempt_question__attempt=attempt, attempt_question__position=position)
        .order_by("id")
        .values_list("response", flat=True)
    )


def wait_until(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def open_attempt(visitor, attempt, username):
    visitor.log_in(username, PASSWORD)
    visitor.goto(reverse("quizzes:attempt", args=[attempt.pk]))
    visitor.page.evaluate(RECORD_STATES)


def test_failed_saves_say_not_saved_and_are_retried_until_stored(visitor):
    attempt = make_attempt("autosave-net")
    open_attempt(visitor, attempt, "autosave-net")
    page = visitor.page
    autosave_url = visitor.url(reverse("quizzes:autosave", args=[attempt.pk]))
    seen = []

    def failing_twice(route):
        seen.append(route.request.url)
        if len(seen) == 1:
            route.abort("connectionreset")  # the network cut
        elif len(seen) == 2:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(autosave_url, failing_twice)
    page.fill("input[name=q1]", "公众")
    page.locator("[data-save-state]", has_text="Not saved").wait_for()
    assert "Saved at" not in page.locator("[data-save-state]").inner_text()
    assert stored(attempt, 1) == []
    # No further input: the page tries again by itself until the server stores the answer.
    page.locator("[data-save-state]", has_text="Saved at").wait_for(timeout=15000)
    assert len(seen) == 3
    assert stored(attempt, 1) == [{"text": "公众"}]
    states = page.evaluate("window.__states")
    first_saved = next(i for i, text in enumerate(states) if text.startswith("Saved at"))
    assert any(text.startswith("Not saved") for text in states[:first_saved])
    assert any("Trying again" in text for text in states[:first_saved])
    page.unroute(autosave_url)

    # Offline: not saved, and saved as soon as the browser is online again.
    page.context.set_offline(True)
    page.locator("input[type=radio]").first.check()
    page.locator("[data-save-state]", has_text="Not saved").wait_for()
    assert stored(attempt, 2) == []
    page.context.set_offline(False)
    assert wait_until(lambda: len(stored(attempt, 2)) == 1, timeout=10)
    page.locator("[data-save-state]", has_text="Saved at").wait_for()


def test_a_session_that_ended_is_not_called_saved_and_signing_in_again_saves_the_answers(visitor):
    attempt = make_attempt("autosave-session")
    open_attempt(visitor, attempt, "autosave-session")
    page = visitor.page
    # The session ends while the learner is answering.
    Session.objects.all().delete()
    caches["default"].clear()

    page.fill("input[name=q1]", "公众")
    page.locator("[data-save-state]", has_text="signed out").wait_for()
    state = page.locator("[data-save-state]")
    assert "Saved at" not in state.inner_text()
    assert state.locator("a").get_attribute("href").startswith(reverse("accounts:login"))
    time.sleep(2.5)  # retries meanwhile still meet the login page
    assert stored(attempt, 1) == []
    assert not any(text.startswith("Saved at") for text in page.evaluate("window.__states"))
    assert page.input_value("input[name=q1]") == "公众"  # the typed answer is still on the page

    # The learner signs in again in another tab and comes back to this one.
    other = page.context.new_page()
    other.goto(visitor.url(reverse("accounts:login")))
    other.fill("#id_username", "autosave-session")
    other.fill("#id_password", PASSWORD)
    other.click("main form button[type=submit]")
    other.wait_for_load_state()
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.locator("[data-save-state]", has_text="Saved at").wait_for(timeout=15000)
    assert stored(attempt, 1) == [{"text": "公众"}]
