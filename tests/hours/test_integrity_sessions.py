"""Issue 13 part 4: overlapping sessions and heartbeats at machine-regular intervals in the heads'
integrity report, from the page views the flush stores; found on constructed data and not on honest
data; a head sees their own units only."""

import json
import secrets
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.scope import Scope
from hours.integrity import findings
from hours.models import HourEntry, IntegrityReview
from studytime import ledger
from studytime.models import PageView
from studytime.services import page_view_start, study_time_flush
from tests.factories.reports import build_city
from tests.hours.test_integrity import complete
from tests.studytime.test_beats import Clock

pytestmark = pytest.mark.django_db

EVERYONE = Scope(everything=True)


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_city(catalogue, courses=2)


def view(user, city, *, course=0, step=0, start=None, minutes=20, gaps=None, overlap_minutes=0):
    """A stored page view: beats every 30 s with these gaps (ms), or a person's jitter."""
    course_page = city.courses[course]
    start = start or timezone.now() - timedelta(hours=2)
    if gaps is None:
        gaps = [27_000 + (n * 2_477) % 6_000 for n in range(minutes * 2)]
    return PageView.objects.create(
        view_id=secrets.token_urlsafe(12),
        user=user,
        step=city.steps[course_page.pk][step],
        course=course_page,
        started_at=start,
        last_beat_at=start + timedelta(milliseconds=sum(gaps)),
        beats=len(gaps) + 1,
        gaps=len(gaps),
        gap_sum_ms=sum(gaps),
        gap_sq_ms=sum(gap * gap for gap in gaps),
        overlap_ms=overlap_minutes * 60_000,
        credited_ms=sum(gaps) - overlap_minutes * 60_000,
    )


def test_honest_page_views_make_no_finding(city):
    learner = city.learners["budget"][0]
    view(learner, city)
    view(learner, city, course=1, overlap_minutes=1)  # a minute on two screens is not a finding
    assert findings(scope=EVERYONE) == []


def test_overlapping_sessions_are_found_per_person_and_day(city, settings):
    settings.STUDY_TIME_OVERLAP_MINUTES = 10
    learner = city.learners["budget"][0]
    start = timezone.now() - timedelta(hours=3)
    view(learner, city, start=start, overlap_minutes=6)
    view(learner, city, course=1, start=start + timedelta(minutes=1), overlap_minutes=6)
    found = findings(scope=EVERYONE)
    day = timezone.localtime(start).date().isoformat()
    assert [(f.kind, f.key, f.user_id, f.course_ids) for f in found] == [
        ("overlap", day, learner.pk, sorted(c.pk for c in city.courses))
    ]
    assert found[0].extra["overlap_minutes"] == 12 and "12" in found[0].detail
    settings.STUDY_TIME_OVERLAP_MINUTES = 13
    assert findings(scope=EVERYONE) == []


def test_heartbeats_at_machine_regular_intervals_are_found_per_course(city, settings):
    settings.STUDY_TIME_REGULAR_MIN_GAPS = 20
    settings.STUDY_TIME_REGULAR_MAX_SPREAD_MS = 250
    script, person = city.learners["budget"][0], city.learners["budget"][1]
    view(script, city, gaps=[30_000 + (n % 2) * 8 for n in range(30)])
    view(person, city)
    found = findings(scope=EVERYONE)
    assert [(f.kind, f.key, f.user_id) for f in found] == [("regular_beats", str(city.courses[0].pk), script.pk)]
    assert found[0].extra == {"beats": 30, "spread_ms": 4}
    settings.STUDY_TIME_REGULAR_MIN_GAPS = 31  # too few beats to tell
    assert findings(scope=EVERYONE) == []


def test_a_scripted_client_beating_like_a_clock_is_found_end_to_end(client, city, monkeypatch, settings):
    """Through the beat endpoint, the ledger and the flush: a steady script is found, a page with
    the browser's jitter is not."""
    clock = Clock()
    monkeypatch.setattr(ledger, "_now_ms", clock)
    settings.STUDY_TIME_REGULAR_MIN_GAPS = 20
    script, person = city.learners["budget"][0], city.learners["treasury"][0]
    course = city.courses[0]
    step = city.steps[course.pk][0]
    jitter = iter([27 + (n * 2.477) % 6 for n in range(40)])
    for who, wait in ((script, lambda: 30), (person, lambda: next(jitter))):
        client.force_login(who)
        token = page_view_start(user_id=who.pk, step_id=step.pk, course_id=course.pk)["token"]
        for seq in range(1, 27):
            body = {"token": token, "step": step.pk, "seq": seq}
            client.post(reverse("studytime:beat"), json.dumps(body), content_type="application/json")
            clock.advance(wait())
        clock.advance(3600)
    study_time_flush()
    assert [(f.kind, f.user_id) for f in findings(scope=EVERYONE)] == [("regular_beats", script.pk)]


