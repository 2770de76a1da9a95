"""Issue 13 parts 1, 2 and 5 through the endpoints and services: heartbeats earn server-measured
time once per person, refuse replays and forgeries, write nothing to the database, and are
flushed exactly; "Mark as done" waits for a step's minimum when enforced."""

import json

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import StepCompletion
from studytime import ledger, services
from studytime.models import StudyTime, StudyTimeFlush
from studytime.selectors import step_verified_seconds, verified_seconds_by_course, verified_seconds_by_step
from studytime.services import page_view_start, study_time_flush
from tests.factories import UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.ms = 1_000_000_000

    def advance(self, seconds: float):
        self.ms += int(seconds * 1000)

    def __call__(self):
        return self.ms


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(ledger, "_now_ms", fake)
    return fake


@pytest.fixture
def lesson(catalogue):
    course = build_course(catalogue, steps=2)
    return course, course_steps(course)[0]


@pytest.fixture
def learner(client):
    person = UserFactory(username="beat-learner")
    client.force_login(person)
    return person


class Tab:
    """One page view of a step, beating as static/js/studytime.js does."""

    def __init__(self, client, person, course, step):
        self.client, self.step = client, step
        self.view = page_view_start(user_id=person.pk, step_id=step.pk, course_id=course.pk)
        self.seq = 0

    def beat(self, *, seq=None, step=None, token=None, fresh=False):
        self.seq = seq if seq is not None else self.seq + 1
        body = {
            "token": token or self.view["token"],
            "step": step or self.step.pk,
            "seq": self.seq,
            "fresh": fresh,
        }
        return self.client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json")


def credited(response) -> int:
    return response.json()["credited_ms"] if response.status_code == 200 else 0


def test_a_page_view_earns_the_time_between_its_beats(client, clock, lesson, learner):
    course, step = lesson
    tab = Tab(client, learner, course, step)
    assert credited(tab.beat()) == 0
    for _ in range(4):
        clock.advance(30)
        assert credited(tab.beat()) == 30_000
    assert step_verified_seconds(user_id=learner.pk, step_id=step.pk, course_id=course.pk) == 120
    assert study_time_flush() == 1
    assert StudyTime.objects.get(user=learner, step_id=step.pk).active_ms == 120_000
    assert step_verified_seconds(user_id=learner.pk, step_id=step.pk, course_id=course.pk) == 120
    assert verified_seconds_by_course(course_id=course.pk) == {learner.pk: 120}
    assert verified_seconds_by_step(step_ids=[step.pk]) == {(learner.pk, step.pk): 120}


def test_two_tabs_earn_no_more_than_one(client, clock, lesson, learner):
    course, step = lesson
    first, second = Tab(client, learner, course, step), Tab(client, learner, course, step)
    total = credited(first.beat())
    clock.advance(15)
    total += credited(second.beat())
    for _ in range(10):
        clock.advance(15)
        total += credited(first.beat())
        clock.advance(15)
        total += credited(second.beat())
    # 315 s from the first beat to the last, earned once.
    assert total == 315_000


def test_a_hidden_gap_earns_nothing(client, clock, lesson, learner):
    course, step = lesson
    tab = Tab(client, learner, course, step)
    tab.beat()
    clock.advance(30)
    assert credited(tab.beat()) == 30_000
    clock.advance(600)  # hidden: the page sent nothing for ten minutes
    assert credited(tab.beat()) == 0
    clock.advance(30)
    assert credited(tab.beat(fresh=True)) == 0  # the page says it was hidden before this beat


def test_a_client_beating_every_second_for_a_minute_earns_at_most_a_minute(client, clock, lesson, learner):
    course, step = lesson
    tabs = [Tab(client, learner, course, step) for _ in range(30)]  # and a new page view each second
    total = 0
    for second in range(61):
        total += credited(tabs[0].beat())
        total += credited(tabs[second % 30].beat())
        clock.advance(1)
    assert 0 < total <= 60_000


def test_replayed_and_forged_beats_earn_nothing(client, clock, lesson, learner):
    course, step = lesson
    other_step = course_steps(course)[1]
    tab = Tab(client, learner, course, step)
    tab.beat()
    clock.advance(30)
    assert credited(tab.beat()) == 30_000
    clock.advance(30)
    replay = tab.beat(seq=tab.seq)
    assert (replay.status_code, replay.json()["reason"]) == (409, "replay")
    forged_step = tab.beat(step=other_step.pk)
    assert (forged_step.status_code, forged_step.json()["reason"]) == (403, "invalid")
    tampered = tab.beat(token=tab.view["token"][:-2] + "xx")
    assert tampered.status_code == 403
    someone_else = UserFactory(username="beat-other")
    theirs = page_view_start(user_id=someone_else.pk, step_id=step.pk, course_id=course.pk)["token"]
    assert tab.beat(token=theirs).status_code == 403
    unsigned = signing.dumps([learner.pk, step.pk, course.pk, "made-up"], salt="another.salt")
    assert tab.beat(token=unsigned).status_code == 403
    assert client.post(reverse("studytime:beat"), "not json", content_type="application/json").status_code == 400
    assert study_time_flush() == 1
    assert StudyTime.objects.get().active_ms == 30_000


