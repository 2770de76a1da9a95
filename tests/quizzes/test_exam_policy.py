"""The exam policy (issue 14, item 4): the quiz's window, the make-up sitting (补考) after a fail
with its own window and count, and what an attempt not submitted by its deadline counts as."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from quizzes.models import Attempt, AttemptGrade, Quiz
from quizzes.services import (
    AttemptsExhausted,
    SittingRefused,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_finalise_overdue,
    question_regrade,
    question_version_save,
)
from quizzes.sittings import ExamWindows, LearnerRecord, Refusal, Sitting, attempt_deadline, sitting_for
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz, right_answers

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI)
CLOSES = datetime(2027, 3, 1, 11, 0, tzinfo=SHANGHAI)
MAKEUP_OPENS = datetime(2027, 3, 8, 9, 0, tzinfo=SHANGHAI)
MAKEUP_CLOSES = datetime(2027, 3, 8, 11, 0, tzinfo=SHANGHAI)
BEFORE = OPENS - timedelta(minutes=1)
INSIDE = OPENS + timedelta(minutes=30)
AFTER = CLOSES + timedelta(minutes=1)
BETWEEN = MAKEUP_OPENS - timedelta(days=1)  # regular closed, make-up not yet open
IN_MAKEUP = MAKEUP_OPENS + timedelta(minutes=30)
AFTER_MAKEUP = MAKEUP_CLOSES + timedelta(minutes=1)

WINDOWS = ExamWindows(
    opens_at=OPENS,
    closes_at=CLOSES,
    attempts_allowed=1,
    makeup_opens_at=MAKEUP_OPENS,
    makeup_closes_at=MAKEUP_CLOSES,
    makeup_attempts=1,
)
NEVER_SAT = LearnerRecord(regular_taken=0, makeup_taken=0, failed=False, passed=False)
FAILED_ONCE = LearnerRecord(regular_taken=1, makeup_taken=0, failed=True, passed=False)
PASSED_ONCE = LearnerRecord(regular_taken=1, makeup_taken=0, failed=False, passed=True)
FAILED_MAKEUP = LearnerRecord(regular_taken=1, makeup_taken=1, failed=True, passed=False)
NO_MAKEUP = ExamWindows(CLOSES - timedelta(hours=2), CLOSES, 1, None, None, 0)


@pytest.mark.parametrize(
    ("windows", "record", "now", "expected"),
    [
        # The regular sitting: before opening, inside, after closing, attempts used.
        (WINDOWS, NEVER_SAT, BEFORE, Sitting(refusal=Refusal.NOT_OPEN_YET, opens_at=OPENS)),
        (WINDOWS, NEVER_SAT, OPENS, Sitting(closes_at=CLOSES)),
        (WINDOWS, NEVER_SAT, INSIDE, Sitting(closes_at=CLOSES)),
        (WINDOWS, NEVER_SAT, CLOSES, Sitting(refusal=Refusal.CLOSED, closes_at=CLOSES)),
        (WINDOWS, NEVER_SAT, AFTER, Sitting(refusal=Refusal.CLOSED, closes_at=CLOSES)),
        # The make-up sitting needs a fail: never sat, nothing to make up, even in its window.
        (WINDOWS, NEVER_SAT, IN_MAKEUP, Sitting(refusal=Refusal.CLOSED, closes_at=CLOSES)),
        # A fail inside the regular window with its attempts used: the make-up is not open yet.
        (WINDOWS, FAILED_ONCE, INSIDE, Sitting(makeup=True, refusal=Refusal.MAKEUP_NOT_OPEN_YET, opens_at=MAKEUP_OPENS)),
        (WINDOWS, FAILED_ONCE, BETWEEN, Sitting(makeup=True, refusal=Refusal.MAKEUP_NOT_OPEN_YET, opens_at=MAKEUP_OPENS)),
        (WINDOWS, FAILED_ONCE, IN_MAKEUP, Sitting(makeup=True, closes_at=MAKEUP_CLOSES)),
        (WINDOWS, FAILED_ONCE, AFTER_MAKEUP, Sitting(makeup=True, refusal=Refusal.MAKEUP_CLOSED, closes_at=MAKEUP_CLOSES)),
        # Its own count.
        (WINDOWS, FAILED_MAKEUP, IN_MAKEUP, Sitting(makeup=True, refusal=Refusal.MAKEUP_ATTEMPTS_USED)),
        # Not after a pass.
        (WINDOWS, PASSED_ONCE, INSIDE, Sitting(refusal=Refusal.PASSED)),
        (WINDOWS, PASSED_ONCE, IN_MAKEUP, Sitting(refusal=Refusal.CLOSED, closes_at=CLOSES)),
        # A quiz without a make-up sitting: a fail is the end.
        (NO_MAKEUP, FAILED_ONCE, INSIDE, Sitting(refusal=Refusal.ATTEMPTS_USED)),
        (NO_MAKEUP, FAILED_ONCE, IN_MAKEUP, Sitting(refusal=Refusal.CLOSED, closes_at=CLOSES)),
        # No windows at all: always open, attempts counted as before.
        (ExamWindows(None, None, 0, None, None, 0), FAILED_ONCE, AFTER, Sitting()),
        # Make-up with attempts left in the regular window: the regular sitting comes first.
        (
            ExamWindows(OPENS, CLOSES, 2, MAKEUP_OPENS, MAKEUP_CLOSES, 1),
            FAILED_ONCE,
            INSIDE,
            Sitting(closes_at=CLOSES),
        ),
        # A make-up without times: open at once after the fail, for as long as it takes.
        (ExamWindows(OPENS, CLOSES, 1, None, None, 2), FAILED_MAKEUP, AFTER, Sitting(makeup=True)),
    ],
)
def test_sitting_rules(windows, record, now, expected):
    assert sitting_for(windows, record, now) == expected


@pytest.mark.parametrize(
    ("limit", "closes_at", "expected"),
    [
        (None, None, None),
        (timedelta(minutes=30), None, INSIDE + timedelta(minutes=30)),
        (None, CLOSES, CLOSES),
        (timedelta(minutes=30), CLOSES, INSIDE + timedelta(minutes=30)),
        (timedelta(hours=5), CLOSES, CLOSES),  # the window's close comes first
    ],
)
def test_an_attempt_never_outlives_its_window(limit, closes_at, expected):
    assert attempt_deadline(started_at=INSIDE, time_limit=limit, closes_at=closes_at) == expected


# ---------------------------------------------------------------------------- attempt_start


@pytest.fixture
def exam(db):
    return make_quiz(
        opens_at=OPENS,
        closes_at=CLOSES,
        attempts_allowed=1,
        makeup_opens_at=MAKEUP_OPENS,
        makeup_closes_at=MAKEUP_CLOSES,
        makeup_attempts=1,
    )


def sit(quiz, learner, at, *, passing: bool) -> Attempt:
    attempt = attempt_start(quiz=quiz, user=learner, now=at)
    attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=right_answers(attempt) if passing else {}, now=at
    )
    attempt.refresh_from_db()
    return attempt


def test_a_learner_is_refused_before_opening_with_the_time_in_their_language(exam):
    learner = UserFactory()
    with translation.override("zh-hans"), pytest.raises(SittingRefused) as refused:
        attempt_start(quiz=exam, user=learner, now=BEFORE)
    assert "2027年3月1日 09:00" in str(refused.value)
    with translation.override("en"), pytest.raises(SittingRefused) as refused:
        attempt_start(quiz=exam, user=learner, now=BEFORE)
    assert str(refused.value) == "This quiz opens at 1 Mar 2027 09:00. You can start it then."
    assert not Attempt.objects.exists()


def test_inside_the_window_the_attempt_ends_at_the_closing_time_at_the_latest(exam):
    attempt = attempt_start(quiz=exam, user=UserFactory(), now=CLOSES - timedelta(minutes=10))
    assert attempt.deadline == CLOSES and not attempt.is_makeup


def test_after_closing_nobody_starts(exam):
    with pytest.raises(SittingRefused, match="closed"):
        attempt_start(quiz=exam, user=UserFactory(), now=AFTER)


@pytest.mark.parametrize(
    ("first_passed", "at", "outcome"),
    [
        (False, BETWEEN, "make-up sitting opens"),
        (False, IN_MAKEUP, "makeup"),
        (False, AFTER_MAKEUP, "make-up sitting closed"),
        (True, INSIDE, "passed"),
        (True, IN_MAKEUP, "quiz closed"),
    ],
)
def test_a_make_up_sitting_only_after_a_fail_and_inside_its_own_window(exam, first_passed, at, outcome):
    learner = UserFactory()
    sit(exam, learner, INSIDE, passing=first_passed)
    if outcome == "makeup":
        attempt = attempt_start(quiz=exam, user=learner, now=at)
        assert attempt.is_makeup and attempt.number == 2 and attempt.deadline == MAKEUP_CLOSES
        return
    with pytest.raises((SittingRefused, AttemptsExhausted)) as refused:
        attempt_start(quiz=exam, user=learner, now=at)
    assert outcome.split()[-1] in str(refused.value)
    assert Attempt.objects.filter(user=learner).count() == 1


def test_the_make_up_sitting_has_its_own_count(exam):
    learner = UserFactory()
    sit(exam, learner, INSIDE, passing=False)
    makeup = sit(exam, learner, IN_MAKEUP, passing=False)
    assert makeup.is_makeup
    with pytest.raises(SittingRefused, match="make-up sitting"):
        attempt_start(quiz=exam, user=learner, now=IN_MAKEUP + timedelta(minutes=5))


def test_a_pass_in_the_make_up_ends_it(db):
    quiz = make_quiz(attempts_allowed=1, makeup_attempts=3)
    learner = UserFactory()
    sit(quiz, learner, INSIDE, passing=False)
    sit(quiz, learner, INSIDE, passing=True)
    with pytest.raises(SittingRefused, match="passed"):
        attempt_start(quiz=quiz, user=learner, now=INSIDE)


def test_the_window_rules_hold_in_the_model_form(db):
    quiz = Quiz(title="x", opens_at=CLOSES, closes_at=OPENS, makeup_opens_at=OPENS, makeup_attempts=0)
    with pytest.raises(ValidationError) as invalid:
        quiz.full_clean()
    assert {"closes_at", "makeup_attempts"} <= set(invalid.value.message_dict)
    quiz = Quiz(title="x", closes_at=CLOSES, makeup_opens_at=OPENS, makeup_closes_at=MAKEUP_CLOSES, makeup_attempts=1)
    with pytest.raises(ValidationError) as invalid:
        quiz.full_clean()
    assert set(invalid.value.message_dict) == {"makeup_opens_at"}


# ---------------------------------------------------------------------------- time-out policy


def one_right_answer(attempt) -> dict:
    first = right_answers(attempt)["1"]
    return {"1": first}


@pytest.mark.parametrize(
    ("policy", "expected_score"),
    [(Quiz.TimeoutPolicy.GRADE_SAVED, Decimal("1.0000")), (Quiz.TimeoutPolicy.ZERO, Decimal("0"))],
)
def test_the_finaliser_applies_the_quizzes_time_out_policy(db, policy, expected_score):
    quiz = make_quiz(time_limit_minutes=10, timeout_policy=policy)
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner, now=INSIDE)
    # The learner answers one question and leaves the page (closes the tab).
    answers_save(attempt_id=attempt.pk, user=learner, answers=one_right_answer(attempt), now=INSIDE)
    # Left the page: the attempt stays open, and the learner may come back, until the deadline.
    assert attempt_start(quiz=quiz, user=learner, now=INSIDE + timedelta(minutes=9)) == attempt
    assert attempts_finalise_overdue(now=INSIDE + timedelta(minutes=11)) == 1
    attempt.refresh_from_db()
    grade = AttemptGrade.objects.get(attempt=attempt)
    assert attempt.closed_by == Attempt.ClosedBy.DEADLINE and grade.score == expected_score and not grade.passed
    assert attempt.timeout_policy == policy


@pytest.mark.parametrize(
    ("policy", "timed_out", "late", "closed_by", "score"),
    [
        # Submitted in time by the learner: graded normally under either policy.
        (Quiz.TimeoutPolicy.ZERO, False, False, Attempt.ClosedBy.LEARNER, Decimal("1.0000")),
        (Quiz.TimeoutPolicy.GRADE_SAVED, False, False, Attempt.ClosedBy.LEARNER, Decimal("1.0000")),
        # The page's clock ran out and sent the form: a time-out.
        (Quiz.TimeoutPolicy.ZERO, True, False, Attempt.ClosedBy.DEADLINE, Decimal("0")),
        (Quiz.TimeoutPolicy.GRADE_SAVED, True, False, Attempt.ClosedBy.DEADLINE, Decimal("1.0000")),
        # A submit after the deadline and grace (after the quiz closed): a time-out, saved answers only.
        (Quiz.TimeoutPolicy.ZERO, False, True, Attempt.ClosedBy.DEADLINE, Decimal("0")),
        (Quiz.TimeoutPolicy.GRADE_SAVED, False, True, Attempt.ClosedBy.DEADLINE, Decimal("0")),
    ],
)
def test_a_submit_follows_the_time_out_policy(db, policy, timed_out, late, closed_by, score):
    quiz = make_quiz(closes_at=CLOSES, timeout_policy=policy)
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner, now=CLOSES - timedelta(minutes=5))
    when = CLOSES + timedelta(minutes=5) if late else CLOSES - timedelta(minutes=1)
    grade = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=one_right_answer(attempt), now=when, timed_out=timed_out
    )
    attempt.refresh_from_db()
    assert attempt.closed_by == closed_by and grade.score == score


def test_starting_again_after_the_deadline_closes_the_open_attempt_by_its_policy(db):
    quiz = make_quiz(time_limit_minutes=10, timeout_policy=Quiz.TimeoutPolicy.ZERO, attempts_allowed=2)
    learner = UserFactory()
    first = attempt_start(quiz=quiz, user=learner, now=INSIDE)
    second = attempt_start(quiz=quiz, user=learner, now=INSIDE + timedelta(minutes=20))
    first.refresh_from_db()
    assert second.number == 2 and first.status == Attempt.Status.GRADED
    assert first.closed_by == Attempt.ClosedBy.DEADLINE and AttemptGrade.objects.get(attempt=first).score == 0


def test_the_policy_an_attempt_started_under_holds_and_a_regrade_keeps_the_zero(db):
    quiz = make_quiz(time_limit_minutes=10, timeout_policy=Quiz.TimeoutPolicy.ZERO)
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner, now=INSIDE)
    answers_save(attempt_id=attempt.pk, user=learner, answers=one_right_answer(attempt), now=INSIDE)
    Quiz.objects.filter(pk=quiz.pk).update(timeout_policy=Quiz.TimeoutPolicy.GRADE_SAVED)
    attempts_finalise_overdue(now=INSIDE + timedelta(minutes=11))
    question = attempt.questions.get(position=1).version.question
    question.stem = "<p>改过的题干</p>"
    question.save()
    question_version_save(question=question)
    assert question_regrade(question=question, user=None) == 1
    assert [g.score for g in AttemptGrade.objects.filter(attempt=attempt)] == [Decimal("0")] * 2