def test_a_head_sees_overlaps_and_regular_beats_of_their_own_units_only(client, city, settings):
    settings.STUDY_TIME_OVERLAP_MINUTES = 5
    inside, outside = city.learners["treasury"][0], city.learners["police"][0]
    for person in (inside, outside):
        view(person, city, overlap_minutes=6)
        view(person, city, course=1, gaps=[30_000] * 25)
    client.force_login(city.finance_head)
    page = client.get(reverse("hours:integrity"))
    assert {(item["finding"].kind, item["finding"].user_id) for item in page.context["items"]} == {
        ("overlap", inside.pk),
        ("regular_beats", inside.pk),
    }
    assert outside.display_name not in page.content.decode()
    refused = client.post(
        reverse("hours:integrity_decide"),
        {"learner": outside.pk, "kind": "regular_beats", "key": city.courses[1].pk, "decision": "accepted"},
    )
    assert refused.status_code == 404
    client.force_login(city.budget_head)  # a section's head: the treasury section is a sibling
    assert client.get(reverse("hours:integrity")).context["items"] == []


def test_rejecting_the_hours_of_regular_beats_rejects_that_courses_hours(client, city):
    learner = city.learners["budget"][0]
    complete(learner, city, city.courses[0])
    complete(learner, city, city.courses[1])
    view(learner, city, gaps=[30_000] * 25)
    client.force_login(city.finance_head)
    response = client.post(
        reverse("hours:integrity_decide"),
        {
            "learner": learner.pk,
            "kind": "regular_beats",
            "key": city.courses[0].pk,
            "decision": "hours_rejected",
            "reason": "脚本心跳",
        },
    )
    assert response.status_code == 302
    entries = dict(HourEntry.objects.filter(user=learner).values_list("course_id", "review"))
    assert entries == {city.courses[0].pk: "rejected", city.courses[1].pk: "earned"}
    assert IntegrityReview.objects.get().kind == "regular_beats"


def test_the_learner_page_lists_findings_and_minutes_per_course_in_scope_only(client, city):
    from studytime.models import StudyTime

    learner, outside = city.learners["budget"][0], city.learners["police"][0]
    complete(learner, city, city.courses[0], honest=False)
    StudyTime.objects.create(user=learner, step=city.steps[city.courses[1].pk][0], course=city.courses[1], active_ms=754_000)
    view(learner, city, course=1, gaps=[30_000] * 25)
    client.force_login(city.finance_head)
    report = client.get(reverse("hours:integrity")).content.decode()
    url = reverse("hours:integrity_learner", args=[learner.pk])
    assert f'href="{url}"' in report
    page = client.get(url)
    assert page.status_code == 200
    assert {(item["finding"].kind, item["finding"].user_id) for item in page.context["items"]} == {
        ("too_fast", learner.pk),
        ("regular_beats", learner.pk),
    }
    minutes = {row["course_id"]: row["active_minutes"] for row in page.context["courses"]}
    assert minutes == {city.courses[0].pk: 0, city.courses[1].pk: 12}
    assert client.get(reverse("hours:integrity_learner", args=[outside.pk])).status_code == 404
    assert client.get(reverse("hours:integrity_learner", args=[999_999])).status_code == 404
    client.force_login(city.police_head)
    assert client.get(url).status_code == 404
    client.force_login(city.plain_learner)
    assert client.get(url).status_code == 403


def test_a_decision_from_the_learner_page_returns_to_it(client, city):
    learner = city.learners["budget"][0]
    complete(learner, city, city.courses[0], honest=False)
    client.force_login(city.finance_head)
    url = reverse("hours:integrity_learner", args=[learner.pk])
    data = {"learner": learner.pk, "kind": "too_fast", "key": city.courses[0].pk, "back": "learner"}
    refused = client.post(reverse("hours:integrity_decide"), {**data, "decision": "hours_rejected"})
    assert refused.status_code == 400 and refused.context["learner"] == learner
    response = client.post(reverse("hours:integrity_decide"), {**data, "decision": "accepted"})
    assert response.status_code == 302 and response["Location"] == url
    assert IntegrityReview.objects.get().decision == "accepted"