def test_an_expired_token_earns_nothing(client, clock, lesson, learner, settings):
    course, step = lesson
    settings.STUDY_TIME_TOKEN_MAX_AGE = -1
    response = Tab(client, learner, course, step).beat()
    assert (response.status_code, response.json()["reason"]) == (403, "expired")


def test_a_beat_needs_a_signed_in_person_and_a_post(client, lesson):
    assert client.post(reverse("studytime:beat"), "{}", content_type="application/json").status_code == 403
    assert client.get(reverse("studytime:beat")).status_code == 405


def test_a_heartbeat_writes_nothing_to_the_database(client, clock, lesson, learner):
    course, step = lesson
    tab = Tab(client, learner, course, step)
    tab.beat()  # the first request after signing in records the session
    clock.advance(30)
    with CaptureQueriesContext(connection) as captured:
        assert credited(tab.beat()) == 30_000
    writes = [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
    assert writes == []


def earn(client, clock, person, course, step, seconds):
    tab = Tab(client, person, course, step)
    tab.beat()
    for _ in range(seconds // 30):
        clock.advance(30)
        tab.beat()


def test_a_flush_run_twice_writes_once(client, clock, lesson, learner):
    course, step = lesson
    earn(client, clock, learner, course, step, 60)
    assert study_time_flush() == 1
    assert study_time_flush() == 0
    earn(client, clock, learner, course, step, 30)
    assert study_time_flush() == 1
    assert StudyTime.objects.get().active_ms == 90_000


def test_the_flush_is_exact_after_a_crash_between_read_and_write(client, clock, lesson, learner, monkeypatch):
    course, step = lesson
    earn(client, clock, learner, course, step, 60)
    real_write = services._flush_write

    def crash(**kwargs):
        raise RuntimeError("worker killed after reading the batch")

    monkeypatch.setattr(services, "_flush_write", crash)
    with pytest.raises(RuntimeError):
        study_time_flush()
    assert not StudyTime.objects.exists()
    # Beats go on meanwhile, into a new pending batch; the claimed one waits for the next flush.
    earn(client, clock, learner, course, step, 30)
    assert step_verified_seconds(user_id=learner.pk, step_id=step.pk, course_id=course.pk) == 90
    monkeypatch.setattr(services, "_flush_write", real_write)
    assert study_time_flush() == 1  # the claimed batch
    assert study_time_flush() == 1  # then the one that came after
    assert study_time_flush() == 0
    assert StudyTime.objects.get().active_ms == 90_000


def test_the_flush_is_exact_after_a_crash_between_write_and_release(client, clock, lesson, learner, monkeypatch):
    course, step = lesson
    earn(client, clock, learner, course, step, 60)
    active = ledger.get_ledger()

    def crash(batch_id):
        raise RuntimeError("worker killed after the commit")

    monkeypatch.setattr(active, "flush_release", crash)
    with pytest.raises(RuntimeError):
        study_time_flush()
    assert StudyTime.objects.get().active_ms == 60_000
    # The written batch is still claimed in the ledger: counted once, not twice.
    assert step_verified_seconds(user_id=learner.pk, step_id=step.pk, course_id=course.pk) == 60
    monkeypatch.undo()
    monkeypatch.setattr(ledger, "_now_ms", clock)
    assert study_time_flush() == 0  # found written: only released
    assert study_time_flush() == 0
    assert StudyTime.objects.get().active_ms == 60_000
    assert StudyTimeFlush.objects.count() == 1


@pytest.fixture
def enforced(settings):
    settings.STUDY_TIME_MODE = "enforce"


def test_mark_done_before_the_minimum_is_refused_and_after_it_succeeds(client, clock, lesson, learner, enforced):
    course, step = lesson
    assert step.minimum_study_seconds > 0
    complete = reverse("courses:step_complete", args=[step.pk])
    response = client.post(complete, follow=True)
    assert not StepCompletion.objects.filter(user=learner).exists()
    assert response.redirect_chain[0][0] == step.url
    minimum = step.minimum_study_seconds
    assert f"Study this step for {minimum} more second" in response.content.decode()
    earn(client, clock, learner, course, step, 30 * (minimum // 30 + 1))
    response = client.post(complete)
    assert response.status_code == 302
    assert StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()


def test_the_refusal_says_how_many_minutes_are_left(client, clock, lesson, learner, enforced, settings):
    course, step = lesson
    settings.STUDY_TIME_ZH_CHARS_PER_MINUTE = 5  # about 20 characters: four minutes
    minutes = -(-step.minimum_study_seconds // 60)
    response = client.post(reverse("courses:step_complete", args=[step.pk]), follow=True)
    assert f"Study this step for {minutes} more minutes before marking it as done." in response.content.decode()


def test_record_only_refuses_nothing(client, lesson, learner, settings):
    settings.STUDY_TIME_MODE = "record-only"
    course, step = lesson
    client.post(reverse("courses:step_complete", args=[step.pk]))
    assert StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()


def test_videos_count_their_length_towards_the_minimum(lesson):
    _course, step = lesson
    before = step.minimum_study_seconds
    step.body.append(("video", {"title": "演示", "url": "https://media.example/v.mp4", "transcript": "很长的文字稿" * 50, "duration": 240}))
    del step.minimum_study_seconds
    # The title is read (two characters), the transcript is not: it stands in for the video.
    assert step.minimum_study_seconds == pytest.approx(before + 240, abs=2)
