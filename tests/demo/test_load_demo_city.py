import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import GroupPagePermission, Page, Revision, Site, WorkflowPage

from assignments.models import Assignment, LearnerAssignment
from certificates.models import Certificate
from courses.models import (
    CourseIndexPage,
    CourseOutline,
    CoursePage,
    CourseProgress,
    Enrolment,
    LessonPage,
    StepCompletion,
)
from courses.services import course_progress_recompute
from demo.content.city import DEPARTMENTS
from departments.models import Department
from home.models import HomePage
from hours.models import HourEntry
from notifications.models import Notification
from quizzes.models import Attempt, AttemptGrade, Question, QuestionGrade, QuestionVersion, Quiz, SavedAnswer
from records.services import records_verify
from studytime.models import StudyTime

pytestmark = pytest.mark.django_db

COUNTED = [
    Department,
    get_user_model(),
    Page,
    Revision,
    Image,
    Document,
    Enrolment,
    StepCompletion,
    CourseProgress,
    CourseOutline,
    Group,
    GroupPagePermission,
    Assignment,
    LearnerAssignment,
    Certificate,
    Notification,
]


def snapshot():
    rows = {model.__name__: model.objects.count() for model in COUNTED}
    rows["progress"] = list(
        CourseProgress.objects.order_by("pk").values_list(
            "user_id", "course_id", "steps_done", "steps_total", "percent", "resume_step_id", "completed_at"
        )
    )
    return rows


@pytest.fixture(scope="module")
def loaded_twice(django_db_setup, django_db_blocker):
    # The city's own rule for hours and study time (the test settings switch it off).
    with django_db_blocker.unblock(), override_settings(STUDY_TIME_HOURS_SHARE=0.5):
        call_command("load_demo_city", verbosity=0)
        first = snapshot()
        call_command("load_demo_city", verbosity=0)
        second = snapshot()
    yield first, second
    with django_db_blocker.unblock():
        # Module-scoped data outlives the per-test rollback: remove what the loader made
        # (records of learning first: they PROTECT the people they belong to).
        Certificate.objects.all().delete()
        HourEntry.objects.all().delete()
        StudyTime.objects.all().delete()
        for model in [StepCompletion, CourseProgress, Enrolment, CourseOutline]:
            model.objects.all().delete()
        from quizzes.models import AttemptQuestion, QuestionCategory, QuizSlot

        QuestionGrade.objects.all().delete()
        AttemptGrade.objects.all().delete()
        SavedAnswer.objects.all().delete()
        AttemptQuestion.objects.all().delete()
        Attempt.objects.all().delete()
        HomePage.objects.all().delete()
        QuizSlot.objects.all().delete()
        Quiz.objects.all().delete()
        Question.objects.update(current_version=None)
        QuestionVersion.objects.all().delete()
        Question.objects.all().delete()
        QuestionCategory.objects.all().delete()
        get_user_model().objects.all().delete()
        Department.objects.all().delete()
        Image.objects.all().delete()
        Document.objects.all().delete()
        Group.objects.filter(name__in=["Trainers", "Reviewers", "City admins"]).delete()


def test_the_demo_city_admin_is_not_a_superuser_but_has_the_city_admins_permissions(loaded_twice, client):
    admin = get_user_model().objects.get(username="cityadmin")
    assert admin.is_city_admin and not admin.is_superuser
    assert set(admin.groups.values_list("name", flat=True)) >= {"City admins", "Reviewers"}
    root = Page.get_first_root_node()
    assert set(
        GroupPagePermission.objects.filter(group__name="City admins", page=root).values_list(
            "permission__codename", flat=True
        )
    ) >= {"add_page", "change_page", "publish_page"}
    assert admin.has_perm("wagtailadmin.access_admin") and admin.has_perm("quizzes.change_quiz")
    assert admin.has_perm("accounts.change_user")
    client.force_login(admin)
    home = HomePage.objects.get()
    for path in (
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{home.pk}/",
        "/admin/people-import/",
        "/admin/certificates/",
        "/admin/department-reports/",
        "/admin/audit/",
        "/admin/audit/lockouts/",
        "/admin/users/",
        "/admin/images/",
        "/admin/snippets/quizzes/quiz/",
    ):
        assert client.get(path).status_code == 200, path


def test_running_the_demo_command_twice_changes_nothing(loaded_twice):
    first, second = loaded_twice
    assert first == second


def test_the_city_has_its_named_departments_and_about_1500_people(loaded_twice):
    named = {code for code, *_ in DEPARTMENTS}
    assert len(named) == 23
    assert set(Department.objects.filter(kind="department").values_list("code", flat=True)) == named
    assert Department.objects.filter(kind="section").count() >= 5
    people = get_user_model().objects.count()
    assert 1400 <= people <= 1600
    assert get_user_model().objects.filter(is_department_head=True).count() == 23
    assert get_user_model().objects.filter(is_trainer=True).count() == 2
    assert get_user_model().objects.filter(is_city_admin=True).count() == 1
    assert not get_user_model().objects.filter(department__isnull=True).exists()


