from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseProgress
from courses.services import step_complete
from reports.charts import bar_chart, line_chart
from reports.selectors import SORTS, clean_sort
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_bar_chart_scales_percentages_and_keeps_every_value_as_text():
    chart = bar_chart([("预算科", Decimal("50.0")), ("国库科", Decimal("100")), ("空科室", None)])
    widths = [bar.width for bar in chart.bars]
    assert widths[1] == 2 * widths[0] and widths[2] == 0
    assert [bar.value for bar in chart.bars] == [Decimal("50.0"), Decimal("100"), None]
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y


def test_line_chart_puts_the_largest_month_at_the_top_and_zero_on_the_axis():
    chart = line_chart([("2026-01", 0), ("2026-02", 4), ("2026-03", 2)])
    assert chart.points[0].y == chart.bottom and chart.points[1].y == chart.top
    assert chart.points[0].x == chart.left and chart.points[-1].x == chart.right
    assert chart.polyline.count(",") == 3


def test_line_chart_of_an_empty_year_draws_a_flat_line():
    chart = line_chart([(f"2026-{month:02d}", 0) for month in range(1, 13)])
    assert {point.y for point in chart.points} == {chart.bottom}


def test_overview_draws_both_charts_with_their_tables_and_no_inline_style(client, city, events):
    with events():
        step_complete(user=city.learners["budget"][0], step=city.steps[city.courses[0].pk][0])
        step_complete(user=city.learners["budget"][0], step=city.steps[city.courses[0].pk][1])
    client.force_login(city.finance_head)
    response = client.get(reverse("reports:overview"))
    html = response.content.decode()
    assert html.count("<svg") == 2 and "<pattern" in html and "<polyline" in html
    assert "Completion rate by sub-unit" in html and "Completions per month" in html
    assert "overdue = people past the due date of a course required of them" in html.lower()
    assert "css/reports.css" in html
    assert ' style="' not in html and "<style" not in html
    assert "<script>" not in html
    month = timezone.localdate().strftime("%b %Y")  # YEAR_MONTH_FORMAT in English: "Dec 2026"
    assert f'<th scope="row">{month}</th><td class="num">1</td>' in html
    # Budget: 2 learners + its head = 3 members × 2 courses; 1 completed → 16.7 %.
    assert "16.7%" in html


def test_course_drill_down_paginates_fifty_learners_a_page(client, city):
    UserFactory.create_batch(60, department=city.budget)
    client.force_login(city.budget_head)
    url = reverse("reports:course", args=[city.courses[0].pk])
    first = client.get(url).content.decode()
    assert first.count('href="/reports/learners/') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('href="/reports/learners/') == 63 - 50  # 60 + 2 learners + the head


def test_course_drill_down_filters_by_status_and_last_activity(client, city, events):
    course = city.courses[0]
    done, started = city.learners["budget"]
    with events():
        for step in city.steps[course.pk]:
            step_complete(user=done, step=step)
        step_complete(user=started, step=city.steps[course.pk][0])
    idle = UserFactory(department=city.budget, display_name="未开始的学员")
    CourseProgress.objects.filter(user=started).update(last_activity_at=timezone.now() - timezone.timedelta(days=40))
    client.force_login(city.budget_head)
    url = reverse("reports:course", args=[course.pk])

    def shown(**params):
        html = client.get(url, params).content.decode()
        return {person.display_name for person in (done, started, idle) if person.display_name in html}

    assert shown(status="completed") == {done.display_name}
    assert shown(status="in_progress") == {started.display_name}
    assert shown(status="not_started") == {idle.display_name}
    recent = (timezone.localdate() - timezone.timedelta(days=7)).isoformat()
    assert shown(date_from=recent) == {done.display_name}
    assert shown(date_to=recent) == {started.display_name}


@pytest.mark.parametrize("raw", ["name", "-percent", "department", "-activity"])
def test_sort_accepts_the_allow_listed_columns(raw):
    assert clean_sort(raw) == raw


@pytest.mark.parametrize("raw", ["password", "--name", "-", "", None, "department__path", "name;drop"])
def test_sort_ignores_anything_else(raw):
    assert clean_sort(raw) == "name"


def test_sorting_by_percent_descending_puts_the_furthest_learner_first(client, city, events):
    course = city.courses[0]
    done, started = city.learners["budget"]
    with events():
        for step in city.steps[course.pk]:
            step_complete(user=done, step=step)
        step_complete(user=started, step=city.steps[course.pk][0])
    idle = UserFactory(department=city.budget, display_name="未开始的学员")
    client.force_login(city.budget_head)
    html = client.get(reverse("reports:course", args=[course.pk]), {"sort": "-percent"}).content.decode()
    assert html.index(done.display_name) < html.index(started.display_name) < html.index(idle.display_name)
    html = client.get(reverse("reports:course", args=[course.pk]), {"sort": "percent"}).content.decode()
    assert html.index(idle.display_name) < html.index(started.display_name) < html.index(done.display_name)
    assert set(SORTS) >= {"name", "percent", "score", "attempts", "activity", "status", "department"}


def test_learner_drill_down_lists_courses_steps_and_quiz_attempts(client, city, events):
    course = city.courses[0]
    person = city.learners["budget"][0]
    with events():
        step_complete(user=person, step=city.steps[course.pk][0])
    client.force_login(city.budget_head)
    html = client.get(reverse("reports:learner", args=[person.pk])).content.decode()
    assert course.title in html
    assert city.steps[course.pk][0].title in html and city.steps[course.pk][1].title in html
    assert "No quiz attempt yet." in html


def test_learner_drill_down_shows_make_up_attempts_apart(client, city):
    from quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import make_quiz, right_answers

    person = city.learners["budget"][0]
    quiz = make_quiz(attempts_allowed=1, makeup_attempts=1)
    first = attempt_start(quiz=quiz, user=person)
    attempt_submit(attempt_id=first.pk, user=person, answers={})
    makeup = attempt_start(quiz=quiz, user=person)
    attempt_submit(attempt_id=makeup.pk, user=person, answers=right_answers(makeup))
    client.force_login(city.budget_head)
    html = client.get(reverse("reports:learner", args=[person.pk])).content.decode()
    assert html.count("data-makeup") == 1
    rows = [row for row in html.split("<tr>") if "信息安全测验" in row]
    assert "data-makeup" not in rows[0] and "data-makeup" in rows[1] and "Passed" in rows[1]
