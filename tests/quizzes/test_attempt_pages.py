import json

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import CourseProgress, QuizStepPage, StepCompletion
from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from quizzes.services import attempt_start
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import SPECS, make_quiz, right_answers

pytestmark = pytest.mark.django_db

SECRETS = [
    "FEEDBACK-",
    "GENERAL-FEEDBACK",
    "SECRET-ANSWER",
    '"correct"',
    "correct",
    "is-correct",
    "data-correct",
    "penalty",
]


@pytest.fixture
def learner_client(client):
    learner = UserFactory()
    client.force_login(learner)
    client.learner = learner
    return client


def autosave(client, attempt, payload, raw=None):
    return client.post(
        reverse("quizzes:autosave", args=[attempt.pk]),
        data=raw if raw is not None else json.dumps(payload),
        content_type="application/json",
    )


def assert_no_answer_key(text: str):
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, secret
    for spec in SPECS:
        # No accepted fill-in answer, and no mark earned, appears before submission.
        for answer in spec.accepted_answers:
            assert answer not in text, answer


@pytest.mark.parametrize("layout", ["all_on_one", "one_per_page"])
def test_nothing_sent_before_submission_reveals_the_answers(learner_client, layout):
    quiz = make_quiz(layout=layout)
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    pages = [learner_client.get(reverse("quizzes:attempt", args=[attempt.pk]))]
    if layout == "one_per_page":
        pages += [learner_client.get(reverse("quizzes:attempt", args=[attempt.pk]), {"page": n}) for n in range(2, 6)]
    for page in pages:
        assert page.status_code == 200
        assert_no_answer_key(page.content.decode())
    saved = autosave(learner_client, attempt, {"answers": right_answers(attempt)})
    assert saved.status_code == 200
    assert_no_answer_key(saved.content.decode())
    assert set(saved.json()) == {"saved", "saved_at", "version", "previous_version"}
    # The review page is not reachable before submission: it sends the learner back.
    review = learner_client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert review.status_code == 302
    # Every question type is on the page(s).
    html = "".join(page.content.decode() for page in pages)
    for qtype in ("single", "multiple", "truefalse", "fillblank", "ordering"):
        assert f'data-qtype="{qtype}"' in html


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"answers": {"99": {"choice": "a"}}}, "not part of this attempt"),
        ({"answers": {"x": {"choice": "a"}}}, "not a question number"),
        ({"answers": {"1": {"choice": "nope"}}}, "does not belong"),
        ({"answers": {"1": {"choice": "a", "score": 1}}}, "Unexpected field"),
        ({"answers": {"1": "a"}}, "must be an object"),
        ({"answers": []}, "keyed by question number"),
        ({"answers": {}, "score": 100}, "one field"),
        ({"answers": {"5": {"order": ["a", "a", "b", "c"]}}}, "exactly once"),
        ({"answers": {"4": {"text": "字" * 501}}}, "longer than"),
    ],
)
def test_malformed_payloads_get_a_clear_400_and_save_nothing(learner_client, quiz, payload, message):
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    valid_first = (
        {"answers": {**right_answers(attempt), **payload.get("answers", {})}}
        if isinstance(payload.get("answers"), dict)
        else payload
    )
    if "score" in payload:
        valid_first = payload
    response = autosave(learner_client, attempt, valid_first)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not SavedAnswer.objects.exists()


def test_choice_key_from_another_question_is_refused(learner_client, quiz):
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    by_type = {aq.version.spec["qtype"]: aq for aq in attempt.questions.all()}
    foreign_key = by_type["multiple"].version.spec["choices"][0]["key"]
    response = autosave(
        learner_client, attempt, {"answers": {str(by_type["single"].position): {"choice": foreign_key}}}
    )
    assert response.status_code == 400 and not SavedAnswer.objects.exists()


def test_duplicate_json_keys_and_huge_or_broken_bodies_are_refused(learner_client, quiz):
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    assert autosave(learner_client, attempt, None, raw="{not json").status_code == 400
    assert autosave(learner_client, attempt, None, raw='{"answers": {"1": {}}, "answers": {"2": {}}}').status_code in (
        200,
        400,
    )
    huge = json.dumps({"answers": {"4": {"text": "x" * 70000}}})
    assert autosave(learner_client, attempt, None, raw=huge).status_code == 400
    assert not SavedAnswer.objects.filter(response__text__startswith="x").exists()


def test_someone_elses_attempt_is_not_found(learner_client, quiz):
    other = attempt_start(quiz=quiz, user=UserFactory())
    assert learner_client.get(reverse("quizzes:attempt", args=[other.pk])).status_code == 404
    assert autosave(learner_client, other, {"answers": {}}).status_code == 404
    assert learner_client.post(reverse("quizzes:submit", args=[other.pk])).status_code == 404
    assert learner_client.get(reverse("quizzes:review", args=[other.pk])).status_code == 404


def test_a_stale_tab_gets_409_after_the_attempt_closed(learner_client, quiz):
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    assert learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"}).status_code == 302
    stale_save = autosave(learner_client, attempt, {"answers": right_answers(attempt)})
    stale_submit = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert stale_save.status_code == 409 and stale_submit.status_code == 409
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    assert not SavedAnswer.objects.filter(attempt_question__attempt=attempt).exists()


