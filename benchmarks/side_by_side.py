"""Our pages beside wagtail-lms and stock Wagtail, in one run (issue 17's targets).

Runs the workplace's side-by-side harness (`../shared/peer-bench/side_by_side.sh`: both sites on
PostgreSQL, DEBUG off, gunicorn 2 sync workers, wrk 8 connections, a logged-in learner,
alternating rounds, medians) on a clone of this checkout's HEAD, then prints our ratios and
whether each target is met:

    vs_peer         our lesson page / the wagtail-lms lesson page        (target >= 2.0)
    bare_vs_stock   our About page / a stock Wagtail page                 (target >= 1.0)
    lesson_over_about  our lesson page / our own About page               (target >= 0.9)

Figures from a busy machine say nothing: run it on a quiet one. Last line:

    vs_peer=<x> bare_vs_stock=<x> lesson_over_about=<x> ours_lesson_rps=<n> peer_lesson_rps=<n> ours_bare_rps=<n> peer_bare_rps=<n>

    .venv/bin/python benchmarks/side_by_side.py [--rounds 5] [--seconds 8] [--peer-bench DIR] [--keep-databases]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"vs_peer": 2.0, "bare_vs_stock": 1.0, "lesson_over_about": 0.9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--peer-bench", type=Path, default=ROOT.parent / "shared" / "peer-bench")
    parser.add_argument("--keep-databases", action="store_true", help="keep sbs_ours and sbs_peer")
    arguments = parser.parse_args()
    harness = arguments.peer_bench / "side_by_side.sh"
    if not harness.exists():
        raise SystemExit(f"no side-by-side harness at {harness} (pass --peer-bench)")
    with tempfile.TemporaryDirectory(prefix="side-by-side-") as scratch:
        environment = {
            **os.environ,
            "PROJECT_DIR": str(ROOT),
            "SCRATCH": scratch,
            "ROUNDS": str(arguments.rounds),
            "DUR": str(arguments.seconds),
        }
        run = subprocess.run(["bash", str(harness)], env=environment, text=True, capture_output=True)
        sys.stdout.write(run.stdout)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            raise SystemExit(f"the harness failed ({run.returncode})")
    if not arguments.keep_databases:
        for database in ("sbs_ours", "sbs_peer"):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {database}", "postgres"],
                check=False,
                capture_output=True,
            )
    figures = dict(re.findall(r"(\w+)=([\d.]+)", run.stdout.strip().splitlines()[-1]))
    ratios = {
        "vs_peer": float(figures["vs_peer"]),
        "bare_vs_stock": float(figures["ours_bare_rps"]) / float(figures["peer_bare_rps"]),
        "lesson_over_about": float(figures["ours_lesson_over_bare"]),
    }
    for name, value in ratios.items():
        verdict = "met" if value >= TARGETS[name] else "NOT met"
        print(f"{name:18s} {value:5.2f}  target >= {TARGETS[name]:.1f}: {verdict}")
    print(
        " ".join(f"{name}={value:.2f}" for name, value in ratios.items())
        + " "
        + " ".join(f"{name}={figures[name]}" for name in ("ours_lesson_rps", "peer_lesson_rps", "ours_bare_rps", "peer_bare_rps"))
    )


if __name__ == "__main__":
    main()
