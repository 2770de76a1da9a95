"""A completed course issues one certificate in the completing transaction; Celery renders its
PDF after the commit; a revoked completion revokes it, with an audit entry."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.rules import is_well_formed
from certificates.services import certificate_render, certificates_sync_course_completions, verify_url
from courses.models import CourseProgress, QuizStepPage
from courses.services import step_complete
from tests.certificates.conftest import pdf_font_names, pdf_text
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.mark.real_pdf
def test_completing_a_course_issues_one_certificate_with_a_rendered_pdf(zhang, security_course, complete):
    complete(zhang, security_course)
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.course_id, certificate.learner_name, certificate.course_title) == (
        zhang,
        security_course.pk,
        "张伟",
        "信息安全基础",
    )
    assert certificate.hours == Decimal("1.00")  # the course's credit hours, from the ledger
    assert is_well_formed(certificate.code)
    assert certificate.rendered_at is not None
    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    text = pdf_text(data)
    assert "张伟" in text and "信息安全基础" in text and certificate.display_code in text
    assert verify_url(certificate.code) in text
    assert verify_url(certificate.code) == f"https://training.example.gov.cn/certificates/verify/{certificate.code}/"
    assert any("Noto" in name for name in pdf_font_names(data))


def test_the_pdf_is_stored_outside_media_root_under_a_random_name(zhang, security_course, complete, settings):
    complete(zhang, security_course)
    certificate = Certificate.objects.get()
    path = Path(certificate.pdf.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT) / "certificates")
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert certificate.code not in path.name and len(path.stem) >= 43


def test_an_unfinished_course_issues_nothing(zhang, security_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        step_complete(user=zhang, step=course_steps(security_course)[0])
    assert not Certificate.objects.exists()


def test_the_pdf_is_rendered_only_after_the_transaction_commits(
    zhang, security_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for step in course_steps(security_course):
            step_complete(user=zhang, step=step)
    certificate = Certificate.objects.get()
    assert certificate.rendered_at is None and not certificate.pdf
    assert len(callbacks) >= 1


def test_saving_the_completed_progress_again_keeps_one_certificate(zhang, security_course, complete):
    complete(zhang, security_course)
    complete(zhang, security_course)
    CourseProgress.objects.get(user=zhang).save()
    assert Certificate.objects.count() == 1


def test_rendering_twice_is_harmless(zhang, security_course, complete, django_capture_on_commit_callbacks):
    complete(zhang, security_course)
    certificate = Certificate.objects.get()
    first = (certificate.pdf.name, certificate.rendered_at)
    assert certificate_render(certificate_id=certificate.pk) is False
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.rendered_at) == first
    # Forced (for instance after the file was lost), a new file replaces the old one once committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_render(certificate_id=certificate.pk, force=True) is True
    certificate.refresh_from_db()
    assert certificate.pdf.name != first[0] and certificate.rendered_at > first[1]
    assert certificate.pdf.storage.listdir("certificates")[1] == [Path(certificate.pdf.name).name]


def test_a_lost_file_is_rendered_again(zhang, security_course, complete):
    complete(zhang, security_course)
    certificate = Certificate.objects.get()
    certificate.pdf.storage.delete(certificate.pdf.name)
    assert certificate_render(certificate_id=certificate.pk) is True
    certificate.refresh_from_db()  # drawn again under a new name
    assert certificate.pdf.storage.exists(certificate.pdf.name)


def test_a_revoked_completion_revokes_the_certificate_with_an_audit_entry(zhang, security_course, complete):
    complete(zhang, security_course)
    progress = CourseProgress.objects.get(user=zhang)
    progress.completed_at = None
    progress.save()
    certificate = Certificate.objects.get()
    assert certificate.revoked_at is not None and certificate.revoked_reason
    log = ModelLogEntry.objects.get(action="certificates.revoked")
    assert log.object_id == str(certificate.pk)
    assert log.data["code"] == certificate.code
    # A revoked certificate is not rendered again.
    assert certificate_render(certificate_id=certificate.pk, force=True) is False


def test_completing_again_after_a_revocation_issues_a_new_certificate(zhang, security_course, complete):
    complete(zhang, security_course)
    progress = CourseProgress.objects.get(user=zhang)
    progress.completed_at = None
    progress.save()
    progress.completed_at = timezone.now()
    progress.save()
    revoked, active = Certificate.objects.order_by("id")
    assert revoked.revoked_at is not None and active.revoked_at is None
    assert revoked.code != active.code


def test_the_name_and_title_are_those_at_issue(zhang, security_course, complete):
    complete(zhang, security_course)
    zhang.display_name = "张伟伟"
    zhang.save()
    security_course.title = "新标题"
    security_course.save_revision().publish()
    certificate = Certificate.objects.get()
    assert (certificate.learner_name, certificate.course_title) == ("张伟", "信息安全基础")


@pytest.mark.real_pdf
def test_a_final_exam_passed_as_the_last_step_adds_its_bonus_to_the_printed_hours(
    catalogue, zhang, django_capture_on_commit_callbacks
):
    from quizzes.services import attempt_start, attempt_submit

    course = build_course(catalogue, steps=1, sequential=False, credit_hours=Decimal("1"), slug="with-final")
    final = QuizStepPage(title="结业测验", slug="final", quiz=make_quiz(pass_mark_percent=60), kind="final_exam")
    course.add_child(instance=final)
    with django_capture_on_commit_callbacks(execute=True):
        step_complete(user=zhang, step=course_steps(course)[0])
        attempt = attempt_start(quiz=final.quiz, user=zhang)
        attempt_submit(attempt_id=attempt.pk, user=zhang, answers=right_answers(attempt))
    certificate = Certificate.objects.get()
    assert certificate.hours == Decimal("1.50")
    with certificate.pdf.open("rb") as handle:
        assert "1.5" in pdf_text(handle.read())


def test_completions_written_in_bulk_get_certificates_without_pdfs(catalogue, security_course):
    people = [UserFactory() for _ in range(3)]
    now = timezone.now()
    CourseProgress.objects.bulk_create(
        CourseProgress(
            user=person,
            course=security_course,
            steps_done=2,
            steps_total=2,
            percent=100,
            started_at=now,
            completed_at=now if n < 2 else None,
            last_activity_at=now,
        )
        for n, person in enumerate(people)
    )
    certificates_sync_course_completions(course_id=security_course.pk)
    certificates_sync_course_completions(course_id=security_course.pk)
    issued = Certificate.objects.order_by("user_id")
    assert [c.user for c in issued] == people[:2]
    assert all(not c.pdf and c.rendered_at is None for c in issued)
    assert len({c.code for c in issued}) == 2
