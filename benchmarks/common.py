"""What the benchmark scripts share: a throw-away PostgreSQL database and quiet manage.py runs.

Standard library and psycopg only, so a script can import it before Django is set up. (The older
scripts still carry their own copies; new ones start here, as the house style asks.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(statement, params).fetchall()


def django_env(url: str, media_root: str) -> dict[str, str]:
    """Development settings (as manage.py uses) on the given database, uploads and certificate
    PDFs under media_root, and no broker: whatever a loader enqueues runs in-process, so nothing
    is left queued for a worker that is not there."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_MEDIA_ROOT=media_root,
        CERTIFICATE_ROOT=os.path.join(media_root, "certificates"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def manage(env: dict[str, str], *arguments: str) -> float:
    """Run a manage.py command quietly; show its output only if it fails. Returns the seconds taken."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(arguments)} failed (exit {result.returncode})")
    elapsed = time.perf_counter() - started
    print(f"  manage.py {' '.join(arguments)}: {elapsed:.1f} s")
    return elapsed