def test_form_submission_grades_and_the_review_follows_the_quiz_options(learner_client):
    quiz = make_quiz(review_show_correct=False, review_show_feedback=False)
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    questions = {aq.version.spec["qtype"]: aq for aq in attempt.questions.all()}
    form = {"action": "submit", "answers_version": "0"}
    single = questions["single"]
    form[f"q{single.position}"] = next(c["key"] for c in single.version.spec["choices"] if c["correct"])
    form[f"q{questions['fillblank'].position}"] = "ＳＥＣＲＥＴ-ANSWER-PUBLIC"  # full width, accepted
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), form)
    assert response.status_code == 302
    html = learner_client.get(response["Location"]).content.decode()
    assert "2 of 6 marks" in html
    assert "FEEDBACK-" not in html and "Correct answer" not in html and "Accepted answers" not in html


def test_review_after_passing_only(learner_client):
    quiz = make_quiz(review_when="after_passing", pass_mark_percent=50)
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    html = learner_client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "opens once you pass" in html and "FEEDBACK-" not in html
    second = attempt_start(quiz=quiz, user=learner_client.learner)
    learner_client.post(
        reverse("quizzes:autosave", args=[second.pk]),
        json.dumps({"answers": right_answers(second)}),
        content_type="application/json",
    )
    learner_client.post(reverse("quizzes:submit", args=[second.pk]), {"action": "submit"})
    html = learner_client.get(reverse("quizzes:review", args=[second.pk])).content.decode()
    assert "FEEDBACK-SINGLE-RIGHT" in html and "Correct answer" in html


def test_invalid_ordering_in_the_form_rerenders_with_the_error(learner_client, quiz):
    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    ordering = next(aq for aq in attempt.questions.all() if aq.version.spec["qtype"] == "ordering")
    form = {"action": "submit"}
    fill = next(aq for aq in attempt.questions.all() if aq.version.spec["qtype"] == "fillblank")
    form[f"q{fill.position}"] = "我的答案"
    for key in ordering.choice_order:
        form[f"q{ordering.position}-pos-{key}"] = "1"
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), form)
    assert response.status_code == 400
    assert "different position" in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).status == "open"


# ---------------------------------------------------------------------------- inside a course


@pytest.fixture
def quiz_step(catalogue):
    course = build_course(catalogue, steps=1, sequential=True, slug="with-quiz")
    quiz = make_quiz(pass_mark_percent=60)
    step = QuizStepPage(title="结业测验", slug="final", quiz=quiz, kind="final_exam")
    course.add_child(instance=step)
    return step


def test_passing_the_quiz_completes_its_step_in_the_grading_transaction(learner_client, quiz_step):
    learner = learner_client.learner
    lesson = course_steps(quiz_step.get_parent())[0]
    learner_client.post(reverse("courses:step_complete", args=[lesson.pk]))
    response = learner_client.post(reverse("courses:quiz_start", args=[quiz_step.pk]))
    assert response.status_code == 302
    attempt = Attempt.objects.get(user=learner)
    learner_client.post(
        reverse("quizzes:autosave", args=[attempt.pk]),
        json.dumps({"answers": right_answers(attempt)}),
        content_type="application/json",
    )
    learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert StepCompletion.objects.filter(user=learner, step_id=quiz_step.pk).exists()
    assert CourseProgress.objects.get(user=learner).completed_at is not None


def test_failing_the_quiz_does_not_complete_the_step(learner_client, quiz_step):
    learner = learner_client.learner
    learner_client.post(reverse("courses:step_complete", args=[course_steps(quiz_step.get_parent())[0].pk]))
    learner_client.post(reverse("courses:quiz_start", args=[quiz_step.pk]))
    attempt = Attempt.objects.get(user=learner)
    learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"})
    assert not StepCompletion.objects.filter(user=learner, step_id=quiz_step.pk).exists()


def test_a_quiz_step_cannot_be_marked_done_by_hand(learner_client, quiz_step):
    learner_client.post(reverse("courses:step_complete", args=[course_steps(quiz_step.get_parent())[0].pk]))
    response = learner_client.post(reverse("courses:step_complete", args=[quiz_step.pk]))
    assert response.status_code == 403
    assert not StepCompletion.objects.filter(step_id=quiz_step.pk).exists()


def test_a_locked_quiz_step_cannot_be_started(learner_client, quiz_step):
    response = learner_client.post(reverse("courses:quiz_start", args=[quiz_step.pk]))
    assert response.status_code == 403 and not Attempt.objects.exists()


def test_quiz_step_page_renders_rules_and_start_button(learner_client, quiz_step):
    learner_client.post(reverse("courses:step_complete", args=[course_steps(quiz_step.get_parent())[0].pk]))
    html = learner_client.get(quiz_step.url).content.decode()
    assert "Pass mark: 60%" in html and "Start the quiz" in html


def test_csrf_is_required_for_autosave_and_submit(quiz):
    learner = UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)
    assert autosave(strict, attempt, {"answers": {}}).status_code == 403
    assert strict.post(reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit"}).status_code == 403


def test_ordering_item_keys_do_not_reveal_the_order(learner_client, quiz):
    from quizzes.models import QuestionChoice

    attempt = attempt_start(quiz=quiz, user=learner_client.learner)
    ordering = next(aq for aq in attempt.questions.all() if aq.version.spec["qtype"] == "ordering")
    row_ids = {str(pk) for pk in QuestionChoice.objects.values_list("pk", flat=True)}
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    for key in ordering.choice_order:
        assert key not in row_ids  # ids grow in the order the trainer typed the items
        assert f'data-order-key="{key}"' in html
