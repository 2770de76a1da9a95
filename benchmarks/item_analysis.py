"""Item analysis benchmark: how long does a trainer wait for the statistics of a big quiz?

The admin's item analysis page reads every question grade of a quiz's graded attempts (each
attempt's current grade only) and computes facility, discrimination and answer distributions
(quizzes.analysis). A city-wide exam reaches 10,000 attempts of 20 questions, i.e. 200,000 grade
rows, and the page must still answer in about a second. This script:

* creates a dedicated database and migrates it;
* in a subprocess running Django (production settings), builds a 20-question quiz (through
  quizzes.services.question_create) and 10,000 learners, each with one graded attempt, written
  directly with bulk_create (Attempt, AttemptQuestion, AttemptGrade, QuestionGrade; not through
  the services, which would take hours). Responses come from a seeded RNG and a simple item
  response model (learner ability, item difficulty and discrimination, guessing), and are scored
  by quizzes.grading.grade, so facility and discrimination are realistic and non-trivial. 100
  attempts also get a later regrade, so "the current grade only" matters. The tables are then
  VACUUM ANALYZEd, as autovacuum would have done in a live database;
* times the analysis as the admin view computes it, after one warm-up, best of 3:
  quizzes.selectors.quiz_item_analysis(quiz=quiz) when it exists; otherwise quizzes.analysis.analyse
  fed by one values_list over the QuestionGrade rows of each attempt's latest AttemptGrade.

Target: <= 1 s. The last line is machine-readable:

    item_analysis_s=<seconds> attempts=10000

The database egov_bench_items is dropped at the end (keep it with --keep-db). --profile adds a
cProfile of one more run.

Run from the project root:

    .venv/bin/python benchmarks/item_analysis.py [--keep-db] [--profile]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "egov_bench_items"
BENCH_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"

ATTEMPTS = 10_000
QUESTIONS_PER_TYPE = 4  # five types: 20 questions
REGRADED_ATTEMPTS = 100
CHUNK = 1_000  # attempts written per transaction (bounds memory)
QUIZ_TITLE = "Benchmark: city-wide exam"
SEED = 20261
RUNS = 3
TARGET_SECONDS = 1.0


# ---------------------------------------------------------------------------- environment


def django_env(media_root: str) -> dict[str, str]:
    """Environment for manage.py and the Django subprocess: production settings (DEBUG off)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=BENCH_DATABASE_URL,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_MEDIA_ROOT=media_root,
        # Private files (certificates, exports) beside the media folder, never inside it.
        DJANGO_PRIVATE_ROOT=f"{media_root}-private",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    return env


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        name = sql.Identifier(BENCH_DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE)))


def manage(env: dict[str, str], *arguments: str) -> None:
    """Run a manage.py command quietly; show its output only if it fails."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(arguments)} failed (exit {result.returncode})")
    print(f"  manage.py {' '.join(arguments)}: {time.perf_counter() - started:.1f} s")


def run_in_subprocess(env: dict[str, str], profile: bool) -> tuple[dict, str]:
    """This script in --measure mode (Django set up there): (its last line as JSON, the lines before)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure"] + (["--profile"] if profile else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=1800)
    lines = result.stdout.rstrip().splitlines()
    if result.returncode != 0 or not lines or not lines[-1].startswith("{"):
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"measurement failed (exit {result.returncode})")
    return json.loads(lines[-1]), "\n".join(lines[:-1])


# ---------------------------------------------------------------------------- data (Django subprocess)


def question_specs() -> list:
    """Twenty questions, four of each type, marks 1 or 2, some partial credit."""
    from decimal import Decimal

    from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring

    specs = []
    for n in range(1, QUESTIONS_PER_TYPE + 1):
        specs += [
            QuestionSpec(
                qtype=QuestionType.SINGLE,
                stem=f"Single choice {n}: which service channel serves citizens?",
                choices=tuple(ChoiceSpec(key, f"Option {key}", key == "a") for key in "abcd"),
            ),
            QuestionSpec(
                qtype=QuestionType.MULTIPLE,
                stem=f"Multiple response {n}: which are safe password habits?",
                mark=Decimal("2"),
                scoring=Scoring.PARTIAL if n % 2 else Scoring.ALL_OR_NOTHING,
                choices=tuple(ChoiceSpec(key, f"Habit {key}", key in "ab") for key in "abcde"),
            ),
            QuestionSpec(
                qtype=QuestionType.TRUE_FALSE,
                stem=f"True or false {n}: classified files may be processed on an internet-connected PC.",
                choices=(ChoiceSpec("true", "True", False), ChoiceSpec("false", "False", True)),
            ),
            QuestionSpec(
                qtype=QuestionType.FILL_BLANK,
                stem=f"Fill in the blank {n}: the one-stop window serves businesses and ____.",
                accepted_answers=("citizens", "the public"),
            ),
            QuestionSpec(
                qtype=QuestionType.ORDERING,
                stem=f"Ordering {n}: put the project stages in order.",
                mark=Decimal("2"),
                scoring=Scoring.PARTIAL if n % 2 else Scoring.ALL_OR_NOTHING,
                choices=tuple(ChoiceSpec(key, f"Stage {key}") for key in "abcd"),
            ),
        ]
    return specs


