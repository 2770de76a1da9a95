"""Issue 13 part 1, "while a lesson or quiz page is visible": an open attempt's page beats for the
quiz step it was taken from, in that step's course; a quiz placed in no course beats for nothing."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import QuizStepPage
from quizzes.models import QuestionCategory, Quiz, QuizSlot
from quizzes.services import attempt_start, question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from studytime import ledger
from studytime.models import StudyTime
from studytime.services import study_time_flush
from tests.factories import UserFactory, build_course
from tests.studytime.test_beats import Clock

pytestmark = pytest.mark.django_db


def one_question_quiz(title="心跳测验"):
    question = question_create(
        spec=QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="离开座位前应按哪个快捷键锁屏？",
            choices=(ChoiceSpec("", "Win+L", True), ChoiceSpec("", "Ctrl+C", False)),
        ),
        category=QuestionCategory.objects.create(name=title),
    )
    quiz = Quiz.objects.create(title=title, pass_mark_percent=Decimal("60"), shuffle_choices=False)
    QuizSlot.objects.create(quiz=quiz, question=question, sort_order=0)
    return quiz


def token_of(html: str) -> tuple[str, int] | None:
    found = re.search(r'data-token="([^"]+)" data-step="(\d+)"', html)
    return (found.group(1), int(found.group(2))) if found else None


def test_an_attempt_page_beats_for_its_quiz_step_and_earns_time(client, catalogue, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ledger, "_now_ms", clock)
    course = build_course(catalogue, steps=1, slug="quiz-beats")
    course.refresh_from_db()
    step = course.add_child(instance=QuizStepPage(title="随堂测验", slug="check", quiz=one_question_quiz()))
    learner = UserFactory(username="quiz-beater")
    client.force_login(learner)
    attempt = attempt_start(quiz=step.quiz, user=learner)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk]), {"next": step.url})
    html = page.content.decode()
    assert "js/studytime.js" in html
    token, step_id = token_of(html)
    assert step_id == step.pk
    for seq in range(1, 4):
        body = {"token": token, "step": step_id, "seq": seq}
        assert client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json").status_code == 200
        clock.advance(30)
    study_time_flush()
    row = StudyTime.objects.get(user=learner)
    assert (row.step_id, row.course_id, row.active_ms) == (step.pk, course.pk, 60_000)


def test_a_quiz_in_no_course_beats_for_nothing(client):
    learner = UserFactory(username="loose-quiz")
    client.force_login(learner)
    attempt = attempt_start(quiz=one_question_quiz("散题"), user=learner)
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert token_of(html) is None and "js/studytime.js" not in html
