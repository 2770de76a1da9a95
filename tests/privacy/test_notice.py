"""The privacy notice: open to everyone, linked from the login page and every page's footer,
stating the retention periods and the contact that the settings give, in both languages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_notice_is_open_to_everyone_and_linked_from_the_login_page(client):
    notice = reverse("privacy:notice")
    assert notice == "/privacy/"
    login = client.get(reverse("accounts:login")).content.decode()
    assert login.count(f'href="{notice}"') == 2  # under the form, and in the footer
    response = client.get(notice)
    assert response.status_code == 200
    html = response.content.decode()
    for promise in (
        "employee ID, department, position and rank",
        "quiz attempts",
        "credit hours",
        "certificates",
        "notifications",
        "Sign-in records",
        "Your department head",
        "every unit under it",
        "The Informatization Office",
    ):
        assert promise in html, promise
    assert reverse("privacy:my_data") not in html  # My data needs a sign-in: the notice says so instead
    assert "After signing in, you can download a copy of your data" in html


def test_signed_in_people_find_the_notice_and_my_data_in_the_footer(client):
    client.force_login(UserFactory())
    html = client.get(reverse("privacy:notice")).content.decode()
    footer = html[html.index('<footer class="site-footer') :]
    assert f'href="{reverse("privacy:notice")}"' in footer and f'href="{reverse("privacy:my_data")}"' in footer
    assert f'href="{reverse("privacy:my_data")}"' in html[: html.index("<footer")]  # and in the notice


def test_the_retention_periods_come_from_the_settings(client, settings):
    settings.EXPORT_RETENTION_DAYS = 5
    settings.UPLOAD_RETENTION_DAYS = 21
    settings.LEAVER_RETENTION_DAYS = 730
    html = client.get(reverse("privacy:notice")).content.decode()
    assert "730 days later your name, employee id, e-mail and position are removed" in html
    assert "deleted 5 days after they are prepared" in html
    assert "deleted after 21 days" in html


def test_without_a_leaver_setting_the_notice_states_a_year(client, settings):
    if hasattr(settings, "LEAVER_RETENTION_DAYS"):
        del settings.LEAVER_RETENTION_DAYS
    assert "365 days later your name" in client.get(reverse("privacy:notice")).content.decode()


def test_the_contact_is_the_informatization_office_unless_configured(client, settings):
    html = client.get(reverse("privacy:notice")).content.decode()
    assert "Questions and requests about your personal information: Municipal Informatization Office." in html
    assert "mailto:" not in html
    settings.PRIVACY_CONTACT = {"name": ("数据保护专员", "Data protection officer"), "email": "dpo@example.gov.cn"}
    html = client.get(reverse("privacy:notice")).content.decode()
    assert "personal information: Data protection officer." in html
    assert 'href="mailto:dpo@example.gov.cn"' in html


def test_the_notice_speaks_chinese(client):
    html = client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "隐私政策" in html and "《中华人民共和国个人信息保护法》" in html
    assert "有关个人信息的问题和申请，请联系：市信息化办公室。" in html
    assert "Privacy notice" not in html
