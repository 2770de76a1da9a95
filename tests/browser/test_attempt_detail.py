"""A trainer's grade corrections through the real admin pages (the essay-mark and grade-override
forms share one form rule and one service-calling step, quizzes.forms.ScoreWithinMarkMixin and
quizzes.admin_views.GradeServiceFormMixin): a trainer marks a submitted essay from the queue, then
on the attempt's page overrides another question's score, first above its mark (refused on the
form, nothing stored), then within it. Each saved form leaves its grade row and its audit entry."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from quizzes.models import Attempt, AttemptGrade, EssayGrade
from quizzes.services import attempt_start, attempt_submit
from tests.browser.test_essays import ESSAY_TEXT, PASSWORD, SPECS
from tests.factories import UserFactory
from tests.factories.quizzes import user_with_permissions
from tests.quizzes.conftest import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMMENT = "论述清楚，可再举一例。"
REASON = "题目表述有歧义，申诉成立"


def latest_grade(attempt) -> AttemptGrade:
    return AttemptGrade.objects.filter(attempt=attempt).order_by("-graded_at", "-id").first()


def test_a_trainer_marks_an_essay_then_overrides_a_grade_on_the_attempt_page(visitor):
    quiz = make_quiz(title="论述题测验", specs=SPECS)
    learner = UserFactory(username="detail-learner", first_name="小", last_name="李")
    attempt = attempt_start(quiz=quiz, user=learner)
    # The single choice answered wrongly (0 of 1), the essay awaiting a mark (of 4).
    choices = attempt.questions.get(position=1).version.spec["choices"]
    wrong = next(choice["key"] for choice in choices if not choice["correct"])
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={"1": {"choice": wrong}, "2": {"text": ESSAY_TEXT}})
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.PENDING
    trainer = user_with_permissions("add_question", "change_quiz", username="detail-trainer")
    page = visitor.page
    visitor.log_in_to_admin(trainer.username, PASSWORD)

    # Pending: the attempt's page offers no override yet.
    visitor.goto(f"/admin/question-bank/attempts/{attempt.pk}/")
    assert page.locator("input[name=q1-score]").count() == 0

    # The essay's mark, from the queue.
    visitor.goto("/admin/question-bank/essays/")
    visitor.click(page.locator("tr[data-essay] a"))
    assert ESSAY_TEXT in page.inner_text("[data-essay-answer]")
    page.fill("input[name=score]", "3")
    page.fill("textarea[name=comment]", COMMENT)
    visitor.click("[data-save-essay-grade]")

    assert page.url.endswith("/admin/question-bank/essays/")
    assert f"Question 2 of {learner.get_full_name()} now scores 3." in page.inner_text("body")
    essay = EssayGrade.objects.get()
    assert (essay.mark, essay.comment, essay.graded_by_id) == (Decimal("3"), COMMENT, trainer.pk)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    manual = latest_grade(attempt)
    assert (manual.reason, manual.score, manual.percent, manual.graded_by_id) == (
        AttemptGrade.Reason.MANUAL,
        Decimal("3"),
        Decimal("60.00"),
        trainer.pk,
    )
    marked = ModelLogEntry.objects.get(action="quizzes.essay_grade")
    assert (marked.object_id, marked.user_id) == (str(quiz.pk), trainer.pk)
    assert (marked.data["attempt"], marked.data["question"], marked.data["score"], marked.data["comment"]) == (
        attempt.pk,
        2,
        "3",
        COMMENT,
    )

    # The override, on the attempt's page: above the question's mark it is refused on the form.
    visitor.goto(f"/admin/question-bank/attempts/{attempt.pk}/")
    override = page.locator(f"form[action$='/attempts/{attempt.pk}/questions/1/override/']")
    assert override.locator("input[name=q1-score]").get_attribute("max") == "1"
    override.locator("input[name=q1-score]").fill("1.5")
    override.locator("textarea[name=q1-reason]").fill(REASON)
    visitor.click(override.locator("button[type=submit]"))

    assert "The score must be between 0 and 1." in page.inner_text("main")
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    assert not ModelLogEntry.objects.filter(action="quizzes.grade_override").exists()

    # Within the mark, on the form the refusal showed: a new grade row with its reason, audited.
    page.fill("input[name=q1-score]", "1")
    page.fill("textarea[name=q1-reason]", REASON)
    visitor.click("main form button[type=submit]")

    assert page.url.endswith(f"/admin/question-bank/attempts/{attempt.pk}/")
    assert "Question 1 now scores 1." in page.inner_text("body")
    overridden = latest_grade(attempt)
    assert (overridden.reason, overridden.score, overridden.percent, overridden.note, overridden.graded_by_id) == (
        AttemptGrade.Reason.OVERRIDE,
        Decimal("4"),
        Decimal("80.00"),
        REASON,
        trainer.pk,
    )
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 2
    entry = ModelLogEntry.objects.get(action="quizzes.grade_override")
    assert (entry.object_id, entry.user_id) == (str(quiz.pk), trainer.pk)
    assert (entry.data["attempt"], entry.data["question"], entry.data["score"], entry.data["reason"]) == (
        attempt.pk,
        1,
        "1",
        REASON,
    )
    assert "80%" in page.inner_text("main")
