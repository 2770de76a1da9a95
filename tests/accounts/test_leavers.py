"""Leavers and deletion under PIPL (issue 10, part 3): deactivating a person ends their sessions
at once and records when they left; after LEAVER_RETENTION_DAYS a daily job anonymises their
personal fields and keeps their records of learning; deleting a person with such records is
refused, in the Wagtail admin with an explanation."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from accounts.audit import LOGIN_ACTION, account_event_log
from accounts.models import PeopleImport, UserSession
from accounts.services import ANONYMISED_USERNAME_PREFIX, leavers_anonymise, user_set_active
from accounts.tasks import anonymise_leavers
from certificates.models import Certificate
from courses.models import CourseProgress
from courses.services import step_complete
from hours.models import HourEntry
from quizzes.models import Attempt
from quizzes.services import attempt_start
from records.services import records_verify
from reports.services import summaries_compute, summaries_mismatches, summaries_stored
from tests.factories import DepartmentFactory, UserFactory, course_steps
from tests.factories.quizzes import make_question, make_quiz_of, single_choice

from .test_roles_admin import edit_data

pytestmark = pytest.mark.django_db
User = get_user_model()
PRIVATE_PAGE = "/certificates/"  # any page that needs a signed-in person


@pytest.fixture(autouse=True)
def _private_files(file_roots, settings):
    settings.LEAVER_RETENTION_DAYS = 365


@pytest.fixture
def unit(db):
    return DepartmentFactory(name="市财政局", name_en="Finance Bureau")


@pytest.fixture
def city_admin(unit):
    return UserFactory(username="cityadmin", is_superuser=True, is_city_admin=True, department=unit)


@pytest.fixture
def signed_in(learner):
    """The learner's own browser, signed in and having made a request."""
    browser = Client()
    browser.force_login(learner)
    assert browser.get(PRIVATE_PAGE).status_code == 200
    return browser


def signed_out(browser) -> bool:
    response = browser.get(PRIVATE_PAGE)
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


def finish(user, course, capture):
    with capture(execute=True):
        for step in course_steps(course):
            step_complete(user=user, step=step)


# ---------------------------------------------------------------------------- deactivation


def test_deactivating_a_person_signs_out_their_open_session_at_once(learner, signed_in):
    assert UserSession.objects.filter(user=learner).exists()
    learner.is_active = False
    learner.save()
    assert signed_out(signed_in)
    # The session itself is gone, not merely refused while inactive: coming back needs a sign-in.
    learner.is_active = True
    learner.save()
    assert signed_out(signed_in)
    assert not UserSession.objects.filter(user=learner).exists()


def test_deactivation_records_when_the_person_left_and_reactivation_clears_it(learner):
    before = timezone.now()
    assert user_set_active(user=learner, is_active=False)
    learner.refresh_from_db()
    assert learner.deactivated_at is not None and learner.deactivated_at >= before
    assert not user_set_active(user=learner, is_active=False)  # nothing to change
    assert user_set_active(user=learner, is_active=True)
    learner.refresh_from_db()
    assert learner.deactivated_at is None


def test_saving_other_fields_of_an_inactive_person_keeps_the_day_they_left(learner):
    user_set_active(user=learner, is_active=False)
    learner.refresh_from_db()
    left = learner.deactivated_at
    learner.position = "科员"
    learner.save()
    learner.refresh_from_db()
    assert learner.deactivated_at == left


def test_a_city_admin_deactivating_a_person_in_the_wagtail_editor_signs_them_out(
    city_admin, learner, signed_in, client
):
    client.force_login(city_admin)
    response = client.post(reverse("wagtailusers_users:edit", args=[learner.pk]), edit_data(learner, is_active=None))
    assert response.status_code == 302, response.content.decode()[:2000]
    learner.refresh_from_db()
    assert not learner.is_active and learner.deactivated_at is not None
    assert signed_out(signed_in)


def test_the_bulk_set_active_state_action_signs_people_out_and_records_when_they_left(
    city_admin, learner, signed_in, client
):
    client.force_login(city_admin)
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "set_active_state")) + f"?id={learner.pk}"
    response = client.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert not learner.is_active and learner.deactivated_at is not None
    assert signed_out(signed_in)


def test_a_session_whose_key_changed_is_recorded_again(learner, signed_in):
    session = signed_in.session
    session.cycle_key()  # as a password change does
    session.save()
    signed_in.cookies["sessionid"] = session.session_key
    assert signed_in.get(PRIVATE_PAGE).status_code == 200
    assert UserSession.objects.filter(user=learner, session_key=session.session_key).exists()
    user_set_active(user=learner, is_active=False)
    assert signed_out(signed_in)


def test_signing_in_over_another_persons_session_is_recorded_at_sign_in(learner, signed_in, unit):
    other = UserFactory(department=unit)
    signed_in.force_login(other)  # the learner's session is flushed, the new one has no key yet
    assert UserSession.objects.filter(user=other, session_key=signed_in.session.session_key).exists()
    user_set_active(user=other, is_active=False)
    assert signed_out(signed_in)


