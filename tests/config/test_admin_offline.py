"""The admin makes no request outside the site: no release check, no Gravatar, no oEmbed look-ups,
no "what's new" banner. The browser test (tests/browser/test_admin.py) records what a browser asks for."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_neither_checks_for_upgrades_nor_shows_gravatars(client, site_tree):
    admin = UserFactory(is_superuser=True, is_staff=True, email="cityadmin@example.gov.cn")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert 'data-controller="w-upgrade' not in html  # the script that asks Wagtail's release server
    assert "gravatar" not in html
    assert "w-whats-new" not in html


def test_no_oembed_provider_is_asked():
    from wagtail.embeds.finders import get_finders

    get_finders.cache_clear()
    try:
        assert get_finders() == []
    finally:
        get_finders.cache_clear()
