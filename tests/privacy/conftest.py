import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest

from courses.services import step_complete
from notifications.services import notification_create
from quizzes.services import attempt_start, attempt_submit
from tests.factories import UserFactory, build_course, course_steps
from tests.factories.quizzes import fill_blank, make_question, make_quiz_of


@dataclass
class Record:
    """What a learner did, with text that is theirs alone (to find it, or not, in an archive)."""

    user: object
    course_title: str
    quiz_title: str
    answer: str
    notification_title: str


def learning_record(user, catalogue, *, tag: str) -> Record:
    """A course completed (progress, hours, a certificate), a quiz attempt answered with a
    spreadsheet formula, and a notification whose title is one: written through the services."""
    course = build_course(catalogue, steps=1, slug=f"course-{tag}", title=f"课程 {tag}", credit_hours=Decimal("1"))
    step = course_steps(course)[0]
    step_complete(user=user, step=step)
    # Verified study time, and the page view it came from (written by the flush in the product).
    from django.utils import timezone

    from studytime.models import PageView, StudyTime

    StudyTime.objects.create(user=user, step=step, course=course, active_ms=90_000)
    now = timezone.now()
    PageView.objects.create(
        view_id=f"view-{tag}", user=user, step=step, course=course, started_at=now, last_beat_at=now, beats=4
    )
    quiz = make_quiz_of([make_question(fill_blank(f"口令至少几位？{tag}", "12"))], title=f"测验 {tag}")
    attempt = attempt_start(quiz=quiz, user=user)
    answer = f'=HYPERLINK("http://evil.example/{tag}")'
    position = attempt.questions.get().position
    attempt_submit(attempt_id=attempt.pk, user=user, answers={str(position): {"text": answer}})
    title = f"=1+1 reminder {tag}"
    notification_create(
        recipient_id=user.pk, kind="reminder", dedupe_key=f"test:{tag}", title=title, body="正文", language="zh-hans"
    )
    return Record(user, course.title, quiz.title, answer, title)


@pytest.fixture
def two_learners(catalogue, django_capture_on_commit_callbacks, file_roots):
    with django_capture_on_commit_callbacks(execute=True):
        owner = learning_record(UserFactory(username="owner", display_name="王本人"), catalogue, tag="OWNER")
        other = learning_record(UserFactory(username="stranger", display_name="李他人"), catalogue, tag="OTHER")
    return owner, other


def archive_files(content: bytes) -> dict[str, str]:
    """{name: text} of a ZIP archive (CSV without its BOM)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
