"""Issue 13 part 2 in Chromium: a learner plays part of a step's video; the server records the
part played (not the whole video), and what was skipped stays unwatched. The "video" is a short
WAV tone served to the page by Playwright (Chromium plays audio in a <video> element)."""

import io
import math
import struct
import time
import wave

import pytest

from studytime.models import VideoWatch
from studytime.services import study_time_flush
from tests.browser.test_study_time import PASSWORD, wait_for
from tests.factories import UserFactory, build_course, course_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LENGTH = 30


def tone_wav(seconds: int) -> bytes:
    rate = 8000
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate))) for n in range(rate * seconds))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


def serve_with_ranges(route, body: bytes):
    """Answer byte-range requests as a media server does, so the player can seek."""
    asked = route.request.headers.get("range", "")
    headers = {"Accept-Ranges": "bytes", "Content-Type": "audio/wav"}
    if not asked.startswith("bytes="):
        route.fulfill(status=200, body=body, headers=headers)
        return
    first, _sep, last = asked[len("bytes=") :].partition("-")
    start, end = int(first or 0), min(int(last) if last else len(body) - 1, len(body) - 1)
    headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
    route.fulfill(status=206, body=body[start : end + 1], headers=headers)


def test_a_learner_plays_part_of_a_video_and_only_that_part_counts(visitor, settings, catalogue):
    settings.STUDY_TIME_BEAT_SECONDS = 1
    course = build_course(catalogue, steps=2)
    step = course_steps(course)[0]
    video_url = f"{visitor.base_url}/media/demo-tone.wav"
    step.body.append(("video", {"title": "演示", "url": video_url, "duration": LENGTH}))
    step.save()
    learner = UserFactory(username="watcher")
    sound = tone_wav(LENGTH)
    visitor.page.route("**/media/demo-tone.wav", lambda route: serve_with_ranges(route, sound))
    visitor.log_in("watcher", PASSWORD)
    visitor.goto(step.url)
    video = visitor.page.locator(".block-video video")
    video.evaluate("v => new Promise(r => v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r))")
    # Skip the first ten seconds, play about four, then stop: 10-14 s watched, the rest not.
    video.evaluate("v => { v.muted = true; v.currentTime = 10; return v.play(); }")
    time.sleep(4)
    video.evaluate("v => v.pause()")

    def recorded():
        study_time_flush()
        row = VideoWatch.objects.filter(user=learner, step=step).first()
        return row is not None and row.watched_seconds >= 3 and row

    assert wait_for(recorded)
    time.sleep(2.5)  # a beat or two more: nothing new is played, nothing new is counted
    row = recorded()
    assert (row.course_id, row.video_index) == (course.pk, 0)
    assert 3 <= row.watched_seconds <= 6
    start, end = row.ranges[0]
    assert len(row.ranges) == 1 and 9.5 <= start <= 10.5 and end <= 16
    visitor.check_page()
