"""records_verify benchmark: how long does checking every derived record take at province scale?

A dedicated PostgreSQL database is created and migrated, the demo city is loaded
(`load_demo_city`) and the synthetic province generated (`generate_province`, its default sizes
unless given: 100,000 learners, 500 units, 200 courses, about a million progress rows, 400,000
completions with their hour entries and certificates, required learning for the whole province).
Then a fresh Python process runs `records.services.records_verify()` (what `manage.py
records_verify` runs, same settings) once, and reports its wall time, its peak resident memory
(ru_maxrss of that process, Django's start included) and the number of mismatches it found,
which must be 0: issue 11 asks for a clean province. With --breakdown each check is then timed on
its own as well.

Target: under 2 minutes. The last line is machine-readable:

    seconds=<n> peak_mb=<n> problems=<n> generate_s=<n> progress_rows=<n>

egov_bench_records is dropped at the end (keep it with --keep-db); with --database-url an existing
database is used (migrated, city loaded, province generated only if missing) and never dropped.

Run from the project root:

    .venv/bin/python benchmarks/records_verify.py [--keep-db] [--database-url URL] [--breakdown]
        [--learners N] [--departments N] [--courses N] [--big-department N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from common import ROOT, database_url, django_env, drop_database, manage, query, recreate_database

BENCH_DATABASE = "egov_bench_records"
TARGET_SECONDS = 120
SIZE_OPTIONS = ("learners", "departments", "courses", "big_department")
SHOWN_PROBLEMS = 20


def measure(breakdown: bool) -> None:
    """In the Django subprocess: one records_verify, then (optionally) each check on its own."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from records.services import RECORD_CHECKS, records_verify

    started = time.perf_counter()
    result = records_verify()
    seconds = time.perf_counter() - started
    # Read before the breakdown, which would only add its own peaks.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    figures = {"seconds": seconds, "peak_mb": peak_mb, "problems": len(result.problems), "checks": {}}
    for problem in result.problems[:SHOWN_PROBLEMS]:
        sys.stderr.write(problem + "\n")
    if breakdown:
        for check in RECORD_CHECKS:
            started = time.perf_counter()
            check.find()
            figures["checks"][check.name] = time.perf_counter() - started
    print(json.dumps(figures))


def run_measurement(env: dict[str, str], breakdown: bool) -> dict:
    command = [sys.executable, __file__, "--measure"] + (["--breakdown"] if breakdown else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"the measuring process failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare_database(env: dict[str, str], url: str, sizes: list[str]) -> float:
    """Migrate, load the city and generate the province (if missing). Returns the generator's seconds."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_city")
    if query(url, "SELECT 1 FROM departments_department WHERE code = 'province'"):
        print("  province already generated: kept")
        return 0.0
    return manage(env, "generate_province", *sizes)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--database-url", help="use this existing database instead (never dropped)")
    parser.add_argument("--breakdown", action="store_true", help="also time each check on its own")
    for name in SIZE_OPTIONS:
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, help="generate_province's option of that name")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # internal: the Django subprocess
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if arguments.measure:
        measure(arguments.breakdown)
        return

    sizes = [
        f"--{name.replace('_', '-')}={getattr(arguments, name)}"
        for name in SIZE_OPTIONS
        if getattr(arguments, name) is not None
    ]
    url = arguments.database_url or database_url(BENCH_DATABASE)
    media_root = tempfile.mkdtemp(prefix="egov-bench-records-")
    created_database = False
    try:
        if not arguments.database_url:
            print(f"Recreating database {BENCH_DATABASE}")
            recreate_database(BENCH_DATABASE)
            created_database = True
        env = django_env(url, media_root)
        print(f"Preparing the demo city and the province ({' '.join(sizes) or 'default sizes'})")
        generate_seconds = prepare_database(env, url, sizes)
        counts = {
            table: query(url, f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 (names from this list)
            for table in (
                "accounts_user",
                "courses_courseprogress",
                "courses_stepcompletion",
                "assignments_learnerassignment",
                "hours_hourentry",
                "certificates_certificate",
                "reports_departmentcoursesummary",
            )
        }
        print("  rows: " + ", ".join(f"{table}={count}" for table, count in counts.items()))
        print("Running records_verify in a fresh process")
        figures = run_measurement(env, arguments.breakdown)
    finally:
        if created_database and not arguments.keep_db:
            drop_database(BENCH_DATABASE)
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(media_root, ignore_errors=True)
    for name, seconds in figures["checks"].items():
        print(f"  check {name}: {seconds:.1f} s")
    verdict = "" if figures["seconds"] <= TARGET_SECONDS else ", MISSED"
    print(
        f"records_verify: {figures['seconds']:.1f} s (target <= {TARGET_SECONDS} s{verdict}), "
        f"peak {figures['peak_mb']:.0f} MB, {figures['problems']} mismatches"
    )
    print(
        f"seconds={figures['seconds']:.1f} peak_mb={figures['peak_mb']:.0f} problems={figures['problems']} "
        f"generate_s={generate_seconds:.1f} progress_rows={counts['courses_courseprogress']}"
    )


if __name__ == "__main__":
    main()
