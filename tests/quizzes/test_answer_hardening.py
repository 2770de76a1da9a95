"""Issue 12 "Hardening", items 2–4: no acknowledged answer is lost or overwritten.

2. A stale tab's form post carries the answers version its page was drawn with; answers saved
   since (another tab) refuse it with a 409 that shows the newer answers, nothing overwritten.
3. A field sent twice (`q1=a&q1=b`) is refused in the form as in the JSON autosave (400, nothing
   stored); a multiple-response question still sends several values under one name.
4. An attempt closed after its deadline (the overdue finaliser, a submit within the grace period)
   finished at the deadline, not when the request or job was processed.

These run on SQLite and on PostgreSQL (DATABASE_URL)."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from quizzes.services import attempt_answers_version, attempt_start, attempt_submit, attempts_finalise_overdue
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client):
    learner = UserFactory()
    client.force_login(learner)
    client.learner = learner
    return client


def positions(attempt) -> dict[str, int]:
    return {aq.version.spec["qtype"]: aq.position for aq in attempt.questions.select_related("version")}


def page_version(html: str) -> str:
    return re.search(r'name="answers_version" value="(\d+)"', html).group(1)


def latest_responses(attempt) -> dict[int, dict]:
    latest = {}
    for row in SavedAnswer.objects.filter(attempt_question__attempt=attempt).order_by("saved_at", "id"):
        latest[row.attempt_question.position] = row.response
    return latest


def autosave(client, attempt, answers):
    return client.post(
        reverse("quizzes:autosave", args=[attempt.pk]), data=json.dumps({"answers": answers}),
        content_type="application/json",
    )


# ---------------------------------------------------------------------------- 2. stale tabs


@pytest.mark.parametrize("action", ["save", "submit", "goto:2"])
def test_a_stale_tabs_form_post_is_refused_and_overwrites_nothing(learner_client, action):
    attempt = attempt_start(quiz=make_quiz(layout="all_on_one"), user=learner_client.learner)
    where = positions(attempt)
    right = right_answers(attempt)
    # Tab A draws the page; tab B then answers the fill-in question and the single choice.
    stale = page_version(learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode())
    assert stale == "0"
    fill, single = str(where["fillblank"]), str(where["single"])
    assert autosave(learner_client, attempt, {fill: {"text": "公众"}, single: right[single]}).status_code == 200
    before = SavedAnswer.objects.filter(attempt_question__attempt=attempt).count()
    # Tab A's form: the fill-in field blank, as it was drawn.
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {f"q{fill}": "", "action": action, "answers_version": stale},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "another window or tab" in html
    assert 'value="公众"' in html  # the newer answer is what the page shows now
    assert page_version(html) == str(attempt_answers_version(attempt.pk))
    assert SavedAnswer.objects.filter(attempt_question__attempt=attempt).count() == before
    assert latest_responses(attempt)[int(fill)] == {"text": "公众"}
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN and not AttemptGrade.objects.filter(attempt=attempt).exists()
    # The re-drawn page's version is current: posting again from it is accepted.
    again = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {f"q{fill}": "公众 ", "action": "save", "answers_version": page_version(html)},
    )
    assert again.status_code == 302


def test_a_form_post_without_a_version_is_treated_as_stale_once_answers_exist(learner_client):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    fill = str(positions(attempt)["fillblank"])
    assert autosave(learner_client, attempt, {fill: {"text": "公众"}}).status_code == 200
    response = learner_client.post(reverse("quizzes:submit", args=[attempt.pk]), {f"q{fill}": "x", "action": "save"})
    assert response.status_code == 409
    assert latest_responses(attempt)[int(fill)] == {"text": "公众"}


def test_this_tabs_own_autosave_in_flight_is_no_conflict(learner_client):
    """The form was sent while its own autosave of the same answer was still on its way: the
    post repeats that answer, so it overwrites nothing and is accepted with the older version."""
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    where = positions(attempt)
    fill, single = str(where["fillblank"]), str(where["single"])
    assert autosave(learner_client, attempt, {fill: {"text": "公众"}}).status_code == 200
    choice = right_answers(attempt)[single]["choice"]
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {f"q{fill}": "公众", f"q{single}": choice, "action": "save", "answers_version": "0"},
    )
    assert response.status_code == 302
    assert latest_responses(attempt)[int(single)] == {"choice": choice}


def test_autosave_says_whether_the_pages_version_was_still_current(learner_client):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    fill = str(positions(attempt)["fillblank"])
    first = autosave(learner_client, attempt, {fill: {"text": "a"}}).json()
    assert first["previous_version"] == 0 and first["version"] == attempt_answers_version(attempt.pk) > 0
    second = autosave(learner_client, attempt, {fill: {"text": "b"}}).json()
    assert second["previous_version"] == first["version"] and second["version"] > first["version"]
    # The form posted with the latest version the autosave reported is current.
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {f"q{fill}": "c", "action": "submit", "answers_version": str(second["version"])},
    )
    assert response.status_code == 302
    assert latest_responses(attempt)[int(fill)] == {"text": "c"}


# ---------------------------------------------------------------------------- 3. duplicate fields


@pytest.mark.parametrize("qtype", ["single", "truefalse", "fillblank"])
def test_a_one_value_field_sent_twice_is_refused_and_nothing_is_stored(learner_client, qtype):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    position = positions(attempt)[qtype]
    spec = attempt.questions.get(position=position).version.spec
    values = [c["key"] for c in spec["choices"]][:2] if spec["choices"] else ["公众", "别的"]
    body = f"q{position}={values[0]}&q{position}={values[1]}&action=save&answers_version=0"
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert f"“q{position}” appears twice" in response.content.decode()
    assert not SavedAnswer.objects.exists()


@pytest.mark.parametrize("field", ["action", "answers_version", "ordering"])
def test_other_doubled_fields_are_refused_too(learner_client, field):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    fill = positions(attempt)["fillblank"]
    form = [(f"q{fill}", "公众"), ("action", "save"), ("answers_version", "0")]
    if field == "ordering":
        ordering = attempt.questions.get(position=positions(attempt)["ordering"])
        keys = ordering.choice_order
        form += [(f"q{ordering.position}-pos-{key}", str(n)) for n, key in enumerate(keys, start=1)]
        form.append((f"q{ordering.position}-pos-{keys[0]}", "2"))
    else:
        form.append((field, "submit" if field == "action" else "0"))
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        "&".join(f"{k}={v}" for k, v in form).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not SavedAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


def test_a_multiple_response_question_still_sends_several_values(learner_client):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    position = positions(attempt)["multiple"]
    keys = [c["key"] for c in attempt.questions.get(position=position).version.spec["choices"]][:2]
    body = f"q{position}={keys[0]}&q{position}={keys[1]}&q{position}-present=1&action=save&answers_version=0"
    response = learner_client.post(
        reverse("quizzes:submit", args=[attempt.pk]), body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert latest_responses(attempt)[position] == {"choices": keys}


def test_duplicate_json_keys_are_refused_at_any_depth(learner_client):
    attempt = attempt_start(quiz=make_quiz(), user=learner_client.learner)
    fill = positions(attempt)["fillblank"]
    for raw in (
        f'{{"answers": {{"{fill}": {{"text": "a"}}, "{fill}": {{"text": "b"}}}}}}',
        f'{{"answers": {{"{fill}": {{"text": "a", "text": "b"}}}}}}',
    ):
        response = learner_client.post(
            reverse("quizzes:autosave", args=[attempt.pk]), data=raw, content_type="application/json"
        )
        assert response.status_code == 400 and "appears twice" in response.json()["error"]
    assert not SavedAnswer.objects.exists()


# ---------------------------------------------------------------------------- 4. finish time


def test_the_overdue_finaliser_records_the_deadline_as_the_finish_time(db):
    learner = UserFactory()
    start = timezone.now() - timedelta(minutes=20)
    attempt = attempt_start(quiz=make_quiz(time_limit_minutes=10), user=learner, now=start)
    run_at = attempt.deadline + timedelta(seconds=330)
    assert attempts_finalise_overdue(now=run_at) == 1
    attempt.refresh_from_db()
    assert attempt.closed_by == Attempt.ClosedBy.DEADLINE
    assert attempt.submitted_at == attempt.deadline
    assert AttemptGrade.objects.get(attempt=attempt).graded_at == run_at  # when it was processed


def test_a_submit_within_the_grace_period_finishes_at_the_deadline(db):
    learner = UserFactory()
    start = timezone.now() - timedelta(minutes=10, seconds=20)
    attempt = attempt_start(quiz=make_quiz(time_limit_minutes=10), user=learner, now=start)
    late = attempt.deadline + timedelta(seconds=20)  # within QUIZ_GRACE_SECONDS (30): answers count
    grade = attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt), now=late)
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline
    assert grade.percent == 100


def test_a_submit_in_time_finishes_when_it_was_sent(db):
    learner = UserFactory()
    start = timezone.now() - timedelta(minutes=2)
    attempt = attempt_start(quiz=make_quiz(time_limit_minutes=10), user=learner, now=start)
    now = start + timedelta(minutes=2)
    attempt_submit(attempt_id=attempt.pk, user=learner, now=now)
    attempt.refresh_from_db()
    assert attempt.submitted_at == now
