"""Role journeys: a learner, a trainer, a reviewer (city admin) and a head go through the demo city
in a real browser, pressing every button of their work, and each step is checked in the database.

The demo city is loaded once per session into the test database and kept: the journeys run after
every other test (tests/conftest.py orders them last), because other tests expect an empty
database. Each journey uses people of its own, so the journeys do not depend on each other's order.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from tests.browser.fixtures import start_live_server, stop_live_server

DEMO_PASSWORD = "Training-2026"


def _restore_migrated_rows():
    """Transactional tests that ran before have emptied the tables, and with them the rows that
    migrations wrote (Wagtail's root page and collection, its admin permission...). Put back the
    copy Django serialized when it created the test database (the journeys ask for one with
    serialized_rollback)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    if not Page.objects.exists():
        # Empty again first: the last flush made content types and permissions anew (other ids).
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        # The rows came back with their ids: move PostgreSQL's sequences past them (as loaddata does).
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    ContentType.objects.clear_cache()


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Journeys are marked django_db(serialized_rollback=True), so pytest-django creates (and
    serializes) the test database for them. They
    must not run inside a transaction that is rolled back (pytest-django's wrapper, replaced here
    for this folder): the live server has to see what a journey seeds, and work queued on commit
    (summaries, certificates) has to run, on SQLite as on PostgreSQL."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="session")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"refusing to load the demo city into {name}"
        _restore_migrated_rows()
        call_command("load_demo_city", verbosity=0)


@pytest.fixture(scope="session")
def demo_server(demo_city, django_db_blocker):
    with django_db_blocker.unblock():
        server = start_live_server()
    yield server
    with django_db_blocker.unblock():
        stop_live_server(server)


@pytest.fixture
def visit(demo_server, visitor_factory):
    """visit(username, locale="zh-CN") → a logged-in Visitor on the demo city."""

    def open_as(username: str | None, *, locale: str = "zh-CN", viewport=None):
        visitor = visitor_factory(demo_server.url, locale=locale, viewport=viewport)
        if username:
            visitor.log_in(username, DEMO_PASSWORD)
        return visitor

    return open_as
