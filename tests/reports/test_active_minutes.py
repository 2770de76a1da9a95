"""Issue 13 part 4: the course report, the learner report and My learning show each person's
verified active minutes per course (flushed study time), at a constant number of queries."""

import pytest
from django.urls import reverse

from courses.services import course_start, step_complete
from studytime.models import StudyTime

pytestmark = pytest.mark.django_db


def studied(person, city, course, *, seconds_per_step):
    for step in city.steps[course.pk]:
        StudyTime.objects.create(user=person, step=step, course=course, active_ms=seconds_per_step * 1000)


def test_the_course_report_shows_each_learners_active_minutes(client, city):
    course = city.courses[0]
    busy, idle = city.learners["budget"]
    course_start(user=busy, course=course)
    studied(busy, city, course, seconds_per_step=390)  # 13 minutes
    studied(busy, city, city.courses[1], seconds_per_step=3000)  # another course: not counted here
    client.force_login(city.finance_head)
    page = client.get(reverse("reports:course", args=[course.pk]), {"unit": city.budget.pk})
    shown = {row["pk"]: row["active_minutes"] for row in page.context["learners"]}
    assert (shown[busy.pk], shown[idle.pk]) == (13, 0)
    assert '<td class="num" data-active-minutes>13</td>' in page.content.decode()


def test_the_learner_report_shows_active_minutes_per_course(client, city, events):
    person = city.learners["treasury"][0]
    with events():
        step_complete(user=person, step=city.steps[city.courses[0].pk][0])
        course_start(user=person, course=city.courses[1])
    studied(person, city, city.courses[0], seconds_per_step=600)  # 20 minutes
    client.force_login(city.finance_head)
    page = client.get(reverse("reports:learner", args=[person.pk]))
    assert page.context["report"].active_minutes == {city.courses[0].pk: 20}
    text = page.content.decode()
    assert "Active minutes: 20" in text and "Active minutes: 0" in text


def test_my_learning_shows_active_minutes_per_course(client, city):
    person = city.learners["police"][0]
    course_start(user=person, course=city.courses[0])
    studied(person, city, city.courses[0], seconds_per_step=95)  # 190 s: 3 whole minutes
    client.force_login(person)
    page = client.get(reverse("courses:my_learning"))
    assert page.context["active_minutes"] == {city.courses[0].pk: 3}
    assert 'data-label="Active minutes">3</td>' in page.content.decode()


def test_the_course_and_learner_exports_carry_active_minutes(client, city, events):
    import csv
    import io

    course = city.courses[0]
    busy = city.learners["budget"][0]
    with events():
        course_start(user=busy, course=course)
    studied(busy, city, course, seconds_per_step=390)  # 13 minutes
    client.force_login(city.finance_head)

    def table(response):
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    rows = table(client.get(reverse("reports:export", args=["course_learners", "csv"]), {"course": course.pk}))
    assert rows[0][-1] == "Active minutes"
    assert {row[0]: row[-1] for row in rows[1:]}[busy.display_name] == "13"
    rows = table(client.get(reverse("reports:export", args=["learner", "csv"]), {"user": busy.pk}))
    assert rows[0][-1] == "Active minutes" and rows[1][-1] == "13"