class ResponseModel:
    """Answers of a learner of ability theta to one question: P(knows) = logistic(a * (theta - b)),
    plus guessing on choice questions; wrong answers favour some distractors over others."""

    GUESS = {"single": 0.25, "truefalse": 0.5}
    WRONG_TEXTS = ("businesses", "officials", "everyone", "citizen", "")

    def __init__(self, spec, rng: random.Random, discrimination: float, difficulty: float):
        self.spec = spec
        self.qtype = str(spec.qtype)
        self.keys = [choice.key for choice in spec.choices]
        self.correct = [choice.key for choice in spec.choices if choice.correct]
        self.wrong = [key for key in self.keys if key not in self.correct]
        self.wrong_weights = [len(self.wrong) - index for index in range(len(self.wrong))]
        self.accepted = list(spec.accepted_answers)
        self.a, self.b = discrimination, difficulty
        self.rng = rng

    def response(self, theta: float) -> dict:
        rng = self.rng
        knows = 1 / (1 + math.exp(-self.a * (theta - self.b)))
        if rng.random() < 0.02:
            return {}  # left blank
        if self.qtype in ("single", "truefalse"):
            guess = self.GUESS[self.qtype]
            if rng.random() < knows + (1 - knows) * guess:
                return {"choice": self.correct[0]}
            return {"choice": rng.choices(self.wrong, weights=self.wrong_weights)[0]}
        if self.qtype == "multiple":
            chosen = {key for key in self.correct if rng.random() < 0.3 + 0.7 * knows}
            chosen |= {key for key in self.wrong if rng.random() < 0.4 * (1 - knows)}
            return {"choices": [key for key in self.keys if key in chosen]}
        if self.qtype == "fillblank":
            if rng.random() < knows:
                return {"text": rng.choice(self.accepted + [" Citizens", "the  public"])}
            return {"text": rng.choice(self.WRONG_TEXTS)}
        order = self.keys[:]  # ordering: the stored order is the answer
        if rng.random() >= knows:
            if rng.random() < 0.6:
                i = rng.randrange(len(order) - 1)
                order[i], order[i + 1] = order[i + 1], order[i]
            else:
                rng.shuffle(order)
        return {"order": order}


