"""A learner takes a quiz with the keyboard alone, sees it autosave, submits and passes."""

from decimal import Decimal

import pytest

from courses.models import QuizStepPage, StepCompletion
from courses.services import step_complete
from quizzes.models import QuestionCategory, Quiz, QuizSlot
from quizzes.services import question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import UserFactory, build_course, course_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_keyboard_only_quiz_autosaves_and_passing_completes_the_step(live_server_url, visitor, catalogue):
    course = build_course(catalogue, steps=1, slug="kb")
    category = QuestionCategory.objects.create(name="键盘")
    question = question_create(
        spec=QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="离开座位前应按哪个快捷键锁屏？",
            choices=(ChoiceSpec("", "Win+L", True), ChoiceSpec("", "Ctrl+C", False)),
        ),
        category=category,
    )
    quiz = Quiz.objects.create(title="键盘测验", pass_mark_percent=Decimal("60"), shuffle_choices=False)
    QuizSlot.objects.create(quiz=quiz, question=question, sort_order=0)
    course.refresh_from_db()
    step = QuizStepPage(title="随堂测验", slug="check", quiz=quiz)
    course.add_child(instance=step)
    learner = UserFactory(username="keyboard")
    step_complete(user=learner, step=course_steps(course)[0])

    page = visitor.page
    visitor.goto("/accounts/login/")
    page.fill("#id_username", "keyboard")
    page.fill("#id_password", "correct-horse-battery")
    visitor.press("#id_password", "Enter")
    assert page.url == f"{live_server_url}/"
    visitor.goto(step.url)
    visitor.press("main form button[type=submit]", "Enter")
    page.wait_for_selector("[data-quiz-form]")

    page.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")  # chooses the focused option, as a keyboard user would
    page.locator("[data-save-state]", has_text="Saved").wait_for()

    page.locator("[data-final-submit]").press("Enter")
    # The confirmation opens with "Submit now" focused: Enter again submits.
    page.locator("[data-submit-dialog]").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-confirm-submit')")
    visitor.check_page()
    visitor.press("[data-confirm-submit]", "Enter")
    assert "Passed" in page.locator(".result").inner_text()
    assert StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()
