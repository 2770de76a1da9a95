"""PostgreSQL prepares the statements a connection runs again (DATABASE_PREPARED_STATEMENTS, on by
default): the server then only executes them instead of parsing and planning each (issue 17).
The whole suite runs this way in CI. Behind a connection pooler in transaction mode it must be
off, and =0 turns it off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _prepared_statements_naming(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{marker}%"])
        return cursor.fetchone()[0]


def test_a_statement_run_again_is_prepared_on_the_connection(require_postgres):
    if os.environ.get("DATABASE_PREPARED_STATEMENTS", "1").strip().lower() not in {"1", "true", "yes", "on"}:
        pytest.skip("the suite runs with DATABASE_PREPARED_STATEMENTS turned off")
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    assert _prepared_statements_naming("prepared_probe") == 0
    with connection.cursor() as cursor:
        for value in range(7):  # the same statement with other values
            cursor.execute("SELECT %s::integer + 1 AS prepared_probe", [value])
            assert cursor.fetchone() == (value + 1,)
    assert _prepared_statements_naming("prepared_probe") == 1
    # The ORM's statements too: the same query with other values, from the fifth run on.
    for user_id in range(1, 8):
        assert not User.objects.filter(pk=user_id, username="nobody", email="prepared@example.org").exists()
    assert _prepared_statements_naming('"accounts_user"."email" = $2') == 1


def _options(prepared: str | None) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "DATABASE_PREPARED_STATEMENTS": prepared or "",
    }
    if prepared is None:
        del environment["DATABASE_PREPARED_STATEMENTS"]
    script = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_it_is_on_by_default_and_the_setting_turns_it_off_for_a_pooler():
    assert "'server_side_binding': True" in _options(None)
    assert "'server_side_binding': True" in _options("1")
    assert "server_side_binding" not in _options("0")


def test_a_statement_with_more_parameters_than_the_protocol_carries_still_runs(require_postgres):
    """An IN list of 70,000 ids (a province's people) is bound on the client, not refused."""
    people = [UserFactory(), UserFactory()]
    wanted = [*range(10_000_000, 10_070_000), people[1].pk]
    assert list(User.objects.filter(pk__in=wanted).values_list("pk", flat=True)) == [people[1].pk]
    # Text values are quoted as Django quotes them without server-side binding.
    names = [people[0].username, *(f"nobody'{n}" for n in range(66_000))]
    assert User.objects.filter(username__in=names).count() == 1