def generate() -> tuple[object, dict[str, float]]:
    """The quiz, its learners and their graded attempts; returns (quiz, timings in seconds)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from quizzes.grading import attempt_grade, grade
    from quizzes.models import (
        Attempt,
        AttemptGrade,
        AttemptQuestion,
        QuestionCategory,
        QuestionGrade,
        QuestionVersion,
        Quiz,
        QuizSlot,
    )
    from quizzes.services import question_create
    from quizzes.specs import GradeResult, spec_from_data

    timings: dict[str, float] = {}
    rng = random.Random(SEED)
    started = time.perf_counter()
    category = QuestionCategory.objects.create(name="Benchmark bank")
    questions = [question_create(spec=spec, category=category) for spec in question_specs()]
    quiz = Quiz.objects.create(title=QUIZ_TITLE, shuffle_choices=True)
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=question, sort_order=index) for index, question in enumerate(questions)
    )
    by_question = {v.question_id: v for v in QuestionVersion.objects.filter(question__in=questions)}
    versions = [by_question[question.pk] for question in questions]
    specs = [spec_from_data(version.spec) for version in versions]
    models = []
    for position, spec in enumerate(specs, start=1):
        # One question hardly discriminates at all (a poorly written item), the rest do.
        discrimination = 0.1 if position == 3 else rng.uniform(0.5, 2.2)
        models.append(ResponseModel(spec, rng, discrimination, rng.uniform(-1.5, 1.5)))
    max_score = sum((spec.mark for spec in specs), Decimal("0"))

    user_model = get_user_model()
    password = make_password("Bench-Items-2026")  # hashed once, shared by every learner
    user_model.objects.bulk_create(
        (
            user_model(username=f"learner{n:05d}", display_name=f"Learner {n}", password=password)
            for n in range(1, ATTEMPTS + 1)
        ),
        batch_size=2_000,
    )
    user_ids = list(
        user_model.objects.filter(username__startswith="learner").order_by("pk").values_list("pk", flat=True)
    )
    timings["quiz and users"] = time.perf_counter() - started

    regraded = set(rng.sample(range(ATTEMPTS), REGRADED_ATTEMPTS))
    graded_cache: dict[tuple[int, str], object] = {}
    base = timezone.now() - timedelta(days=30)
    started = time.perf_counter()
    for first in range(0, ATTEMPTS, CHUNK):
        indices = range(first, min(first + CHUNK, ATTEMPTS))
        with transaction.atomic():
            attempts = []
            for index in indices:
                begun = base + timedelta(minutes=index % 600, seconds=index)
                attempts.append(
                    Attempt(
                        quiz=quiz,
                        user_id=user_ids[index],
                        number=1,
                        status=Attempt.Status.GRADED,
                        started_at=begun,
                        submitted_at=begun + timedelta(minutes=rng.randint(8, 40)),
                        closed_by=Attempt.ClosedBy.LEARNER,
                        pass_mark_percent=quiz.pass_mark_percent,
                        max_score=max_score,
                    )
                )
            Attempt.objects.bulk_create(attempts)
            attempt_questions = AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt,
                    position=position,
                    version=version,
                    choice_order=rng.sample([c["key"] for c in version.spec["choices"]], len(version.spec["choices"])),
                )
                for attempt in attempts
                for position, version in enumerate(versions, start=1)
            )
            grade_rows, question_rows = [], []
            for offset, (index, attempt) in enumerate(zip(indices, attempts, strict=True)):
                theta = rng.gauss(0.0, 1.0)
                asked = attempt_questions[offset * len(versions) : (offset + 1) * len(versions)]
                results = []
                for model, spec, aq in zip(models, specs, asked, strict=True):
                    response = model.response(theta)
                    key = (aq.position, json.dumps(response, sort_keys=True))
                    result = graded_cache.get(key)
                    if result is None:
                        result = graded_cache[key] = grade(spec, response)
                    results.append((aq, response, result))
                grades = [("submitted", attempt.submitted_at, results)]
                if index in regraded:
                    # Question 2 corrected later: every response to it now earns full marks.
                    mark = specs[1].mark
                    full = GradeResult(score=mark, fraction=Decimal("1.0000"), correct=True)
                    rescored = [results[0], (results[1][0], results[1][1], full), *results[2:]]
                    grades.append(("regrade", attempt.submitted_at + timedelta(days=7), rescored))
                for reason, graded_at, rows in grades:
                    score, percent, passed = attempt_grade(
                        [row[2] for row in rows], max_score=max_score, pass_mark_percent=attempt.pass_mark_percent
                    )
                    grade_row = AttemptGrade(
                        attempt=attempt,
                        reason=reason,
                        score=score,
                        max_score=max_score,
                        percent=percent,
                        passed=passed,
                        graded_at=graded_at,
                    )
                    grade_rows.append(grade_row)
                    question_rows.append((grade_row, rows))
            AttemptGrade.objects.bulk_create(grade_rows)
            QuestionGrade.objects.bulk_create(
                (
                    QuestionGrade(
                        grade=grade_row,
                        attempt_question=aq,
                        version_id=aq.version_id,
                        response=response,
                        score=result.score,
                        fraction=result.fraction,
                        correct=result.correct,
                    )
                    for grade_row, rows in question_rows
                    for aq, response, result in rows
                ),
                batch_size=5_000,
            )
    timings["attempts, questions and grades"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (Attempt, AttemptQuestion, AttemptGrade, QuestionGrade):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
    timings["vacuum analyze"] = time.perf_counter() - started
    return quiz, timings


# ---------------------------------------------------------------------------- analysis (Django subprocess)


def fallback_item_analysis(*, quiz):
    """quizzes.analysis.analyse over one values_list of the QuestionGrade rows of each attempt's
    latest AttemptGrade (DISTINCT ON over the attemptgrade_latest index); the mark comes from the
    version's spec."""
    from django.db.models.fields.json import KeyTextTransform

    from quizzes.analysis import analyse
    from quizzes.models import AttemptGrade, QuestionGrade

    latest_grades = (
        AttemptGrade.objects.filter(attempt__quiz=quiz)
        .order_by("attempt_id", "-graded_at", "-id")
        .distinct("attempt_id")
        .values("pk")
    )
    rows = QuestionGrade.objects.filter(grade_id__in=latest_grades).values_list(
        "grade__attempt_id", "version__question_id", "score", KeyTextTransform("mark", "version__spec")
    )
    order = list(quiz.slots.filter(question__isnull=False).order_by("sort_order").values_list("question_id", flat=True))
    return analyse(rows, question_order=order)