def test_signing_out_forgets_the_session(learner, signed_in):
    signed_in.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=learner).exists()


# ---------------------------------------------------------------------------- anonymisation


@pytest.fixture
def leavers(unit, course, django_capture_on_commit_callbacks):
    """Four people who finished the course: two left long ago, one left recently, one stayed."""
    now = timezone.now()
    people = {}
    for key, name, employee_id in (
        ("old", "王离职", "E1001"),
        ("older", "李离职", "E1002"),
        ("recent", "赵刚走", "E1003"),
        ("staying", "钱在职", "E1004"),
    ):
        with django_capture_on_commit_callbacks(execute=True):  # joining refreshes the unit's figures
            person = UserFactory(
                username=f"u{employee_id}",
                display_name=name,
                employee_id=employee_id,
                email=f"{employee_id}@example.gov.cn",
                position="科员",
                department=unit,
            )
        finish(person, course, django_capture_on_commit_callbacks)
        people[key] = person
    with django_capture_on_commit_callbacks(execute=True):
        for key in ("old", "older", "recent"):
            user_set_active(user=people[key], is_active=False)
    User.objects.filter(pk=people["old"].pk).update(deactivated_at=now - datetime.timedelta(days=366))
    User.objects.filter(pk=people["older"].pk).update(deactivated_at=now - datetime.timedelta(days=800))
    User.objects.filter(pk=people["recent"].pk).update(deactivated_at=now - datetime.timedelta(days=364))
    return people


def personal(user) -> tuple:
    user.refresh_from_db()
    return (user.username, user.display_name, user.email, user.employee_id, user.position, user.password)


def test_the_job_anonymises_exactly_the_people_who_left_before_the_retention_period(leavers, caplog):
    kept = {key: personal(leavers[key]) for key in ("recent", "staying")}
    with caplog.at_level(logging.INFO, logger="accounts.services"):
        assert anonymise_leavers.delay().get() == 2
    assert "leavers anonymised: 2" in caplog.text
    for key in ("old", "older"):
        person = leavers[key]
        username, display_name, email, employee_id, position, _password = personal(person)
        assert username.startswith(ANONYMISED_USERNAME_PREFIX) and "E100" not in username
        assert (display_name, email, employee_id, position) == ("", "", None, "")
        assert not person.has_usable_password() and person.anonymised_at is not None
        assert person.department_id is not None and not person.is_active
        assert person.get_full_name() == username
    assert {key: personal(leavers[key]) for key in ("recent", "staying")} == kept


def test_a_second_run_changes_nothing(leavers):
    assert leavers_anonymise() == 2
    snapshot = list(User.objects.order_by("pk").values())
    certificates = list(Certificate.objects.order_by("pk").values())
    assert leavers_anonymise() == 0
    assert list(User.objects.order_by("pk").values()) == snapshot
    assert list(Certificate.objects.order_by("pk").values()) == certificates


def test_the_retention_period_is_a_setting(leavers, settings):
    settings.LEAVER_RETENTION_DAYS = 30
    assert leavers_anonymise() == 3


def test_records_of_learning_stay_and_report_totals_are_unchanged(leavers, course):
    ids = [person.pk for person in leavers.values()]
    records = (
        CourseProgress.objects.filter(user_id__in=ids, completed_at__isnull=False).count(),
        HourEntry.objects.filter(user_id__in=ids).count(),
        Certificate.objects.filter(user_id__in=ids, revoked_at__isnull=True).count(),
    )
    stored_before, computed_before = summaries_stored(), summaries_compute()
    assert summaries_mismatches(computed_before, stored_before) == []
    call_command("reports_recompute", "--check")
    assert records_verify().clean

    assert leavers_anonymise() == 2

    assert summaries_stored() == stored_before
    assert summaries_compute() == computed_before
    call_command("reports_recompute", "--check")
    assert records_verify().problems == []
    assert (
        (
            CourseProgress.objects.filter(user_id__in=ids, completed_at__isnull=False).count(),
            HourEntry.objects.filter(user_id__in=ids).count(),
            Certificate.objects.filter(user_id__in=ids, revoked_at__isnull=True).count(),
        )
        == records
        == (4, 4, 4)
    )


def test_an_anonymised_persons_certificate_verifies_with_course_and_date_and_no_name(
    leavers, client, django_capture_on_commit_callbacks
):
    certificate = Certificate.objects.get(user=leavers["old"])
    assert certificate.pdf  # drawn on completion
    pdf_name, storage = certificate.pdf.name, certificate.pdf.storage
    assert storage.exists(pdf_name)
    page = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "王离职" in page

    with django_capture_on_commit_callbacks(execute=True):
        leavers_anonymise()

    certificate.refresh_from_db()
    assert certificate.learner_name == "" and certificate.anonymised_at is not None
    assert not certificate.pdf and not storage.exists(pdf_name)  # the PDF printed the name
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in page and certificate.course_title in page
    # The page gives the date in the city's time zone (after 16:00 UTC it is already tomorrow there).
    assert timezone.localtime(certificate.completed_at).strftime("%Y-%m-%d") in page
    assert "王离职" not in page and ">Name<" not in page
    assert "personal data of people who have left is anonymised" in page
    # Never drawn again with a name.
    from certificates.services import certificate_render

    assert certificate_render(certificate_id=certificate.pk, force=True) is False


