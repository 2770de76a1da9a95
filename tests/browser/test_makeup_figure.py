"""Issue 14 item 4 in Chromium: a head opens the department report and sees, per course, how many
of their people passed in a make-up sitting (补考); the figure shown is the stored one."""

import pytest
from django.db.models import Sum

from courses.models import QuizStepPage
from quizzes.services import attempt_start, attempt_submit
from reports.models import DepartmentCourseSummary
from tests.browser.checks import only_digits
from tests.browser.test_study_time import PASSWORD
from tests.factories.reports import build_city
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_head_sees_the_make_up_passes_of_their_scope(visitor, catalogue):
    city = build_city(catalogue, per_unit=2, courses=1)
    course = city.courses[0]
    quiz = make_quiz(attempts_allowed=1, makeup_attempts=1)
    course.add_child(instance=QuizStepPage(title="结业测验", slug="final-exam", quiz=quiz))
    # Budget: one make-up pass and one regular pass; police (outside the head's scope): one make-up pass.
    for person, fails_first in (
        (city.learners["budget"][0], True),
        (city.learners["budget"][1], False),
        (city.learners["police"][0], True),
    ):
        if fails_first:
            failed = attempt_start(quiz=quiz, user=person)
            attempt_submit(attempt_id=failed.pk, user=person, answers={})
        attempt = attempt_start(quiz=quiz, user=person)
        attempt_submit(attempt_id=attempt.pk, user=person, answers=right_answers(attempt))

    visitor.log_in("head.finance", PASSWORD)
    visitor.goto("/reports/")
    page = visitor.page
    courses = page.locator("section[aria-labelledby='courses-heading']")
    header = courses.get_by_role("columnheader", name="Passed in make-up")
    assert header.is_visible()
    shown = only_digits(
        courses.locator("tr", has_text=course.title).locator("[data-figure='makeup-passed']").inner_text()
    )
    stored = DepartmentCourseSummary.objects.filter(
        course=course, department__path__startswith=city.finance.path
    ).aggregate(n=Sum("makeup_passed"))["n"]
    assert shown == stored == 1
    budget_row = page.locator("tr", has_text="Budget Section").locator("[data-figure='makeup-passed']")
    assert only_digits(budget_row.inner_text()) == 1
    visitor.check_page()
