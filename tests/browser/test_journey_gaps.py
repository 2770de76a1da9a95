"""The gaps of issue 9 in a real browser: continue where you left off, a quiz result's way on, the
certificate of a completed course, a head's decision reaching the learner, the digest's links, and
the city-wide overview opening on the departments. Each click is checked against the database."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assignments.services import assignment_create
from certificates.models import Certificate
from courses.models import CourseProgress, Enrolment, LessonPage, QuizStepPage, StepCompletion
from courses.services import step_complete
from hours.models import OfflineTraining
from notifications.models import Notification
from notifications.services import digests_send
from quizzes.models import QuestionCategory, Quiz, QuizSlot
from quizzes.services import question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps, lesson_body
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _media(file_roots):
    pass


def log_in(visitor, username: str) -> None:
    visitor.page.context.clear_cookies()
    visitor.log_in(username, PASSWORD)
    assert visitor.page.url == f"{visitor.base_url}/"


def one_question_quiz() -> Quiz:
    question = question_create(
        spec=QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem="离开座位前应按哪个快捷键锁屏？",
            choices=(ChoiceSpec("", "Win+L", True), ChoiceSpec("", "Ctrl+C", False)),
        ),
        category=QuestionCategory.objects.create(name="浏览器测验"),
    )
    quiz = Quiz.objects.create(title="锁屏测验", pass_mark_percent=Decimal("60"), shuffle_choices=False)
    QuizSlot.objects.create(quiz=quiz, question=question, sort_order=0)
    return quiz


def test_a_learner_continues_passes_the_quiz_goes_on_and_gets_the_certificate(live_server_url, visitor, catalogue):
    base, page = live_server_url, visitor.page
    older = build_course(catalogue, steps=2, slug="older", title="早先的课程")
    course = build_course(catalogue, steps=1, slug="journey", title="安全使用办公终端", credit_hours=Decimal("1"))
    course.add_child(instance=QuizStepPage(title="随堂测验", slug="check", quiz=one_question_quiz()))
    course.refresh_from_db()
    course.add_child(instance=LessonPage(title="总结", slug="summary", body=lesson_body("总结")))
    learner = UserFactory(username="journey")
    now = timezone.now()
    step_complete(user=learner, step=course_steps(older)[0], now=now - datetime.timedelta(days=2))
    step_complete(user=learner, step=course_steps(course)[0], now=now - datetime.timedelta(days=1))

    log_in(visitor, "journey")
    visitor.click("text=Continue: 随堂测验")  # the course touched last, at its next step
    page.wait_for_url(f"{base}/courses/journey/check/")
    visitor.click("main form button[type=submit]")  # Start the quiz
    page.wait_for_selector("[data-quiz-form]")
    # Started a day ago: Start moved only the activity time (courses.services.course_activity_touch).
    started = CourseProgress.objects.get(user=learner, course=course)
    assert started.last_activity_at > now and started.started_at < now
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    page.check("input[type=radio] >> nth=0")
    page.click("[data-final-submit]")  # asks first
    visitor.click("[data-confirm-submit]")
    page.wait_for_selector(".result-links")
    assert "Passed" in page.locator(".result").inner_text()

    visitor.click("text=Next step: 总结")
    page.wait_for_url(f"{base}/courses/journey/summary/")
    visitor.click("text=Mark as done and continue")
    page.wait_for_url(f"{base}/courses/journey/")
    assert "Congratulations!" in page.locator(".messages").inner_text()
    assert "You earned 1 credit hour" in page.locator(".course-header").inner_text()
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.completed_at is not None and StepCompletion.objects.filter(user=learner, course=course).count() == 3

    certificate = Certificate.objects.get(user=learner, course=course, revoked_at__isnull=True)
    with page.expect_download() as download:
        page.click("text=Download your certificate (PDF)")
    assert download.value.suggested_filename == f"certificate-{certificate.code}.pdf"

    visitor.goto("/")  # nothing left to continue but the older course
    assert "早先的课程" in page.locator(".resume").inner_text()
    visitor.settle()


def test_a_heads_rejection_reaches_the_learner_with_its_reason(live_server_url, visitor, catalogue):
    base, page = live_server_url, visitor.page
    unit = DepartmentFactory(name="财政局", name_en="Finance Bureau")
    learner = UserFactory(username="declarer", department=unit, email="declarer@example.gov.cn")
    UserFactory(username="head", department=unit, is_department_head=True)
    declaration, approved = (
        OfflineTraining.objects.create(
            user=learner,
            course_name=name,
            start_date="2026-03-01",
            end_date="2026-03-02",
            hours=Decimal("6"),
            attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%test\n"),
        )
        for name in ("电子政务培训班", "办公自动化讲座")
    )

    log_in(visitor, "head")
    visitor.goto("/hours/offline/pending/")
    visitor.click(f"section[aria-labelledby~=declaration-{approved.pk}] button:has-text('Approve')")
    page.wait_for_selector("text=The decision was saved.")
    assert OfflineTraining.objects.get(pk=approved.pk).status == "approved"
    page.fill(f"#reason-{declaration.pk}", "缺少出勤证明")
    visitor.click(f"section[aria-labelledby~=declaration-{declaration.pk}] button:has-text('Reject')")
    page.wait_for_selector("text=No offline training is waiting for a decision.")
    declaration.refresh_from_db()
    assert (declaration.status, declaration.reason) == ("rejected", "缺少出勤证明")
    notification = Notification.objects.get(recipient=learner, dedupe_key=f"offline:{declaration.pk}")
    assert Notification.objects.filter(recipient=learner, kind="offline_decision").count() == 2
    assert [message.to for message in mail.outbox] == [[learner.email], [learner.email]]

    log_in(visitor, "declarer")
    visitor.goto("/notifications/")
    entry = page.locator(f"#notification-{notification.pk}")
    assert "Reason: 缺少出勤证明" in entry.inner_text()
    visitor.click(entry.get_by_role("link", name="Your offline training “电子政务培训班” was not approved"))
    page.wait_for_url(f"{base}/hours/")
    assert "Rejected: 缺少出勤证明" in page.locator("main").inner_text()
    visitor.settle()


def test_a_head_follows_the_digest_to_a_persons_report_and_the_overdue_list(live_server_url, visitor, catalogue):
    base, page = live_server_url, visitor.page
    city = build_city(catalogue)
    assignment_create(
        course=city.courses[1],
        department=city.police,
        due_date=timezone.localdate() - datetime.timedelta(days=10),
        created_by=city.admin,
    )
    assert digests_send() >= 1
    person = city.learners["police"][0]

    log_in(visitor, city.police_head.username)
    visitor.goto("/notifications/")
    items = page.locator(".notification-items li")
    assert items.count() == 3
    assert "10 days overdue" in items.first.inner_text()
    visitor.click(f".notification-items a:has-text('{person.get_full_name()}')")
    page.wait_for_url(f"{base}/reports/learners/{person.pk}/")
    assert person.get_full_name() in page.locator("h1").inner_text()
    page.go_back()
    visitor.settle()
    visitor.click("text=See everyone overdue")
    page.wait_for_url(f"{base}/assignments/overdue/")
    assert person.get_full_name() in page.locator("main").inner_text()
    visitor.settle()


def test_the_city_admin_opens_on_the_departments_and_goes_into_one(live_server_url, visitor, catalogue):
    base, page = live_server_url, visitor.page
    city = build_city(catalogue)

    log_in(visitor, city.admin.username)
    visitor.goto("/reports/")
    units = page.locator("section[aria-labelledby=units-heading] tbody th")
    assert units.all_inner_texts() == ["City (direct members)", "Finance Bureau", "Public Security Bureau"]
    visitor.click("section[aria-labelledby=units-heading] a:has-text('Finance Bureau')")
    page.wait_for_url(f"{base}/reports/?department={city.finance.pk}")
    assert page.locator("h1").inner_text() == "Department overview: Finance Bureau"
    assert page.locator("section[aria-labelledby=units-heading] tbody th").all_inner_texts() == [
        "Finance Bureau (direct members)",
        "Budget Section",
        "Treasury Section",
    ]
    visitor.settle()
