"""Leavers in a real browser (issue 10, part 3): a city admin deactivates a learner in the Wagtail
admin with the real buttons and the learner's open browser is signed out on its next click; an
admin who tries to delete a person with records of learning is told why and what to do instead,
and the person stays."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import UserSession
from accounts.services import user_roles_update
from courses.services import step_complete
from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps

from .test_admin import PASSWORD, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
User = get_user_model()


@pytest.fixture
def people(catalogue):
    unit = DepartmentFactory(name="市财政局", name_en="Finance Bureau")
    learner = UserFactory(username="leaver", display_name="周离职", department=unit)
    for step in course_steps(build_course(catalogue, steps=2, slug="leaver-course")):
        step_complete(user=learner, step=step)  # progress, hours and a certificate: records of learning
    city_admin = UserFactory(username="cityadmin-b", display_name="信息办管理员", department=unit)
    user_roles_update(user=city_admin, department=unit, is_trainer=False, is_department_head=False, is_city_admin=True)
    return learner, city_admin


def test_a_deactivated_learner_is_signed_out_on_their_next_click(live_server_url, visitor_factory, people):
    learner, city_admin = people
    learner_tab = visitor_factory(live_server_url)
    learner_tab.log_in("leaver", PASSWORD)
    learner_tab.goto("/learn/my/")
    assert learner_tab.page.url.endswith("/learn/my/")

    admin = visitor_factory(live_server_url)
    admin_login(admin, "cityadmin-b")
    admin.goto("/admin/users/")
    admin.click(admin.page.get_by_role("link", name="周离职"))
    active = admin.page.locator("#id_is_active")
    assert active.is_checked()
    active.uncheck()
    admin.click(admin.page.locator("footer button[type=submit]").first)
    learner.refresh_from_db()
    assert not learner.is_active and learner.deactivated_at is not None
    assert not UserSession.objects.filter(user=learner).exists()  # ended, not just refused

    # The learner's open page: the next click lands on the sign-in page.
    learner_tab.click(learner_tab.page.locator("header a[href='/learn/my/']").first)
    assert "/accounts/login/" in learner_tab.page.url


def test_deleting_a_person_with_records_is_explained_and_refused(live_server_url, visitor_factory, people):
    learner, city_admin = people
    city_admin.user_permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="delete_user"))
    admin = visitor_factory(live_server_url)
    admin_login(admin, "cityadmin-b")
    admin.goto(reverse("wagtailusers_users:edit", args=[learner.pk]))
    page = admin.page
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").first.click()  # the header's "Actions" menu
    admin.click(page.locator(f"a[href='{reverse('wagtailusers_users:delete', args=[learner.pk])}']").first)
    refusal = page.locator("[data-delete-refused]")
    text = refusal.inner_text()
    assert "This person cannot be deleted" in text
    assert "records of learning, which must be kept" in text
    assert "Deactivate them instead" in text and "365 days after they left" in text
    assert page.get_by_role("button", name="Yes, delete").count() == 0
    admin.click(page.get_by_role("link", name="Edit the account to deactivate it"))
    assert page.url.endswith(reverse("wagtailusers_users:edit", args=[learner.pk]))
    assert User.objects.filter(pk=learner.pk, is_active=True).exists()
