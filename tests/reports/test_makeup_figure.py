"""The per-course make-up figure (补考, issue 14 item 4): learners who passed a course's quiz in a
make-up sitting, kept on CourseProgress by the grading receiver, summed into the stored department
summaries, shown and exported apart, rebuilt and verified like every other figure."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import CourseProgress, QuizStepPage
from courses.services import step_complete
from quizzes.services import attempt_grade_override, attempt_start, attempt_submit
from records.services import records_verify
from reports.models import DepartmentCourseSummary
from reports.services import summaries_compute, summaries_mismatches, summaries_stored
from tests.quizzes.conftest import make_quiz, right_answers
from tests.reports.test_exports import csv_rows, download, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(city):
    """A quiz step in the first course: one regular attempt, then one make-up sitting."""
    quiz = make_quiz(attempts_allowed=1, makeup_attempts=1)
    city.courses[0].add_child(instance=QuizStepPage(title="结业测验", slug="final-exam", quiz=quiz))
    return quiz


def sit(quiz, person, *, passes: bool, events):
    attempt = attempt_start(quiz=quiz, user=person)
    with events():
        attempt_submit(attempt_id=attempt.pk, user=person, answers=right_answers(attempt) if passes else {})
    return attempt


def summary(city, department):
    return DepartmentCourseSummary.objects.get(department=department, course=city.courses[0])


def test_a_make_up_pass_counts_once_and_a_regular_pass_not_at_all(city, exam, events):
    makeup_passer, regular_passer = city.learners["budget"]
    sit(exam, makeup_passer, passes=False, events=events)
    second = sit(exam, makeup_passer, passes=True, events=events)
    assert second.is_makeup
    sit(exam, regular_passer, passes=True, events=events)
    passed = dict(CourseProgress.objects.filter(course=city.courses[0]).values_list("user_id", "makeup_passed"))
    assert passed == {makeup_passer.pk: True, regular_passer.pk: False}
    assert summary(city, city.budget).makeup_passed == 1
    # The receiver recomputes rather than counts signals: grading again (an override that keeps
    # the pass) changes nothing, and one that fails the make-up attempt takes the learner out.
    full = second.questions.get(position=1).version.spec["mark"]
    with events():
        attempt_grade_override(attempt=second, position=1, score=Decimal(full), reason="复核", user=city.admin)
    assert summary(city, city.budget).makeup_passed == 1
    with events():
        for position in range(1, second.questions.count() + 1):
            attempt_grade_override(attempt=second, position=position, score=Decimal(0), reason="作弊", user=city.admin)
    assert summary(city, city.budget).makeup_passed == 0
    assert not CourseProgress.objects.filter(makeup_passed=True).exists()


def test_a_failed_make_up_sitting_is_not_a_make_up_pass(city, exam, events):
    person = city.learners["budget"][0]
    with events():
        step_complete(user=person, step=city.steps[city.courses[0].pk][0])
    sit(exam, person, passes=False, events=events)
    sit(exam, person, passes=False, events=events)
    assert CourseProgress.objects.get(user=person, course=city.courses[0]).makeup_passed is False
    assert summary(city, city.budget).makeup_passed == 0


def test_the_rebuild_gives_the_same_numbers(city, exam, events):
    for person in (*city.learners["budget"], city.learners["police"][0]):
        sit(exam, person, passes=False, events=events)
        sit(exam, person, passes=True, events=events)
    sit(exam, city.learners["police"][1], passes=True, events=events)
    stored = summaries_stored()
    assert summaries_mismatches(summaries_compute(), stored) == []
    assert {key: row["makeup_passed"] for key, row in stored.summaries.items()} == {
        (city.budget.pk, city.courses[0].pk): 2,
        (city.police.pk, city.courses[0].pk): 1,
    }
    DepartmentCourseSummary.objects.all().delete()
    call_command("reports_recompute")
    assert summary(city, city.budget).makeup_passed == 2 and summary(city, city.police).makeup_passed == 1


def test_records_verify_catches_a_wrong_count_and_repairs_it(city, exam, events):
    person = city.learners["budget"][0]
    sit(exam, person, passes=False, events=events)
    sit(exam, person, passes=True, events=events)
    assert records_verify().clean
    DepartmentCourseSummary.objects.filter(department=city.budget).update(makeup_passed=5)
    result = records_verify()
    assert not result.clean
    assert any("makeup_passed" in problem for problem in result.problems), result.problems
    DepartmentCourseSummary.objects.filter(department=city.budget).update(makeup_passed=1)
    CourseProgress.objects.filter(user=person).update(makeup_passed=False)
    result = records_verify()
    assert any("make-up sitting" in problem for problem in result.problems), result.problems
    with events():
        records_verify(repair=True)
    assert CourseProgress.objects.get(user=person).makeup_passed is True
    assert records_verify().clean


def test_each_head_sees_the_figure_of_their_own_scope_only(client, city, exam, events):
    sit(exam, city.learners["budget"][0], passes=False, events=events)
    sit(exam, city.learners["budget"][0], passes=True, events=events)
    sit(exam, city.learners["police"][0], passes=False, events=events)
    sit(exam, city.learners["police"][0], passes=True, events=events)
    sit(exam, city.learners["police"][1], passes=False, events=events)
    sit(exam, city.learners["police"][1], passes=True, events=events)

    def course_row_figure(viewer) -> str:
        client.force_login(viewer)
        html = client.get(reverse("reports:overview")).content.decode()
        row = next(row for row in html.split("<tr>") if "课程1" in row and "data-figure" in row)
        return row.split('data-figure="makeup-passed">')[1].split("<")[0]

    assert course_row_figure(city.budget_head) == "1"
    assert course_row_figure(city.finance_head) == "1"
    assert course_row_figure(city.police_head) == "2"
    assert course_row_figure(city.admin) == "3"
    # The sub-unit table and both exports carry the same figure, in the head's scope.
    header, *rows = csv_rows(download(client, city.finance_head, "overview_courses", "csv"))
    column = header.index("Passed in a make-up sitting")
    assert {row[0]: row[column] for row in rows} == {"课程1": "1", "课程2": "0"}
    header, *rows = xlsx_rows(download(client, city.police_head, "overview_courses", "xlsx"))
    header = [cell.value for cell in header]
    assert [row[header.index("Passed in a make-up sitting")].value for row in rows] == [2, 0]
    header, *rows = csv_rows(download(client, city.finance_head, "overview_units", "csv"))
    column = header.index("Passed in a make-up sitting")
    assert sum(int(row[column]) for row in rows) == 1
