"""Search benchmark (issue 15): the catalogue search on the province generator's catalogue.

A throw-away PostgreSQL database (egov_search_bench) is created and migrated; the province
generator's 200 courses and their steps are written under a home page (demo.province.create_courses)
and a few hundred questions are added for the question bank; then

* ``manage.py update_index`` rebuilds the whole index (timed: target ≤ 60 s), then ``VACUUM
  ANALYZE`` leaves the tables as autovacuum keeps them on a running site: statistics for the
  planner (a database written a moment ago has none, and the planner then joins the index entries
  row by row), and the rebuild's dead rows and the GIN index's pending list cleared (the rebuild
  leaves about two dead entries per live one and every new entry in the pending list, which each
  search then reads in full: the expression index served no selective word until a VACUUM; the
  test server runs with autovacuum off, so the script does what autovacuum would);
* 20 representative queries (Chinese words, a word inside a title, English terms, pinyin initials,
  a query that finds nothing) are run through the catalogue search as a signed-in learner sees it
  (the catalogue page served and rendered: courses found, one page of 20 cards with their matching
  steps), 5 rounds after a warm-up round: p95 of the per-query times (target ≤ 50 ms). Each
  query's line gives the courses found, the SQL queries its page runs once the caches are warm
  (counted in an untimed round after the warm-up) and its median and slowest time over the
  rounds, so the slow ones stand out.

The last line is machine-readable:

    search_p95_ms=<n> rebuild_s=<n> documents=<n>

Run from the project root: ``.venv/bin/python benchmarks/search.py [--database NAME] [--keep-db]``
(the database is dropped and created again: give a name of your own when others run benchmarks too)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import database_url, drop_database, recreate_database  # noqa: E402

DATABASE = os.environ.get("SEARCH_BENCH_DATABASE", "egov_search_bench")
ROUNDS = 5
QUERIES = [
    "电子政务",
    "网络安全",
    "信息安全",
    "一网通办",
    "数据共享",
    "协同办公",
    "项目管理",
    "专题",
    "操作要点",
    "案例分析",
    "常见问题",
    "基本要求",
    "省级培训",
    "Network",
    "E-government",
    "information security",
    "dzzw",
    "wlxxaq",
    "第 3 步",
    "量子计算",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database",
        default=DATABASE,
        help=f"the throw-away PostgreSQL database (dropped and created; default {DATABASE})",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    arguments = parser.parse_args()

    recreate_database(arguments.database)
    media = tempfile.mkdtemp(prefix="search-bench-")
    os.environ.update(DATABASE_URL=database_url(arguments.database), DJANGO_MEDIA_ROOT=media)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        if not arguments.keep_db:
            drop_database(arguments.database)


def run() -> None:
    from django.core.management import call_command
    from django.test import RequestFactory
    from wagtail.models import Page

    from courses.models import CourseIndexPage
    from demo.province import ProvinceReport, ProvinceSize, create_courses
    from home.models import HomePage
    from quizzes.models import Question, QuestionCategory
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    home = HomePage(title="首页", slug="bench-home")
    root.add_child(instance=home)
    started = time.perf_counter()
    create_courses(home, ProvinceSize(courses=200), random.Random(2026), ProvinceReport())
    category = QuestionCategory.objects.create(name="基准")
    Question.objects.bulk_create(
        Question(category=category, stem=f"关于{topic}的第 {number} 题：下列说法正确的是？", name=f"Q{number:04d}")
        for number, topic in enumerate(["电子政务", "网络安全", "数字证书", "电子公文", "等级保护"] * 80, start=1)
    )
    print(f"  catalogue written in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    rebuild = time.perf_counter() - started
    from django.db import connection
    from wagtail.search.models import IndexEntry

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # outside a transaction: Django's connection autocommits

    documents = IndexEntry.objects.count()
    print(f"  update_index: {rebuild:.1f} s, {documents} documents")

    catalogue = CourseIndexPage.objects.get()
    learner = UserFactory(username="search-bench")
    from django.contrib.sessions.backends.cache import SessionStore

    def search(query: str) -> int:
        # The page as the learner gets it: the search, one page of cards, the template rendered.
        request = RequestFactory().get(catalogue.url or "/", {"q": query})
        request.user, request.session = learner, SessionStore()
        response = catalogue.serve(request)
        response.render()
        return response.context_data["result_total"]

    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    found = {query: search(query) for query in QUERIES}  # warm-up round: the caches a running site has
    queries = {}
    for query in QUERIES:  # the SQL queries of each page once warm (not timed)
        reset_queries()  # the log keeps 9,000 queries: full after writing the catalogue, it counts none
        with CaptureQueriesContext(connection) as captured:
            search(query)
        queries[query] = len(captured)
    times, per_query = [], {query: [] for query in QUERIES}
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            search(query)
            elapsed = (time.perf_counter() - started) * 1000
            times.append(elapsed)
            per_query[query].append(elapsed)
    p95 = statistics.quantiles(times, n=20)[-1]
    for query, count in found.items():
        spent = per_query[query]
        print(
            f"  {query}: {count} courses, {queries[query]} queries,"
            f" median {statistics.median(spent):.1f} ms, max {max(spent):.1f} ms"
        )
    print(f"  median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {len(times)} searches")
    print(f"search_p95_ms={p95:.1f} rebuild_s={rebuild:.1f} documents={documents}")


if __name__ == "__main__":
    main()
