"""A city administrator who is not a superuser reads the audit trail in a real browser (a
download of personal data and a lockout are listed) and unlocks the locked-out account with
the button of the locked-out accounts page: the lockout is gone and the unlock is audited."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.audit import LOCKED_OUT_ACTION, UNLOCKED_ACTION
from accounts.services import user_roles_update
from privatefiles.audit import DOWNLOAD_ACTION
from tests.factories import UserFactory
from tests.factories.reports import build_city

from .test_admin import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_city_admin_reads_the_audit_trail_and_unlocks_a_locked_out_account(visitor, catalogue, file_roots):
    city = build_city(catalogue, per_unit=1, courses=1)
    user_roles_update(
        user=city.admin, department=city.city, is_trainer=False, is_department_head=False, is_city_admin=True
    )
    city.admin.refresh_from_db()
    assert not city.admin.is_superuser
    # A head downloads a report of their people; someone else's account gets locked out.
    head = Client()
    head.force_login(city.finance_head)
    export = reverse("reports:export", args=["course_learners", "csv"])
    assert head.get(export, {"course": city.courses[0].pk}).status_code == 200
    locked = UserFactory(username="locked.person", department=city.police)
    attacker = Client(REMOTE_ADDR="10.66.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "locked.person", "password": "wrong-password"})
    assert ModelLogEntry.objects.filter(action=LOCKED_OUT_ACTION, object_id=str(locked.pk)).exists()
    assert AccessAttempt.objects.filter(username="locked.person").exists()

    admin_login(visitor, "cityadmin")
    visitor.goto("/admin/audit/", expect_status=200)
    trail = visitor.text("[data-audit-trail]")
    assert "Download personal data" in trail and "Downloaded course_learners-" in trail
    assert "Account locked out" in trail and "Account locked.person locked out" in trail

    visitor.goto("/admin/audit/lockouts/", expect_status=200)
    row = visitor.page.locator("[data-lockout='locked.person']")
    assert row.count() == 1
    visitor.click(row.locator("button[type=submit]"))
    assert "locked.person can sign in again." in visitor.text()
    assert visitor.page.locator("[data-lockout='locked.person']").count() == 0

    assert not AccessAttempt.objects.filter(username="locked.person").exists()
    unlock = ModelLogEntry.objects.get(action=UNLOCKED_ACTION)
    assert (unlock.object_id, unlock.user_id) == (str(locked.pk), city.admin.pk)
    visitor.goto("/admin/audit/", expect_status=200)
    assert "Account locked.person unlocked in the admin" in visitor.text("[data-audit-trail]")
    assert ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION, user=city.finance_head).exists()
