"""Forms with several buttons, pressed in a real browser with the site's scripts on: the server must
receive the button that was pressed (a script that disabled buttons on submit once dropped it, and
"save" submitted a quiz). Each test checks the pressed button's effect in the database."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hours.models import OfflineTraining
from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from quizzes.services import attempt_start
from tests.factories import UserFactory
from tests.factories.reports import build_city
from tests.quizzes.conftest import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def saved_positions(attempt) -> set[int]:
    """Questions with a saved choice (the form also sends the untouched fields, as empty answers)."""
    return {
        position
        for position, response in SavedAnswer.objects.filter(attempt_question__attempt=attempt).values_list(
            "attempt_question__position", "response"
        )
        if response.get("choice")
    }


def start(visitor, layout: str, **quiz_options):
    learner = UserFactory(username=f"quiz-{layout}")
    attempt = attempt_start(quiz=make_quiz(layout=layout, **quiz_options), user=learner)
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")
    return attempt


def choose_first_option(page, position: int):
    page.locator(f"#question-{position} input[type=radio]").first.check()


def test_all_on_one_page_save_keeps_the_attempt_open_and_submit_asks_first(visitor):
    attempt = start(visitor, "all_on_one")
    page = visitor.page
    choose_first_option(page, 1)

    visitor.click("button[value=save]")
    assert "Your answers are saved." in visitor.text()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert saved_positions(attempt) == {1}

    # Enter on the focused "Save without submitting" button saves too; it never submits.
    page.locator("button[value=save]").focus()
    visitor.press("button[value=save]", "Enter")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()

    # Submitting asks first and names what is unanswered; "keep answering" changes nothing.
    page.click("[data-final-submit]")
    dialog = page.locator("[data-submit-dialog]")
    assert dialog.is_visible()
    # Question 5 orders items: the order shown was saved with the form, so it counts as answered.
    assert "3 questions have no answer: 2, 3, 4." in dialog.inner_text()
    visitor.check_page()  # the open dialog passes the checks too
    page.click("[data-cancel-submit]")
    assert not dialog.is_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN

    page.click("[data-final-submit]")
    visitor.click("[data-confirm-submit]")
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    assert "/review/" in page.url


def test_one_question_per_page_next_previous_and_jump_save_and_move(visitor):
    attempt = start(visitor, "one_per_page")
    page = visitor.page
    choose_first_option(page, 1)

    visitor.click("text=Next question")
    assert page.url.endswith("?page=2")
    assert "Question 2 of 5" in visitor.text()
    assert saved_positions(attempt) == {1}

    visitor.click("text=Previous question")
    assert page.url.endswith("?page=1")
    assert page.locator("#question-1 input[type=radio]").first.is_checked()

    visitor.click(".question-nav-item[data-nav-position='3']")
    assert page.url.endswith("?page=3")
    assert page.locator(".question-nav-item[data-nav-position='1']").get_attribute("class").endswith("is-answered")

    choose_first_option(page, 3)
    visitor.click("button[value=save]")
    assert page.url.endswith("?page=3")
    assert saved_positions(attempt) == {1, 3}
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN

    page.click("[data-final-submit]")
    assert "3 questions have no answer: 2, 4, 5." in page.locator("[data-submit-dialog]").inner_text()
    visitor.click("[data-confirm-submit]")
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN


def test_enter_in_a_text_answer_saves_it_and_never_submits(visitor):
    attempt = start(visitor, "all_on_one")
    page = visitor.page
    field = page.locator("fieldset[data-qtype=fillblank] input[type=text]")
    field.fill("公众")
    field.press("Enter")
    page.locator("[data-save-state]", has_text="Saved").wait_for()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert [response["text"] for response in SavedAnswer.objects.values_list("response", flat=True)] == ["公众"]


def test_a_timed_attempt_submits_itself_when_the_time_is_up(visitor):
    attempt = start(visitor, "one_per_page", time_limit_minutes=30)
    page = visitor.page
    choose_first_option(page, 1)
    # Bring the deadline close, as if the learner had been answering for 30 minutes.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")
    page.wait_for_url("**/review/**", timeout=15_000)
    visitor.settle()
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("certificate.png", buffer.getvalue())


def test_a_head_approves_one_declaration_and_rejects_another(visitor, catalogue, file_roots):
    city = build_city(catalogue)
    first, second = city.learners["budget"][:2]
    declarations = [
        OfflineTraining.objects.create(
            user=learner,
            course_name=name,
            start_date="2026-03-01",
            end_date="2026-03-02",
            hours=Decimal("6"),
            attachment=png_upload(),
        )
        for learner, name in ((first, "保密培训"), (second, "公文写作培训"))
    ]
    visitor.log_in("head.finance", PASSWORD)
    visitor.goto("/hours/offline/pending/")
    page = visitor.page

    approve = page.locator("section", has_text="保密培训")
    visitor.click(approve.locator("button[value=approve]"))
    assert "The decision was saved." in visitor.text()

    reject = page.locator("section", has_text="公文写作培训")
    reject.locator("textarea").fill("缺少出勤证明")
    visitor.click(reject.locator("button[value=reject]"))

    for declaration in declarations:
        declaration.refresh_from_db()
    assert declarations[0].status == "approved"
    assert (declarations[1].status, declarations[1].reason) == ("rejected", "缺少出勤证明")


def test_a_double_click_sends_a_form_once(visitor, file_roots):
    learner = UserFactory(username="double")
    visitor.log_in(learner.username, PASSWORD)
    visitor.goto("/hours/")
    page = visitor.page
    page.fill("#id_course_name", "网络安全线下班")
    page.fill("#id_start_date", "2026-03-01")
    page.fill("#id_end_date", "2026-03-02")
    page.fill("#id_hours", "4")
    page.set_input_files("#id_attachment", files=[{"name": "a.png", "mimeType": "image/png", "buffer": png_upload().read()}])
    with page.expect_navigation():
        page.locator("input[type=submit][name=declare], button[name=declare]").first.dblclick()
    visitor.settle()
    assert "Your offline training was declared" in visitor.text()
    assert OfflineTraining.objects.filter(user=learner).count() == 1


def test_the_timer_is_announced_when_a_minute_is_left_not_every_second(visitor):
    attempt = start(visitor, "all_on_one", time_limit_minutes=30)
    page = visitor.page
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=63))
    visitor.goto(f"/quiz/attempts/{attempt.pk}/")
    announcer = page.locator("[data-timer-announcer]")
    assert announcer.get_attribute("role") == "status"
    assert announcer.inner_text() == ""  # nothing said on load: the page shows the time
    # The visible clock is not a live region, so its ticking is not read out.
    assert page.locator("[data-timer]").evaluate("el => el.closest('[aria-live], [role=status]')") is None
    page.locator("[data-timer-announcer]", has_text="1 minute left.").wait_for(state="attached", timeout=15_000)