def fingerprint(stats) -> list[tuple]:
    return [
        (q.question_id, q.attempts, round(q.mean_fraction, 9), round(q.discrimination_index or 0.0, 9))
        for q in stats.questions
    ]


def measure(profile: bool) -> None:
    """Generate the data, time the analysis; print figures, then a JSON summary as the last line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes import selectors
    from quizzes.models import AttemptGrade, QuestionGrade

    quiz, timings = generate()
    for label, seconds in timings.items():
        print(f"  generated {label}: {seconds:.1f} s")
    print(
        f"  rows: {quiz.attempts.count()} attempts, {AttemptGrade.objects.filter(attempt__quiz=quiz).count()} grades,"
        f" {QuestionGrade.objects.filter(grade__attempt__quiz=quiz).count()} question grades"
    )

    selector = getattr(selectors, "quiz_item_analysis", None)
    if selector is not None:
        label, analysis = "quizzes.selectors.quiz_item_analysis", selector
    else:
        label, analysis = "fallback: values_list of latest grades + quizzes.analysis.analyse", fallback_item_analysis

    if selector is not None:
        # Cross-check: the fallback computes the same figures from its own query.
        started = time.perf_counter()
        check = fallback_item_analysis(quiz=quiz)
        print(f"  fallback (values_list + analyse), one cold run: {time.perf_counter() - started:.3f} s")
        agree = fingerprint(check) == fingerprint(selector(quiz=quiz))
        print(f"  fallback and quiz_item_analysis {'agree' if agree else 'DISAGREE'} on facility and discrimination")

    stats = analysis(quiz=quiz)  # warm-up
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        stats = analysis(quiz=quiz)
        runs.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        analysis(quiz=quiz)
    database_seconds = sum(float(query["time"]) for query in queries.captured_queries)
    print(f"  timed: {label}")
    print(f"  runs: {', '.join(f'{seconds:.3f}' for seconds in runs)} s (best of {RUNS} after a warm-up)")
    print(f"  queries per run: {len(queries.captured_queries)}, {database_seconds:.3f} s in the database driver")
    for query in queries.captured_queries:
        print(f"    {query['time']} s  {query['sql'][:150]}")

    print(
        f"  quiz: {stats.attempts} attempts, mean {stats.mean_percent:.1f}%, median {stats.median_percent:.1f}%,"
        f" sd {stats.sd_percent:.1f}%"
    )
    for number, question in enumerate(stats.questions[:3], start=1):
        discrimination = "n/a" if question.discrimination_index is None else f"{question.discrimination_index:.3f}"
        print(
            f"  question {number}: attempts={question.attempts} facility={question.mean_fraction:.3f}"
            f" sd={question.sd_fraction:.3f} discrimination={discrimination}"
            f" choices={dict(sorted(question.choice_counts.items())) or '-'}"
        )

    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        analysis(quiz=quiz)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
        print(stream.getvalue())

    print(json.dumps({"best": min(runs), "attempts": stats.attempts, "function": label}))


# ---------------------------------------------------------------------------- main


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-db", action="store_true", help=f"do not drop {BENCH_DATABASE} at the end")
    parser.add_argument("--profile", action="store_true", help="also cProfile one run of the analysis")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # internal: the Django subprocess
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if arguments.measure:
        measure(arguments.profile)
        return

    media_root = tempfile.mkdtemp(prefix="egov-bench-items-")
    created_database = False
    try:
        print(f"Recreating database {BENCH_DATABASE}")
        recreate_database()
        created_database = True
        env = django_env(media_root)
        manage(env, "migrate", "--noinput")
        print(f"Generating {ATTEMPTS} graded attempts and timing the item analysis")
        started = time.perf_counter()
        result, text = run_in_subprocess(env, arguments.profile)
        print(text)
        print(f"  subprocess total: {time.perf_counter() - started:.1f} s")
    finally:
        if created_database and not arguments.keep_db:
            drop_database()
            print(f"Dropped database {BENCH_DATABASE}")
        shutil.rmtree(media_root, ignore_errors=True)
        shutil.rmtree(f"{media_root}-private", ignore_errors=True)
    best = result["best"]
    print(f"Item analysis ({result['function']}): best {best:.3f} s for {result['attempts']} attempts", end="")
    print(f" (target <= {TARGET_SECONDS:.0f} s{'' if best <= TARGET_SECONDS else ', MISSED'})")
    print(f"item_analysis_s={best:.3f} attempts={result['attempts']}")


if __name__ == "__main__":
    main()
