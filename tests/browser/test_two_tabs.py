"""Two tabs of one attempt, in a real browser: answers saved in the second tab are not overwritten
by "Submit all answers" pressed in the first, which was drawn before them. The first tab's form
carries the version of the answers it shows (quizzes.services.attempt_responses_and_version); its
submit is refused with the reason, nothing is graded, and the refusal shows the newer answers."""

import pytest
from django.urls import reverse

from quizzes.models import AttemptGrade
from tests.browser.test_quiz_autosave_failures import PASSWORD, make_attempt, stored, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_submitting_a_tab_drawn_before_another_tabs_save_is_refused_and_shows_the_newer_answers(visitor):
    attempt = make_attempt("two-tabs")
    visitor.log_in("two-tabs", PASSWORD)
    attempt_url = reverse("quizzes:attempt", args=[attempt.pk])
    visitor.goto(attempt_url)  # the first tab: drawn before any answer
    first = visitor.page

    second = first.context.new_page()  # the same browser, signed in: another tab
    second.goto(visitor.url(attempt_url))
    second.fill("input[name=q1]", "公众")
    second.click("button[value=save]")  # Save without submitting
    second.wait_for_load_state("load")
    assert wait_until(lambda: stored(attempt, 1) and stored(attempt, 1)[-1] == {"text": "公众"})
    second.close()

    first.click("[data-final-submit]")  # names the unanswered questions first
    visitor.click("[data-confirm-submit]", expect_status=409)
    assert "changed in another window or tab" in visitor.text(".form-error, .messages, main")
    assert first.input_value("input[name=q1]") == "公众"  # the newer answer, not this tab's blank
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.status == attempt.Status.OPEN
    assert stored(attempt, 1)[-1] == {"text": "公众"}  # nothing overwritten

    visitor.click("[data-final-submit]")  # the refusal's page carries the newer version: it submits
    visitor.click("[data-confirm-submit]")
    first.wait_for_url(f"**{reverse('quizzes:review', args=[attempt.pk])}**")
    grade = AttemptGrade.objects.get(attempt=attempt)
    assert grade.question_grades.get(attempt_question__position=1).response == {"text": "公众"}
