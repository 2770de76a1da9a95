from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.models import Attempt, AttemptGrade, QuestionChoice, SavedAnswer
from quizzes.responses import ResponseInvalid
from quizzes.services import (
    AttemptClosed,
    AttemptsExhausted,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_finalise_overdue,
    question_version_save,
)
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db


def test_full_marks_for_right_answers_including_full_width_and_spaces(quiz):
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    answers = right_answers(attempt)
    fill = next(p for p, a in answers.items() if "text" in a)
    answers[fill] = {"text": "　公众　"}  # ideographic spaces from a Chinese input method
    grade = attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    assert (grade.score, grade.max_score, grade.percent, grade.passed) == (
        Decimal("6.0000"),
        Decimal("6"),
        Decimal("100.00"),
        True,
    )


def test_autosaved_answers_are_all_kept_and_the_latest_counts(quiz):
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    single = next(aq for aq in attempt.questions.all() if aq.version.spec["qtype"] == "single")
    wrong = next(c["key"] for c in single.version.spec["choices"] if not c["correct"])
    right = next(c["key"] for c in single.version.spec["choices"] if c["correct"])
    answers_save(attempt_id=attempt.pk, user=learner, answers={str(single.position): {"choice": wrong}})
    answers_save(attempt_id=attempt.pk, user=learner, answers={str(single.position): {"choice": right}})
    assert SavedAnswer.objects.filter(attempt_question=single).count() == 2
    grade = attempt_submit(attempt_id=attempt.pk, user=learner)
    assert grade.score == Decimal("1.0000")


def test_a_submitted_attempt_refuses_more_answers_and_a_second_submit(quiz):
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(AttemptClosed):
        answers_save(attempt_id=attempt.pk, user=learner, answers={"1": {}})
    with pytest.raises(AttemptClosed):
        attempt_submit(attempt_id=attempt.pk, user=learner)
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_attempt_limit_is_enforced(db):
    quiz = make_quiz(attempts_allowed=1)
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    assert attempt_start(quiz=quiz, user=learner).pk == attempt.pk  # resumes the open one
    attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(AttemptsExhausted):
        attempt_start(quiz=quiz, user=learner)


def test_answers_after_deadline_and_grace_are_not_stored(db, settings):
    settings.QUIZ_GRACE_SECONDS = 30
    quiz = make_quiz(time_limit_minutes=10)
    learner = UserFactory()
    start = timezone.now()
    attempt = attempt_start(quiz=quiz, user=learner, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    answers = right_answers(attempt)
    # Within the grace period: accepted.
    answers_save(
        attempt_id=attempt.pk, user=learner, answers={"1": answers["1"]}, now=attempt.deadline + timedelta(seconds=20)
    )
    with pytest.raises(AttemptClosed):
        answers_save(attempt_id=attempt.pk, user=learner, answers=answers, now=attempt.deadline + timedelta(seconds=31))
    grade = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=answers, now=attempt.deadline + timedelta(minutes=5)
    )
    attempt.refresh_from_db()
    assert attempt.closed_by == Attempt.ClosedBy.DEADLINE
    assert grade.score == Decimal("1.0000")  # only the answer saved in time counts


def test_forged_client_fields_are_refused(quiz):
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    for forged in ({"1": {"choice": "a", "score": 1}}, {"1": {"correct": True}}, {"1": {"deadline": "2099-01-01"}}):
        with pytest.raises(ResponseInvalid):
            answers_save(attempt_id=attempt.pk, user=learner, answers=forged)
    assert not SavedAnswer.objects.exists()


def test_overdue_attempts_are_finalised_from_saved_answers_once(db):
    quiz = make_quiz(time_limit_minutes=5)
    learner = UserFactory()
    start = timezone.now() - timedelta(minutes=30)
    attempt = attempt_start(quiz=quiz, user=learner, now=start)
    answers_save(
        attempt_id=attempt.pk,
        user=learner,
        answers={"1": right_answers(attempt)["1"]},
        now=start + timedelta(minutes=1),
    )
    assert attempts_finalise_overdue() == 1
    assert attempts_finalise_overdue() == 0
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.closed_by == Attempt.ClosedBy.DEADLINE
    assert AttemptGrade.objects.get(attempt=attempt).score == Decimal("1.0000")


def test_open_attempt_within_its_time_is_not_finalised(db):
    quiz = make_quiz(time_limit_minutes=30)
    attempt_start(quiz=quiz, user=UserFactory())
    assert attempts_finalise_overdue() == 0


def test_editing_a_question_makes_a_new_version_and_old_attempts_keep_theirs(quiz):
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    single_aq = next(aq for aq in attempt.questions.all() if aq.version.spec["qtype"] == "single")
    question = single_aq.version.question
    question.stem = "修改后的题干"
    question.save()
    new_version = question_version_save(question=question)
    assert new_version.number == 2
    assert question_version_save(question=question) is None  # unchanged: no new version
    single_aq.refresh_from_db()
    assert single_aq.version.number == 1 and single_aq.version.spec["stem"] != "修改后的题干"


def test_each_attempt_draws_random_questions_from_a_category(db):
    from quizzes.models import QuestionCategory, Quiz, QuizSlot

    make_quiz()  # puts five questions in the category
    quiz = Quiz.objects.create(title="随机测验")
    QuizSlot.objects.create(quiz=quiz, random_category=QuestionCategory.objects.get(), random_count=3)
    attempt = attempt_start(quiz=quiz, user=UserFactory())
    versions = [aq.version.question_id for aq in attempt.questions.all()]
    assert len(versions) == 3 == len(set(versions))


def test_choices_are_shuffled_per_attempt_but_the_key_is_unchanged(db):
    quiz = make_quiz(shuffle_choices=True)
    attempt = attempt_start(quiz=quiz, user=UserFactory())
    for aq in attempt.questions.all():
        assert sorted(aq.choice_order) == sorted(c["key"] for c in aq.version.spec["choices"])
    assert QuestionChoice.objects.exists()


def test_questions_carry_tags_into_their_version(db):
    from quizzes.models import QuestionCategory
    from quizzes.services import question_create
    from quizzes.specs import QuestionSpec, QuestionType

    spec = QuestionSpec(
        qtype=QuestionType.FILL_BLANK, stem="G2B 指？", accepted_answers=("政府对企业",), tags=("电子政务", "基础")
    )
    question = question_create(spec=spec, category=QuestionCategory.objects.create(name="标签"))
    assert set(question.tags.names()) == {"电子政务", "基础"}
    assert sorted(question.current_version.spec["tags"]) == ["基础", "电子政务"]


def test_publishing_a_question_stores_a_new_version(quiz):
    # Issue 14 item 4: a saved change is a revision; publishing it (a reviewer's Publish or approval,
    # or a save that publishes) stores the version attempts draw (quizzes.receivers).
    from quizzes.models import Question

    question = Question.objects.filter(qtype="single").first()
    question.stem = "在管理后台修改后的题干"
    revision = question.save_revision(user=UserFactory(is_superuser=True))
    assert Question.objects.get(pk=question.pk).current_version.number == 1
    revision.publish()
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.spec["stem"] == "在管理后台修改后的题干"