def test_there_are_at_least_five_complete_courses_of_four_to_eight_steps(loaded_twice):
    courses = CoursePage.objects.live()
    assert courses.count() >= 5
    for course in courses:
        steps = LessonPage.objects.child_of(course).live()
        assert 4 <= steps.count() <= 8, course.title
        assert course.summary and course.objectives_list and course.cover_image_id
        for step in steps:
            assert len(step.body) >= 3, step.title


def test_some_learners_have_progress_and_it_matches_a_recompute(loaded_twice):
    assert CourseProgress.objects.filter(completed_at__isnull=False).count() > 100
    assert CourseProgress.objects.filter(completed_at__isnull=True, steps_done__gt=0).count() > 100
    assert all(course_progress_recompute(course_id=c.pk) == 0 for c in CoursePage.objects.all())


def test_the_site_the_catalogue_and_the_review_workflow_exist(loaded_twice):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    catalogue = CourseIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=catalogue).workflow.name == "Course review"
    trainers = Group.objects.get(name="Trainers")
    assert set(GroupPagePermission.objects.filter(group=trainers).values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }
    assert get_user_model().objects.get(username="trainer1").groups.filter(name="Trainers").exists()


def test_every_course_has_a_knowledge_check_and_a_final_exam_with_twelve_questions(loaded_twice):
    from courses.models import QuizStepPage

    types = set()
    for course in CoursePage.objects.live():
        steps = list(QuizStepPage.objects.child_of(course).live().select_related("quiz"))
        assert {step.kind for step in steps} == {"knowledge_check", "final_exam"}, course.title
        questions = sum(step.quiz.slots.count() for step in steps)
        assert questions >= 12, course.title
        for step in steps:
            types |= set(step.quiz.slots.values_list("question__qtype", flat=True))
    assert types == {"single", "multiple", "truefalse", "fillblank", "ordering"}


def test_demo_learners_have_graded_attempts_and_completed_quiz_steps_were_passed(loaded_twice):
    from courses.models import QuizStepPage

    assert Attempt.objects.filter(status="graded").count() > 500
    assert AttemptGrade.objects.filter(passed=False).exists() and AttemptGrade.objects.filter(passed=True).exists()
    for step in QuizStepPage.objects.select_related("quiz"):
        done_by = set(StepCompletion.objects.filter(step_id=step.pk).values_list("user_id", flat=True))
        passed_by = set(
            AttemptGrade.objects.filter(attempt__quiz=step.quiz, passed=True).values_list("attempt__user_id", flat=True)
        )
        assert done_by <= passed_by, step.title


def test_demo_progress_carries_quiz_scores_and_report_summaries_match(loaded_twice):
    from django.core.management import call_command

    from courses.services import course_quiz_scores_refresh

    assert CourseProgress.objects.filter(best_score_percent__isnull=False).count() > 100
    assert all(course_quiz_scores_refresh(course_id=c.pk) == 0 for c in CoursePage.objects.all())
    call_command("reports_recompute", "--check", verbosity=0)  # exits non-zero on any mismatch


def test_demo_completions_and_passed_final_exams_earn_credit_hours(loaded_twice):
    completed = CourseProgress.objects.filter(completed_at__isnull=False).count()
    assert HourEntry.objects.filter(source="course_completion").count() == completed
    assert HourEntry.objects.filter(source="quiz_bonus").exists()


def test_demo_completions_have_study_time_and_a_few_too_fast_ones_wait_for_review(loaded_twice):
    from accounts.scope import Scope
    from hours.integrity import findings

    completions = HourEntry.objects.filter(source="course_completion")
    pending = completions.filter(review="pending")
    assert 0 < pending.count() < completions.count() // 10
    assert completions.filter(review="earned", active_seconds__gt=0).count() > completions.count() // 2
    too_fast = {(f.user_id, int(f.key)) for f in findings(scope=Scope(everything=True)) if f.kind == "too_fast"}
    assert set(pending.values_list("user_id", "course_id")) <= too_fast


def test_required_learning_reaches_the_named_units_and_their_heads_get_a_digest(loaded_twice):
    from django.utils import timezone

    overdue = LearnerAssignment.objects.filter(completed_at__isnull=True, due_at__lt=timezone.localdate())
    paths = set(overdue.values_list("user__department__path", flat=True))
    units = [Department.objects.get(code=code).path for code in ("finance", "gov-office")]
    assert paths and all(any(path.startswith(unit) for unit in units) for path in paths)
    digests = set(Notification.objects.filter(kind="digest").values_list("recipient__username", flat=True))
    assert {"head.finance", "head.gov-office"} <= digests
    assert all(
        any(path.startswith(unit) for unit in units)
        for path in get_user_model().objects.filter(username__in=digests).values_list("department__path", flat=True)
    )
    assert HourEntry.objects.filter(kind="required").exists() and HourEntry.objects.filter(kind="elective").exists()


def test_records_verify_finds_nothing_wrong_in_the_demo_city(loaded_twice):
    # Issue 11: every derived record the loader writes (twice) agrees with its raw facts.
    assert records_verify().problems == []
