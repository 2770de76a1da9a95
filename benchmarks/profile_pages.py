"""Where a request's time goes (issue 17 item 1): the About page, a lesson page, the catalogue and a
quiz page, each requested many times in-process under cProfile, as the signed-in demo learner, with
the production settings on PostgreSQL and Redis.

For each page it prints the CPU milliseconds per request, the queries per request, the time per
layer (each middleware's own work, the view, templates, context processors, the database driver,
the cache, sessions), in CPU time so that waiting on a busy machine does not swamp it, and the functions of this project and of Django/Wagtail that cost most.
The figures are relative: profiling slows every Python call by a similar factor.

The database must hold the demo city (`manage.py load_demo_city`); it is not changed except for
the sessions and page-view tokens that signing in and reading make. Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/profile_pages.py \
        [--requests 200] [--top 25] [--page lesson]
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import secrets
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEARNER_USERNAME = "learner"
PAGES = {
    "about": "/about/",
    "lesson": "/courses/egov-basics/what-is-egov/",
    "catalogue": "/courses/",
    "quiz": "/courses/egov-basics/knowledge-check/",
}
# Layers, by where a function lives (first match wins). Time is cProfile's own time (tottime).
LAYERS = [
    ("database driver", ("psycopg", "django/db/backends")),
    ("ORM", ("django/db/models",)),
    ("cache and redis", ("redis/", "django/core/cache", "config/cache.py")),
    ("sessions", ("django/contrib/sessions",)),
    ("auth", ("django/contrib/auth",)),
    ("templates", ("django/template", "wagtail/templatetags", "templatetags")),
    ("translation", ("django/utils/translation", "gettext")),
    ("CSP", ("csp/",)),
    ("middleware (Django and ours)", ("django/middleware", "middleware.py", "config/logs.py", "axes/", "whitenoise/")),
    ("logging", ("logging/", "pythonjsonlogger")),
    ("URL resolving", ("django/urls",)),
    ("Wagtail pages and serving", ("wagtail/",)),
    ("our apps", tuple(f"/{app}/" for app in (
        "courses", "quizzes", "studytime", "accounts", "notifications", "home", "reports", "hours", "config",
        "assignments", "certificates", "departments", "privatefiles", "outbox", "privacy", "records", "operations",
    ))),
    ("Django (other)", ("django/",)),
]


def layer_of(filename: str) -> str:
    for name, needles in LAYERS:
        if any(needle in filename for needle in needles):
            return name
    return "Python and other libraries"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(45))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    # The demo city's images and files are where `make run` put them (the project's media/).
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "media"))
    os.environ.setdefault("DJANGO_PRIVATE_ROOT", str(ROOT / "private"))
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as production serves them
    logging.disable(logging.INFO)  # the request log line costs little; printing it here would drown the report


def profile_page(client, path: str, requests: int, top: int) -> None:
    from django.db import connection, reset_queries

    for _ in range(3):  # warm caches, compiled templates, the outline
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    connection.force_debug_cursor = True
    reset_queries()
    client.get(path)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    # CPU time of this process, not wall time: waiting for PostgreSQL or Redis on a busy machine
    # would otherwise swamp what the Python layers cost. The wall time is printed beside it.
    profiler = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # tottime
    layers: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), row in stats.stats.items():
        layers[layer_of(filename)] += row[2]
    print(
        f"\n== {path}: {total * 1000 / requests:.2f} ms CPU per request (profiled; wall {wall * 1000 / requests:.2f} ms),"
        f" {len(queries)} queries"
    )
    for name, seconds in sorted(layers.items(), key=lambda item: -item[1]):
        print(f"   {name:32s} {seconds * 1000 / requests:7.3f} ms  {100 * seconds / total:5.1f} %")
    print(f"   top {top} by cumulative time (ms per request), this project and its libraries:")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    shown = 0
    for (filename, line, name), row in rows:
        if "site-packages/django/test" in filename or filename.startswith("<") or "profile_pages" in filename:
            continue
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(f"   {row[3] * 1000 / requests:8.3f}  {short}:{line}({name})")
        shown += 1
        if shown >= top:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--page", choices=sorted(PAGES), action="append")
    arguments = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=LEARNER_USERNAME))
    for name in arguments.page or list(PAGES):
        profile_page(client, PAGES[name], arguments.requests, arguments.top)


if __name__ == "__main__":
    main()
