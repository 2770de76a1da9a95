"""One earned-hours figure everywhere: My learning, the course page, My hours, the certificate and
the head's learner report all show what hours.selectors.earned_course_hours gives (completion
plus final-exam bonus), and a course not completed yet shows what it will earn, saying so."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from courses.models import QuizStepPage
from courses.services import step_complete
from hours.models import HourEntry
from hours.selectors import earned_course_hours
from quizzes.services import attempt_start, attempt_submit
from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db

# A figure cell of a learner's list (on phones the cell also carries its column's label).
HOURS_CELL = re.compile(r'<td class="num"[^>]*>1\.50</td>')


@pytest.fixture
def final_course(catalogue):
    """One lesson, then the final exam as the last step: 1 hour for the course, 0.5 for the exam."""
    course = build_course(catalogue, steps=1, sequential=True, credit_hours=Decimal("1"), slug="with-final")
    course.add_child(
        instance=QuizStepPage(title="结业测验", slug="final", quiz=make_quiz(pass_mark_percent=60), kind="final_exam")
    )
    course.refresh_from_db()
    return course


def finish(user, course):
    """The lesson, then a passed final exam (which completes the course), as the services do."""
    step_complete(user=user, step=course_steps(course)[0])
    final = QuizStepPage.objects.child_of(course).get()
    attempt = attempt_start(quiz=final.quiz, user=user)
    attempt_submit(attempt_id=attempt.pk, user=user, answers=right_answers(attempt))


@pytest.fixture
def finished(final_course, learner):
    finish(learner, final_course)
    return final_course


def test_the_one_function_sums_completion_and_bonus_and_leaves_revoked_entries_out(finished, learner):
    assert earned_course_hours(user_ids=[learner.pk]) == {(learner.pk, finished.pk): Decimal("1.5")}
    HourEntry.objects.filter(source="quiz_bonus").update(revoked_at="2026-01-01T00:00:00Z")
    assert earned_course_hours(user_ids=[learner.pk]) == {(learner.pk, finished.pk): Decimal("1")}


def test_the_certificate_is_issued_with_the_bonus_of_a_final_exam_passed_as_the_last_step(finished, learner):
    # No on-commit callbacks run here: the figure is right at issue, not only once the PDF is drawn.
    certificate = Certificate.objects.get(user=learner)
    assert certificate.rendered_at is None
    assert certificate.hours == Decimal("1.5")


def test_my_learning_shows_the_hours_the_certificate_shows(client, finished, learner):
    client.force_login(learner)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert len(HOURS_CELL.findall(html)) == 1
    assert Certificate.objects.get(user=learner).hours == Decimal("1.5")
    certificates = client.get(reverse("certificates:mine")).content.decode()
    assert len(HOURS_CELL.findall(certificates)) == 1


def test_the_course_page_shows_the_earned_hours_once_completed(client, finished, learner):
    client.force_login(learner)
    html = client.get(finished.url).content.decode()
    assert "You earned 1.50 credit hours" in html
    assert "on completion" not in html


def test_before_completion_the_course_page_says_the_hours_are_what_completion_earns(client, final_course, learner):
    client.force_login(learner)
    html = client.get(final_course.url).content.decode()
    assert "Earns 1 credit hour on completion, +0.50 for passing the final exam" in html
    assert "You earned" not in html


def test_the_offered_hours_follow_the_ledgers_rules_not_the_raw_course_value(client, catalogue, learner):
    # No value set by the trainer: the course earns by its length (15-30 min = 0.5), as the ledger will.
    course = build_course(catalogue, steps=1, credit_hours=Decimal("0"), estimated_minutes=20, slug="by-length")
    client.force_login(learner)
    assert "Earns 0.50 credit hours on completion" in client.get(course.url).content.decode()
    catalogue_html = client.get(catalogue.url).content.decode()
    assert "Earns 0.50 credit hours on completion" in catalogue_html
    step_complete(user=learner, step=course_steps(course)[0])
    assert HourEntry.objects.get(user=learner).hours == Decimal("0.5")


def test_the_catalogue_shows_a_completed_courses_earned_hours(client, catalogue, finished, learner):
    client.force_login(learner)
    html = client.get(catalogue.url).content.decode()
    assert "You earned 1.50 credit hours" in html


def test_my_hours_shows_one_line_per_course_with_the_same_figure(client, finished, learner):
    client.force_login(learner)
    html = client.get(reverse("hours:mine")).content.decode()
    assert len(HOURS_CELL.findall(html)) == 1
    assert "Course completion 1 + Final exam passed 0.50" in html


def test_the_heads_learner_report_shows_the_same_figure(client, final_course):
    unit = DepartmentFactory()
    person = UserFactory(department=unit)
    head = UserFactory(department=unit, is_department_head=True)
    finish(person, final_course)
    client.force_login(head)
    html = client.get(reverse("reports:learner", args=[person.pk])).content.decode()
    assert "Credit hours earned: 1.50" in html


def test_no_template_shows_a_courses_raw_credit_value():
    # The rule (course value or length bands, plus the bonus) lives in hours; pages ask it.
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [path.name for path in templates.rglob("*.html") if ".credit_hours" in path.read_text()]
    assert offenders == []


def test_the_offered_hours_text_is_shared_but_follows_each_courses_figures_and_the_language(
    client, catalogue, final_course, learner
):
    """What a course offers is rendered once per figures and language ({% same_for %}): the next
    course with other figures, or the same page in Chinese, still gets its own text."""
    build_course(catalogue, steps=1, credit_hours=Decimal("2.5"), slug="longer")
    build_course(catalogue, steps=1, credit_hours=Decimal("1"), slug="same-value")
    client.force_login(learner)
    html = client.get(catalogue.url).content.decode()
    assert html.count("Earns 1 credit hour on completion, +0.50 for passing the final exam") == 1
    assert html.count("Earns 1 credit hour on completion<") == 1
    assert html.count("Earns 2.50 credit hours on completion<") == 1
    chinese = client.get(catalogue.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "完成后可得 2.50 学时<" in chinese and "完成后可得 1 学时，通过结业考试另加 0.50 学时" in chinese
    assert "on completion" not in chinese


def test_a_catalogue_of_courses_nobody_completed_asks_the_ledger_nothing(client, catalogue, final_course, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(learner)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(catalogue.url).content.decode()
    assert "Earns 1 credit hour on completion" in html
    assert not [query for query in captured if HourEntry._meta.db_table in query["sql"]]
    finish(learner, final_course)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(catalogue.url).content.decode()
    assert "You earned 1.50 credit hours" in html
    assert [query for query in captured if HourEntry._meta.db_table in query["sql"]]
