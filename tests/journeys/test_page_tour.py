"""Every page of each role, opened in Chinese and in English: the Visitor checks each one (server
errors, scripts, CSP, axe-core, Chinese text marked in English pages, phone width). The journeys
press the buttons; this tour makes sure no page is left out of the checks."""

import pytest

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage, QuizStepPage
from departments.models import Department
from reports.models import ReportExport

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]

LOCALES = ["zh-CN", "en-US"]


def learner_pages():
    course = CoursePage.objects.live().get(slug="infosec-opinions")
    lesson = LessonPage.objects.live().descendant_of(course).first()
    quiz_step = QuizStepPage.objects.live().descendant_of(course).first()
    certificate = Certificate.objects.filter(user__username="learner", revoked_at__isnull=True).first()
    return [
        "/",
        "/courses/",
        "/courses/?q=安全",
        course.url,
        lesson.url,
        quiz_step.url,
        "/learn/my/",
        "/assignments/my/",
        "/hours/",
        "/certificates/",
        "/certificates/verify/",
        f"/certificates/verify/{certificate.code}/",
        "/notifications/",
        "/accounts/password/",
        "/help/",
        "/about/",
    ]


def head_pages():
    finance = Department.objects.get(code="finance")
    section = finance.get_children().first()
    course = CoursePage.objects.live().get(slug="egov-basics")
    learner = section.members.filter(is_active=True).first()
    pages = [
        "/reports/",
        f"/reports/?department={section.pk}",
        f"/reports/courses/{course.pk}/",
        f"/reports/courses/{course.pk}/?status=not_started",
        "/hours/compliance/",
        "/hours/offline/pending/",
        "/assignments/",
        "/assignments/overdue/",
    ]
    if learner is not None:
        pages.append(f"/reports/learners/{learner.pk}/")
    return pages


@pytest.mark.parametrize("locale", LOCALES)
def test_every_learner_page_passes_the_checks(visit, locale):
    visitor = visit("learner", locale=locale)
    for path in learner_pages():
        visitor.goto(path)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_head_page_passes_the_checks(visit, locale):
    visitor = visit("head.finance", locale=locale)
    for path in head_pages():
        visitor.goto(path)
    export = ReportExport.objects.filter(user__username="head.finance").first()
    if export is not None:
        visitor.goto(f"/reports/exports/{export.pk}/")


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_without_login_pass_the_checks(visit, locale):
    visitor = visit(None, locale=locale)
    for path in ["/accounts/login/", "/", "/courses/", "/certificates/verify/", "/about/"]:
        visitor.goto(path)
    visitor.goto("/no-such-page/", expect_status=404)
