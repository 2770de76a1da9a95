"""Issue 13 part 2: a video's watched ranges are recorded on the server, believed only as far as
they could have played in the time the beats earned, and only watched seconds count towards the
step's minimum: seeking ahead leaves a gap that does not count."""

import json

import pytest
from django.urls import reverse

from courses.models import StepCompletion
from studytime.models import VideoWatch
from studytime.rules import ranges_accept, ranges_merge, ranges_seconds
from studytime.selectors import step_watched_seconds
from studytime.services import page_view_start, study_time_flush
from tests.factories import UserFactory, build_course, course_steps
from tests.studytime.test_beats import clock  # noqa: F401  (the fake clock fixture)

pytestmark = pytest.mark.django_db

VIDEO_LENGTH = 120


def test_ranges_merge_and_count_within_the_length():
    assert ranges_merge([(30, 60), (0, 30), (50, 70), (90, 90)]) == [(0.0, 70.0)]
    assert ranges_seconds([(0, 30), (100, 150)], length=120) == 50


def test_a_beat_keeps_no_more_video_than_could_have_played():
    # 30 s earned at twice the speed at most: 60 s of video, in the order sent.
    assert ranges_accept([(0, 0, 50), (0, 50, 120)], lengths=[120], budget_seconds=60) == [(0, 0.0, 50.0), (0, 50.0, 60.0)]
    # A video the page does not have, and a range past the video's end, are dropped.
    assert ranges_accept([(3, 0, 10), (0, 130, 140)], lengths=[120], budget_seconds=60) == []


@pytest.fixture
def video_step(catalogue):
    course = build_course(catalogue, steps=2)
    step = course_steps(course)[0]
    step.body.append(("video", {"title": "演示", "url": "https://media.example/v.mp4", "duration": VIDEO_LENGTH}))
    step.save()
    return course, step


@pytest.fixture
def viewer(client, video_step):
    person = UserFactory(username="viewer")
    client.force_login(person)
    course, step = video_step
    view = page_view_start(user_id=person.pk, step_id=step.pk, course_id=course.pk, videos=[VIDEO_LENGTH])
    state = {"seq": 0}

    def beat(video=()):
        state["seq"] += 1
        body = {"token": view["token"], "step": step.pk, "seq": state["seq"], "fresh": False, "video": list(video)}
        return client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json")

    return person, beat


def test_seeking_ahead_does_not_count(client, clock, video_step, viewer, settings):  # noqa: F811
    settings.STUDY_TIME_MODE = "enforce"
    course, step = video_step
    person, beat = viewer
    beat()  # the page opens
    for start in (0, 30):  # plays the first minute
        clock.advance(30)
        assert beat([[0, start, start + 30]]).status_code == 200
    clock.advance(30)
    beat([[0, 100, 120]])  # then seeks ahead to 1:40 and plays to the end
    for _ in range(4):  # and stays on the page long enough for the whole minimum
        clock.advance(30)
        beat()
    assert step_watched_seconds(user_id=person.pk, step_id=step.pk, course_id=course.pk, lengths=[VIDEO_LENGTH]) == [80]
    response = client.post(reverse("courses:step_complete", args=[step.pk]), follow=True)
    assert not StepCompletion.objects.filter(user=person, step_id=step.pk).exists()
    assert "Study this step for 40 more seconds" in response.content.decode()

    study_time_flush()  # the gap stays a gap once written
    row = VideoWatch.objects.get(user=person, step=step)
    assert (row.ranges, row.watched_seconds) == ([[0.0, 60.0], [100.0, 120.0]], 80)

    clock.advance(30)
    beat([[0, 60, 90]])
    clock.advance(30)
    beat([[0, 90, 100]])  # the gap played: the whole video watched
    client.post(reverse("courses:step_complete", args=[step.pk]))
    assert StepCompletion.objects.filter(user=person, step_id=step.pk).exists()


def test_a_beat_claiming_the_whole_video_after_half_a_minute_gets_a_minute(clock, video_step, viewer):  # noqa: F811
    course, step = video_step
    person, beat = viewer
    beat([[0, 0, 120]])  # the first beat earns nothing, so its ranges count nothing
    clock.advance(30)
    beat([[0, 0, 120]])
    study_time_flush()
    assert VideoWatch.objects.get(user=person, step=step).watched_seconds == 60


@pytest.mark.parametrize("video", [[[0, 0]], [["0", 0, 1]], [[0, -1, 5]], "0-10", [[0, 0, 1]] * 51])
def test_malformed_ranges_are_a_400(client, video_step, viewer, video):
    _person, _beat = viewer
    course, step = video_step
    body = {"token": "x", "step": step.pk, "seq": 1, "video": video}
    response = client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
