"""The daily reminders: the exact days they fire (frozen clock), once per key whatever the
number of runs, nobody who has finished or left, e-mail only for new rows and retried after a
failure, and the recipient's language."""

import datetime
from io import StringIO
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.users.models import UserProfile

from assignments import services as assignment_services
from notifications import tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

D = datetime.date
DUE = D(2026, 3, 20)


def day(shift: int) -> datetime.date:
    return DUE + datetime.timedelta(days=shift)


@pytest.fixture
def assignment(city):
    """The first course assigned to the police (two learners and their head), due on DUE."""
    return assignment_services.assignment_create(
        course=city.courses[0], department=city.police, due_date=DUE, created_by=city.admin
    )


@pytest.fixture
def police(city):
    return [*city.learners["police"], city.police_head]


def offsets_sent(user) -> list[int]:
    return sorted(int(key.rsplit(":", 1)[1]) for key in user.notifications.values_list("dedupe_key", flat=True))


# Days relative to the due date on which a job run every day creates a reminder, and which one.
FIRES = {-7: 7, -1: 1, 0: 0, 3: -3, 7: -7}


def test_run_daily_each_reminder_fires_on_exactly_its_day(assignment, police, run_on):
    fired = {}
    for shift in range(-10, 12):
        before = set(Notification.objects.values_list("dedupe_key", flat=True))
        run_on(tasks.send_due_reminders, day(shift))
        new = set(Notification.objects.values_list("dedupe_key", flat=True)) - before
        fired[shift] = {int(key.rsplit(":", 1)[1]) for key in new}
    assert fired == {shift: ({FIRES[shift]} if shift in FIRES else set()) for shift in range(-10, 12)}
    for person in police:
        assert offsets_sent(person) == [-7, -3, 0, 1, 7]
        created_days = {
            int(n.dedupe_key.rsplit(":", 1)[1]): timezone.localdate(n.created_at) for n in person.notifications.all()
        }
        assert created_days == {offset: day(shift) for shift, offset in FIRES.items()}
    assert len(mail.outbox) == 5 * len(police)


@pytest.mark.parametrize(
    ("shift", "expected"),
    [(-8, []), (-7, [7]), (-5, []), (-2, []), (-1, [1]), (0, [0]), (2, []), (3, [-3]), (5, []), (7, [-7]), (9, [])],
)
def test_a_single_run_fires_only_on_a_reminder_day(assignment, police, run_on, shift, expected):
    run_on(tasks.send_due_reminders, day(shift))
    for person in police:
        assert offsets_sent(person) == expected
    assert len(mail.outbox) == len(expected) * len(police)


def test_a_missed_day_is_made_up_once_and_never_as_a_burst(assignment, police, run_on):
    learner = police[0]
    run_on(tasks.send_due_reminders, day(-6))  # the run of day -7 was missed
    assert offsets_sent(learner) == [7]
    assert "is due in 6 days" in learner.notifications.get().body  # counted from the day it is sent
    run_on(tasks.send_due_reminders, day(-5))
    assert offsets_sent(learner) == [7]
    # Nothing ran on days -1 and 0: on day 1 only "due today" is made up, not the day-before one too.
    run_on(tasks.send_due_reminders, day(1))
    assert offsets_sent(learner) == [0, 7]
    # A cycle first seen long after its dates gets no stale reminders at all.
    run_on(tasks.send_due_reminders, day(30))
    assert offsets_sent(learner) == [0, 7]


def test_running_the_job_twice_sends_nothing_twice(assignment, police, run_on):
    assert run_on(tasks.send_due_reminders, day(-1)) == len(police)
    assert len(mail.outbox) == len(police)
    assert run_on(tasks.send_due_reminders, day(-1)) == 0
    assert Notification.objects.count() == len(police)
    assert len(mail.outbox) == len(police)
    # The day after (a catch-up day for the same reminder) sends nothing either.
    assert run_on(tasks.send_due_reminders, day(0)) == len(police)  # the due-day one, new
    assert run_on(tasks.send_due_reminders, day(1)) == 0
    assert len(mail.outbox) == 2 * len(police)


def test_a_completed_course_gets_no_reminder(assignment, police, run_on):
    finished, *others = police
    finished.learner_assignments.update(completed_at=timezone.now())
    run_on(tasks.send_due_reminders, day(0))
    assert not finished.notifications.exists()
    assert all(offsets_sent(person) == [0] for person in others)
    assert finished.email not in {address for message in mail.outbox for address in message.to}