def test_the_names_in_log_labels_the_avatar_and_people_import_rows_go_too(leavers):
    person = leavers["old"]
    ModelLogEntry.objects.log_action(person, "accounts.roles_changed", data={})
    account_event_log(action=LOGIN_ACTION, username=person.username, account=person, actor=person)
    people_import = PeopleImport.objects.create(
        original_name="people.csv",
        status=PeopleImport.Status.DONE,
        results=[
            {"row": 2, "employee_id": "E1001", "name": "王离职", "department": "市财政局", "action": "update"},
            {"row": 3, "employee_id": "E1004", "name": "钱在职", "department": "市财政局", "action": "update"},
        ],
    )
    assert ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list("label", flat=True)[0] == "王离职"
    UserProfile.objects.filter(pk=UserProfile.get_for_user(person).pk).update(avatar="avatar_images/photo.png")
    leavers_anonymise()
    assert set(ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list("label", flat=True)) == {""}
    sign_in = ModelLogEntry.objects.get(object_id=str(person.pk), action=LOGIN_ACTION)
    assert sign_in.data["username"] == "" and sign_in.user_id == person.pk
    people_import.refresh_from_db()
    assert [row["name"] for row in people_import.results] == ["", "钱在职"]
    assert UserProfile.get_for_user(person).avatar.name == ""
    assert people_import.results[0]["employee_id"] == ""


def test_the_job_is_on_the_beat_schedule(settings):
    assert any(job["task"] == "accounts.tasks.anonymise_leavers" for job in settings.CELERY_BEAT_SCHEDULE.values())


# ---------------------------------------------------------------------------- deletion


@pytest.fixture
def with_records(unit, course, django_capture_on_commit_callbacks):
    person = UserFactory(username="u2001", display_name="孙学员", department=unit)
    finish(person, course, django_capture_on_commit_callbacks)
    return person


def test_deleting_a_person_never_deletes_their_records(with_records):
    with pytest.raises(ProtectedError):
        with_records.delete()
    assert User.objects.filter(pk=with_records.pk).exists()
    assert Certificate.objects.filter(user=with_records).exists()


def _drop(person, kind: str) -> None:
    if kind == "certificate":
        Certificate.objects.filter(user=person).delete()
    elif kind == "hours":
        HourEntry.objects.filter(user=person).delete()
    else:  # progress: the course's row, its step completions and the enrolment
        CourseProgress.objects.filter(user=person).delete()
        person.step_completions.all().delete()
        person.enrolments.all().delete()


@pytest.mark.parametrize("record", ["attempt", "progress", "hours", "certificate"])
def test_each_kind_of_learning_record_alone_protects_the_person(
    record, unit, course, django_capture_on_commit_callbacks
):
    person = UserFactory(department=unit)
    if record == "attempt":
        attempt_start(quiz=make_quiz_of([make_question(single_choice("G2C 指的是？"))]), user=person)
    else:
        finish(person, course, django_capture_on_commit_callbacks)
        for kind in {"progress", "hours", "certificate"} - {record}:
            _drop(person, kind)
    with pytest.raises(ProtectedError):
        person.delete()
    assert User.objects.filter(pk=person.pk).exists()
    assert Attempt.objects.filter(user=person).exists() == (record == "attempt")


def test_a_person_without_records_can_still_be_deleted_in_the_admin(city_admin, unit, client):
    person = UserFactory(department=unit)
    client.force_login(city_admin)
    url = reverse("wagtailusers_users:delete", args=[person.pk])
    page = client.get(url).content.decode()
    assert "cannot be deleted" not in page and "Yes, delete" in page
    assert client.post(url).status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_the_admin_explains_why_a_person_with_records_cannot_be_deleted(city_admin, with_records, client):
    client.force_login(city_admin)
    url = reverse("wagtailusers_users:delete", args=[with_records.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This person cannot be deleted" in page and "records of learning" in page
    assert "Certificate: 1" in page and "Course progress: 1" in page
    assert "Deactivate them instead" in page and "365 days after they left" in page
    assert reverse("wagtailusers_users:edit", args=[with_records.pk]) in page
    assert "Yes, delete" not in page
    # A delete posted anyway is refused with the same explanation, not a server error.
    response = client.post(url)
    assert response.status_code == 409
    assert "This person cannot be deleted" in response.content.decode()
    assert User.objects.filter(pk=with_records.pk).exists()


def test_the_bulk_delete_leaves_people_with_records_and_says_why(city_admin, with_records, unit, client):
    other = UserFactory(department=unit)
    client.force_login(city_admin)
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "delete")) + f"?id={with_records.pk}&id={other.pk}"
    page = client.get(url).content.decode()
    assert "have records of learning, which must be kept" in page and "孙学员" in page
    assert client.post(url).status_code == 302
    assert User.objects.filter(pk=with_records.pk).exists()
    assert not User.objects.filter(pk=other.pk).exists()
