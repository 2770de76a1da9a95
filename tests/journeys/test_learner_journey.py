"""The learner's journey through the demo city, in Chinese as the city's civil servants use it:
find a course, take it step by step (a locked step stays locked), pass its knowledge check (one
question per page) and final exam (all on one page, after a first attempt that ran out of time),
get the certificate and check it, then required learning, offline hours, notifications, the
language, the password and logging out. Every button pressed is checked in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from courses.models import CoursePage, CourseProgress, Enrolment, StepCompletion
from hours.models import OfflineTraining
from hours.services import offline_decide
from notifications.models import Notification
from quizzes.models import Attempt, AttemptGrade, SavedAnswer
from tests.journeys.conftest import DEMO_PASSWORD
from tests.journeys.quiz_answers import answer_shown_questions, attempt_from_url

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(serialized_rollback=True)]

COMPLETE = "form[action$='/complete/'] button"
START_QUIZ = "form[action$='/quiz/start/'] button"


def steps_of(course):
    return list(course.get_children().live().specific().order_by("path"))


def test_a_learner_takes_a_course_from_the_catalogue_to_the_certificate(visit, tmp_path):
    learner = get_user_model().objects.get(username="learner")
    course = CoursePage.objects.live().get(slug="office-automation")
    lesson1, lesson2, check, lesson4, lesson5, lesson6, exam = steps_of(course)
    visitor = visit("learner")
    page = visitor.page

    # The catalogue: a search, then a filter by topic keeps the search.
    visitor.goto("/courses/")
    page.fill("#id_q", "公文")
    visitor.click("form.filters button[type=submit]")
    assert course.title in visitor.text()
    # Other courses mention 公文 in their steps (issue 15: lesson text is searched); the one with
    # it in its title comes first.
    assert course.title in page.locator(".course-card .card-title").first.inner_text()
    topic = page.locator("#id_topic option").nth(1).get_attribute("value")
    page.select_option("#id_topic", topic)
    visitor.click("form.filters button[type=submit]")
    assert "q=%E5%85%AC%E6%96%87" in page.url and f"topic={topic}" in page.url

    # Start the course.
    visitor.goto(course.url)
    visitor.click("form[action$='/start/'] button")
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    assert page.url.endswith(lesson1.url)

    # Mark as done, step by step.
    visitor.click(COMPLETE)
    assert StepCompletion.objects.filter(user=learner, step_id=lesson1.pk).exists()
    assert page.url.endswith(lesson2.url)

    # A later step is locked in a sequential course, even typed as an address.
    visitor.goto(lesson4.url, expect_status=403)
    assert not StepCompletion.objects.filter(user=learner, step_id=lesson4.pk).exists()
    visitor.click("main a.btn-primary")  # "Go to: <the step to do next>"
    assert page.url.endswith(lesson2.url)
    visitor.click(COMPLETE)
    assert page.url.endswith(check.url)

    # The knowledge check, one question per page: next, previous, jump, save, submit.
    visitor.click(START_QUIZ)
    attempt = attempt_from_url(page.url)
    assert attempt.quiz.layout == "one_per_page"
    count = attempt.questions.count()
    answer_shown_questions(page, attempt)
    visitor.click("button[value='goto:2']:not(.question-nav-item):visible")  # "Next question"
    assert "page=2&" in page.url
    visitor.click("button[value='goto:1']:not(.question-nav-item):visible")  # "Previous question"
    assert "page=1&" in page.url
    assert SavedAnswer.objects.filter(attempt_question__attempt=attempt, attempt_question__position=1).exists()
    visitor.click(f".question-nav-item[data-nav-position='{count}']")  # jump to the last
    assert f"page={count}&" in page.url
    answer_shown_questions(page, attempt)
    visitor.click("button[value=save]")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    page.click("[data-final-submit]")
    asked = page.locator("[data-submit-dialog]").inner_text()
    assert f"还有 {count - 2} 道题未作答" in asked
    visitor.check_page()
    page.click("[data-cancel-submit]")
    for position in range(2, count):
        visitor.click(f".question-nav-item[data-nav-position='{position}']")
        answer_shown_questions(page, attempt)
    visitor.click(f".question-nav-item[data-nav-position='{count}']")
    page.click("[data-final-submit]")
    assert "所有题目均已作答" in page.locator("[data-submit-dialog]").inner_text()
    visitor.click("[data-confirm-submit]")
    grade = AttemptGrade.objects.get(attempt=attempt)
    assert grade.passed and grade.percent == 100
    assert StepCompletion.objects.filter(user=learner, step_id=check.pk).exists()
    # The result leads on to the next step of the course.
    visitor.click(".result-links a.btn-primary")
    assert page.url.endswith(lesson4.url)

    for lesson in (lesson4, lesson5, lesson6):
        assert page.url.endswith(lesson.url)
        visitor.click(COMPLETE)
    assert page.url.endswith(exam.url)

    # The final exam, all on one page and timed: the first attempt runs out of time.
    visitor.click(START_QUIZ)
    first = attempt_from_url(page.url)
    assert first.quiz.layout == "all_on_one" and first.deadline is not None
    Attempt.objects.filter(pk=first.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    visitor.goto(f"/quiz/attempts/{first.pk}/")
    page.wait_for_url("**/review/**", timeout=20_000)
    visitor.settle()
    first.refresh_from_db()
    assert first.status != Attempt.Status.OPEN
    assert not AttemptGrade.objects.get(attempt=first).passed

    # The second attempt: save without submitting, then submit after the confirmation.
    visitor.goto(exam.url)
    visitor.click(START_QUIZ)
    second = attempt_from_url(page.url)
    assert second.number == 2
    answer_shown_questions(page, second)
    visitor.click("button[value=save]")
    second.refresh_from_db()
    assert second.status == Attempt.Status.OPEN and not AttemptGrade.objects.filter(attempt=second).exists()
    page.click("[data-final-submit]")
    visitor.click("[data-confirm-submit]")
    assert AttemptGrade.objects.get(attempt=second).passed
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.completed_at is not None and progress.percent == 100

    # The certificate: downloaded from My certificates, then checked on its public page.
    certificate = Certificate.objects.get(user=learner, course=course, revoked_at__isnull=True)
    visitor.goto("/certificates/")
    with page.expect_download() as download:
        page.click(f"a[href='/certificates/{certificate.pk}/download/']")
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    visitor.goto("/certificates/verify/")
    page.fill("input[name=code]", certificate.code.lower())
    visitor.click("main form button[type=submit]")
    assert learner.get_full_name() in visitor.text() and course.title in visitor.text()


def test_a_learner_sees_required_learning_declares_hours_reads_notifications_and_leaves(visit, tmp_path):
    learner = get_user_model().objects.get(username="learner")
    visitor = visit("learner")
    page = visitor.page

    # Required learning: the overdue course is there, marked.
    visitor.goto("/assignments/my/")
    assert "安全使用办公终端与政务网络" in visitor.text()

    # Offline training, declared with its certificate.
    attachment = tmp_path / "attendance.png"
    Image.new("RGB", (40, 20), "white").save(attachment, format="PNG")
    visitor.goto("/hours/")
    page.fill("#id_course_name", "全市电子政务专题培训班")
    page.fill("#id_start_date", "2026-11-02")
    page.fill("#id_end_date", "2026-11-03")
    page.fill("#id_hours", "8")
    page.set_input_files("#id_attachment", str(attachment))
    visitor.click("form [name=declare]")
    assert "/hours/" in page.url and page.locator(".errorlist, .invalid-feedback").count() == 0, visitor.text()
    declaration = OfflineTraining.objects.get(user=learner, course_name="全市电子政务专题培训班")
    assert declaration.status == "pending"

    # The head decides (the head's journey does it in the browser); the learner is told.
    head = get_user_model().objects.get(username="head.finance")
    offline_decide(declaration=declaration, approver=head, approve=True, reason="")
    second = OfflineTraining.objects.create(
        user=learner, course_name="保密知识讲座", start_date="2026-10-09", end_date="2026-10-09", hours=2,
        attachment=declaration.attachment.name,
    )
    offline_decide(declaration=second, approver=head, approve=False, reason="未附签到表")

    # Notifications: one marked read, then the rest.
    unread = Notification.objects.filter(recipient=learner, read_at__isnull=True)
    assert unread.count() >= 2
    first = unread.order_by("-created_at").first()
    visitor.goto("/notifications/")
    assert "未附签到表" in visitor.text()
    visitor.click(f"form[action$='/{first.pk}/read/'] button")
    first.refresh_from_db()
    assert first.read_at is not None
    visitor.click("form[action$='/read-all/'] button")
    assert not unread.exists()

    # The language: the menu sends itself on change; the admin follows.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    visitor.settle()
    assert page.locator("html").get_attribute("lang") == "en"
    assert UserProfile.get_for_user(learner).preferred_language == "en"
    assert "Notifications" in visitor.text("h1")

    # The password: a mistake first, then a change, and back (the demo keeps its password).
    for old, new, ok in (("wrong-one", "Civil-Servant-2027", False), (DEMO_PASSWORD, "Civil-Servant-2027", True),
                         ("Civil-Servant-2027", DEMO_PASSWORD, True)):
        visitor.goto("/accounts/password/", expect_status=200)
        page.fill("#id_old_password", old)
        page.fill("#id_new_password1", new)
        page.fill("#id_new_password2", new)
        visitor.click("main form button[type=submit]")
        learner.refresh_from_db()
        assert learner.check_password(new) is ok
    assert learner.check_password(DEMO_PASSWORD)

    # Back to Chinese, and out.
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    visitor.settle()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    visitor.click("header form[action$='/accounts/logout/'] button")
    visitor.goto("/learn/my/")
    assert "/accounts/login/" in page.url