def test_an_inactive_person_gets_no_reminder(assignment, police, run_on):
    gone, *others = police
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    run_on(tasks.send_due_reminders, day(0))
    assert not gone.notifications.exists()
    assert all(offsets_sent(person) == [0] for person in others)


def test_an_inactive_assignment_reminds_nobody(assignment, run_on):
    assignment.active = False
    assignment.save(update_fields=["active"])
    assert run_on(tasks.send_due_reminders, day(0)) == 0
    assert not Notification.objects.exists() and mail.outbox == []


def test_only_people_with_the_assignment_are_reminded(assignment, city, run_on):
    run_on(tasks.send_due_reminders, day(0))
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        person.pk for person in [*city.learners["police"], city.police_head]
    }


def test_the_email_states_the_reminder_and_links_to_the_course(assignment, police, run_on, city):
    run_on(tasks.send_due_reminders, day(-7))
    learner = police[0]
    message = next(m for m in mail.outbox if m.to == [learner.email])
    course = city.courses[0]
    assert message.subject == f"[City E-Government Training] Reminder: “{course.title}” is due on 20 Mar 2026"
    assert "is due in 7 days, on 20 Mar 2026" in message.body
    assert f"{settings.SITE_BASE_URL}{course.url}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{settings.SITE_BASE_URL}{course.url}"' in html
    notification = learner.notifications.get()
    assert notification.emailed_at is not None and notification.email_attempts == 1
    assert notification.link == course.url and notification.title in message.subject


def test_overdue_and_due_today_texts(assignment, police, run_on):
    learner = police[0]
    run_on(tasks.send_due_reminders, day(0))
    run_on(tasks.send_due_reminders, day(3))
    titles = list(learner.notifications.order_by("created_at").values_list("title", "body"))
    assert titles[0][0].startswith("Due today:") and "is due today (20 Mar 2026)" in titles[0][1]
    assert titles[1][0].startswith("Overdue:") and "is 3 days overdue" in titles[1][1]


def test_a_failed_email_keeps_the_notification_and_only_that_row_is_retried(assignment, police, run_on, monkeypatch):
    def refuse(self, messages):
        raise SMTPException("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)
        run_on(tasks.send_due_reminders, day(-1))
    assert mail.outbox == []
    rows = Notification.objects.all()
    assert rows.count() == len(police)
    assert all(row.emailed_at is None and row.email_attempts == 1 for row in rows)

    # The next day's run retries those rows besides sending the new due-day reminders; each
    # e-mail goes exactly once.
    run_on(tasks.send_due_reminders, day(0))
    assert Notification.objects.count() == 2 * len(police)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    subjects = sorted(message.subject.split("] ")[1].split(":")[0] for message in mail.outbox)
    assert subjects == ["Due today"] * len(police) + ["Reminder"] * len(police)
    run_on(tasks.send_due_reminders, day(1))
    assert len(mail.outbox) == 2 * len(police)


def test_a_failing_email_is_given_up_after_the_last_attempt(assignment, police, run_on, monkeypatch, settings):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(OSError("down")))
    for shift in (-7, -6, -5, -4):
        run_on(tasks.send_due_reminders, day(shift))
    row = police[0].notifications.get()
    assert row.emailed_at is None and row.email_attempts == 2


def test_each_person_is_written_to_in_their_language(assignment, police, run_on, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    english, default, *_rest = police
    profile = UserProfile.get_for_user(english)
    profile.preferred_language = "en"
    profile.save()
    run_on(tasks.send_due_reminders, day(3))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[english.email].subject.startswith("[City E-Government Training] Overdue:")
    assert "is 3 days overdue" in by_address[english.email].body
    assert english.notifications.get().language == "en"
    chinese = by_address[default.email]
    assert chinese.subject.startswith("[市电子政务培训]")
    assert default.notifications.get().language == "zh-hans"
    assert "已逾期" in chinese.subject and "逾期 3 天" in chinese.body
    assert "Overdue" not in chinese.subject


def test_the_command_runs_the_same_job_for_a_given_day(assignment, police, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", day(-1).isoformat(), stdout=out)
    assert "reminders: 3 created" in out.getvalue()
    assert all(offsets_sent(person) == [1] for person in police)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", day(-1).isoformat(), stdout=StringIO())
    assert Notification.objects.count() == len(police) and len(mail.outbox) == len(police)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "20.03.2026")
