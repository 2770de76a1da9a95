"""Two of everything: the same scripted day through nginx, once in front of one gunicorn and one
Celery worker and once in front of two of each (with one beat both times), from the same copy of
the demo city. The day: a learner completes a course and its final exam, a head exports a large
report and downloads it (X-Accel-Redirect), the reminder and digest jobs run (each sent twice at
once, so two workers race on them), a trainer publishes a change to a step. Both runs must end
with the same rows and no duplicate notification, export or certificate: nothing lives in a web
process (sessions and caches in Redis, files in the shared folders).

And the rate limits of deploy/nginx: a burst of anonymous requests leaves a signed-in learner's
lesson page within twice its unloaded p95."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter

import pytest
import requests
from celery import Celery
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, connections

from tests.conftest import skip_or_fail
from tests.deployment.conftest import DAY_SECONDS, LESSON_P95
from tests.deployment.stack import NGINX, PROJECT_ROOT, Stack

pytestmark = [pytest.mark.deployment, pytest.mark.django_db(serialized_rollback=True)]

PASSWORD = "Training-2026"
COURSE_SLUG = "office-automation"
HEAD = "head.finance"
TRAINER = "trainer1"
REVIEWER = "cityadmin"
NEW_TITLE = "改版后的测验"


def _psql(*sql: str) -> None:
    db = connection.settings_dict
    for statement in sql:
        subprocess.run(
            [
                "psql",
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"] or "postgres",
                "-d",
                "postgres",
                "-q",
                "-c",
                statement,
            ],
            check=True,
            capture_output=True,
        )


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def copies(demo_city, tmp_path):
    """Two databases, each a copy of the test database with the demo city (pg_dump, so the
    connections that other tests' live servers keep open do not matter)."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL")
    if not os.path.exists(NGINX):
        skip_or_fail("needs Debian's nginx (apt-get install nginx)")
    base = connection.settings_dict["NAME"]
    names = [f"{base}_day_{size}" for size in ("one", "two")]
    dump = tmp_path / "city.dump"
    db = connection.settings_dict
    subprocess.run(
        [
            "pg_dump",
            "-Fc",
            "--no-owner",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            "-f",
            str(dump),
            base,
        ],
        check=True,
        capture_output=True,
    )
    hasher = PBKDF2PasswordHasher()
    production_hash = hasher.encode(PASSWORD, hasher.salt())
    for name in names:
        _psql(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"] or "postgres",
                "-d",
                name,
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        connections.settings[name] = {**connections.settings["default"], "NAME": name}
        # The test settings hash the demo password with MD5, which production does not accept:
        # one hash by production's first hasher (PBKDF2), shared by every demo person.
        get_user_model().objects.using(name).update(password=production_hash)
    yield names
    for name in names:
        if name in connections:
            connections[name].close()
        connections.settings.pop(name, None)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def static_root(tmp_path):
    target = tmp_path / "static"
    database_url = _url(connection.settings_dict["NAME"])
    env = {**Stack(tmp_path, database_url=database_url, webs=0, workers=0).env(), "DJANGO_STATIC_ROOT": str(target)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return target


class Browser:
    """A person's requests through nginx, with their cookies and the CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, **kwargs):
        return self.session.get(self.base + path, timeout=60, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs):
        token = self.session.cookies.get("csrftoken")
        if isinstance(data, dict):
            data = list(data.items())
        return self.session.post(
            self.base + path,
            data=[*data, ("csrfmiddlewaretoken", token)],
            timeout=120,
            headers={"Referer": self.base},
            **kwargs,
        )

    def log_in(self, username: str):
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD}, allow_redirects=False)
        assert response.status_code == 302, (username, response.status_code)


def _alert(html: str) -> str:
    """The message a refusal or a form error shows, for a failing assertion."""
    found = re.search(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', html, re.S)
    return found.group(1).strip() if found else html[:300]


def _correct_answers(alias: str, attempt_id: int) -> list[tuple[str, str]]:
    from quizzes.models import AttemptQuestion

    fields = []
    for question in AttemptQuestion.objects.using(alias).filter(attempt_id=attempt_id).select_related("version"):
        spec, name = question.version.spec, f"q{question.position}"
        if spec["qtype"] in ("single", "truefalse"):
            fields.append((name, next(c["key"] for c in spec["choices"] if c["correct"])))
        elif spec["qtype"] == "multiple":
            fields.append((f"{name}-present", "1"))
            fields += [(name, c["key"]) for c in spec["choices"] if c["correct"]]
        elif spec["qtype"] == "fillblank":
            fields.append((name, spec["accepted_answers"][0]))
        elif spec["qtype"] == "ordering":
            fields += [(f"{name}-pos-{c['key']}", str(place)) for place, c in enumerate(spec["choices"], start=1)]
    return fields


def _form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """The fields a browser would send from the form with this id (inputs, textareas, selects)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside, self.fields, self.textarea, self.select = False, [], None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            if not self.inside or "name" not in attrs and tag != "option":
                return
            if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.fields.append((attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
            elif tag == "textarea":
                self.textarea = [attrs["name"], ""]
            elif tag == "select":
                self.select = attrs["name"]
            elif tag == "option" and self.select and "selected" in attrs:
                self.fields.append((self.select, attrs.get("value", "")))

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "textarea" and self.textarea is not None:
                self.fields.append(tuple(self.textarea))
                self.textarea = None
            elif tag == "select":
                self.select = None
            elif tag == "form":
                self.inside = False

    parser = Fields()
    parser.feed(html)
    return parser.fields


def _scripted_day(stack: Stack, alias: str, sender: Celery) -> dict:
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from courses.models import CoursePage, Enrolment
    from reports.models import ReportExport

    users = get_user_model().objects.using(alias)
    course = CoursePage.objects.using(alias).get(slug=COURSE_SLUG)
    enrolled = Enrolment.objects.using(alias).filter(course_id=course.pk).values("user_id")
    learner = (
        users.filter(is_active=True, username__startswith="e", department__isnull=False)
        .exclude(pk__in=enrolled)
        .order_by("username")
        .first()
    )
    steps = list(
        Page.objects.using(alias)
        .filter(path__startswith=course.path, depth=course.depth + 1, live=True)
        .order_by("path")
        .values_list("pk", "content_type__model")
    )
    started = time.monotonic()

    # A learner: the course, step by step, and its quizzes answered right.
    person = Browser(stack.url)
    person.log_in(learner.username)
    response = person.post(f"/learn/courses/{course.pk}/start/", {})
    assert response.ok, response.status_code
    lesson_path = None
    for step_id, model in steps:
        if model == "quizsteppage":
            response = person.post(f"/learn/steps/{step_id}/quiz/start/", {})
            attempt_id = int(re.search(r"/quiz/attempts/(\d+)/", response.url).group(1))
            version = re.search(r'name="answers_version" value="(\d+)"', response.text).group(1)
            page = re.search(r'name="page" value="(\d+)"', response.text)
            fields = [("action", "submit"), ("answers_version", version), *_correct_answers(alias, attempt_id)]
            if page:
                fields.append(("page", page.group(1)))
            response = person.post(f"/quiz/attempts/{attempt_id}/submit/", fields)
        else:
            lesson_path = lesson_path or response.url.removeprefix(stack.url)
            response = person.post(f"/learn/steps/{step_id}/complete/", {})
        assert response.ok, (model, response.status_code, response.url, _alert(response.text))

    # A head: the large report prepared by a worker, then downloaded through X-Accel-Redirect.
    head = Browser(stack.url)
    head.log_in(HEAD)
    response = head.post("/reports/export/department_progress/xlsx/", {})
    export_id = int(re.search(r"/reports/exports/(\d+)/", response.url).group(1))
    deadline = time.monotonic() + 90
    while ReportExport.objects.using(alias).get(pk=export_id).status != ReportExport.Status.DONE:
        assert time.monotonic() < deadline, "the export was not prepared"
        time.sleep(0.3)
    download = head.get(f"/reports/exports/{export_id}/download/")
    assert download.status_code == 200 and download.content.startswith(b"PK")  # an XLSX (a zip)
    assert "private" in download.headers["Cache-Control"]
    # The private file is not reachable at the internal address.
    assert head.get("/_private/" + ReportExport.objects.using(alias).get(pk=export_id).file.name).status_code == 404

    # The daily and weekly jobs, each sent twice at once (with two workers, they race).
    for name in ["notifications.tasks.send_due_reminders", "notifications.tasks.send_overdue_digests"] * 2:
        sender.send_task(name)

    # A trainer changes a step and submits it for review; the reviewer approves it, which
    # publishes it (the demo city's workflow: trainers do not publish themselves). Both through
    # the admin's edit form. A quiz step: its form posts back as the server renders it, whereas a
    # lesson's StreamField is built by the admin's JavaScript (tests/browser covers that form).
    step_id = next(pk for pk, model in steps if model == "quizsteppage")
    trainer = Browser(stack.url)
    trainer.log_in(TRAINER)
    edit = trainer.get(f"/admin/pages/{step_id}/edit/")
    assert edit.ok, edit.status_code
    fields = [(name, value) for name, value in _form_fields(edit.text, "page-edit-form") if name != "title"]
    response = trainer.post(
        f"/admin/pages/{step_id}/edit/", [*fields, ("title", NEW_TITLE), ("action-submit", "action-submit")]
    )
    assert response.ok, response.status_code
    reviewer = Browser(stack.url)
    reviewer.log_in(REVIEWER)
    edit = reviewer.get(f"/admin/pages/{step_id}/edit/")
    assert edit.ok, edit.status_code
    response = reviewer.post(
        f"/admin/pages/{step_id}/edit/",
        [
            *_form_fields(edit.text, "page-edit-form"),
            ("action-workflow-action", "true"),
            ("workflow-action-name", "approve"),
        ],
    )
    assert response.ok, response.status_code
    published = Page.objects.using(alias).get(pk=step_id)
    assert published.title == NEW_TITLE and not published.has_unpublished_changes, "the change was not published"
    return {"learner": learner.pk, "lesson": lesson_path, "course": course.pk, "seconds": time.monotonic() - started}


def _wait_for_quiet(stack: Stack, sender: Celery):
    """Until the workers have nothing left (queue empty, nothing running or held) three times in a row."""
    import redis

    client = redis.Redis(port=stack.redis_port, db=0)
    quiet = 0
    deadline = time.monotonic() + 120
    while quiet < 3:
        assert time.monotonic() < deadline, "the workers did not finish"
        inspect = sender.control.inspect(timeout=1)
        # Held jobs count too: a summary refresh waits a few seconds (SUMMARY_REFRESH_DELAY_SECONDS).
        held = [inspect.active() or {}, inspect.scheduled() or {}, inspect.reserved() or {}]
        busy = client.llen("celery") or any(any(per_worker.values()) for per_worker in held)
        quiet = 0 if busy else quiet + 1
        time.sleep(0.5)


def _snapshot(alias: str) -> dict[str, Counter]:
    """Each table the day writes, as a multiset of its rows without ids, times and file names."""
    from django.apps import apps
    from django.db import models

    labels = [
        "courses.Enrolment",
        "courses.StepCompletion",
        "courses.CourseProgress",
        "quizzes.Attempt",
        "quizzes.AttemptGrade",
        "certificates.Certificate",
        "hours.HourEntry",
        "notifications.Notification",
        "reports.ReportExport",
        "reports.DepartmentCourseSummary",
        "reports.DepartmentMonthlyCompletions",
        "assignments.AssignmentCompletion",
    ]
    skipped = (models.AutoField, models.BigAutoField, models.DateTimeField, models.DateField, models.FileField)
    snapshot = {}
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, skipped) and f.name not in ("code", "task_id", "attempt", "error", "rows_done")
        ]
        snapshot[label] = Counter(
            tuple(_hashable(value) for value in row) for row in model.objects.using(alias).values_list(*names)
        )
    return snapshot


def _hashable(value):
    """JSON fields (lists, dicts) as canonical text, so rows can be counted."""
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, list | dict) else value


def _p95(durations: list[float]) -> float:
    return statistics.quantiles(durations, n=20)[-1]


def _lesson_timings(person: Browser, path: str, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.monotonic()
        assert person.get(path).status_code == 200
        timings.append(time.monotonic() - started)
    return timings


def test_a_day_on_two_of_everything_ends_as_on_one_of_each(copies, static_root, tmp_path, django_db_blocker):
    from certificates.models import Certificate
    from notifications.models import Notification
    from reports.models import ReportExport

    snapshots, days = {}, {}
    for (webs, workers), alias in zip([(1, 1), (2, 2)], copies, strict=True):
        folder = tmp_path / f"stack-{webs}-{workers}"
        folder.mkdir()
        # The demo city's files, as a shared folder every web process and worker of the stack uses.
        for part, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_ROOT)):
            if os.path.isdir(root):
                shutil.copytree(root, folder / part)
        stack = Stack(folder, database_url=_url(alias), webs=webs, workers=workers)
        try:
            stack.start(static_from=static_root)
            sender = Celery("day", broker=f"redis://127.0.0.1:{stack.redis_port}/0")
            day = _scripted_day(stack, alias, sender)
            _wait_for_quiet(stack, sender)
            days[alias] = day
            DAY_SECONDS[f"{webs}+{workers}"] = day["seconds"]
            snapshots[alias] = _snapshot(alias)
            if webs == 2:
                _check_rate_limits(stack, day)
        except BaseException:
            print(stack.logs(), file=sys.stderr)  # noqa: T201 (a failure's evidence)
            raise
        finally:
            stack.stop()
            connections[alias].close()

    one, two = copies
    assert days[one]["learner"] == days[two]["learner"]
    for label in snapshots[one]:
        assert snapshots[one][label] == snapshots[two][label], label
    for alias in copies:
        learner = days[alias]["learner"]
        assert Certificate.objects.using(alias).filter(user_id=learner, course_id=days[alias]["course"]).count() == 1
        keys = Counter(Notification.objects.using(alias).values_list("recipient_id", "kind", "dedupe_key"))
        assert max(keys.values()) == 1
        assert ReportExport.objects.using(alias).filter(user__username=HEAD, status="done").count() >= 1
        assert Notification.objects.using(alias).filter(kind="digest").exists()


def _check_rate_limits(stack: Stack, day: dict):
    from django.contrib.auth import get_user_model

    alias = stack.database_url.rsplit("/", 1)[1]
    person = Browser(stack.url)
    person.log_in(get_user_model().objects.using(alias).get(pk=day["learner"]).username)
    path = day["lesson"]
    _lesson_timings(person, path, 5)  # every worker warm
    # Images through the checked view, sent by nginx from its internal /_media/; never at /media/.
    catalogue = person.get("/courses/")
    images = re.findall(r'<img[^>]+src="(/learn/images/([^"]+))"', catalogue.text)
    assert images, "the catalogue shows no course cover"
    image = person.get(images[0][0])
    assert image.status_code == 200 and image.content[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")
    assert person.get("/media/images/" + images[0][1]).status_code == 404
    assert person.get("/_media/images/" + images[0][1]).status_code == 404
    # No session lives in a web process: signed in through nginx, the learner is signed in on each gunicorn.
    for port in stack.web_ports:
        direct = person.session.get(f"http://127.0.0.1:{port}{path}", timeout=60, allow_redirects=False)
        assert direct.status_code == 200, (port, direct.status_code)
    unloaded = _p95(_lesson_timings(person, path, 40))

    # The burst: 16 anonymous clients, 200 requests a second in all (40 times the anonymous
    # limit; more than the two gunicorns could answer), from a process of their own.
    stop_file, result_file = stack.folder / "flood.stop", stack.folder / "flood.json"
    flood = stack.start_process(
        [sys.executable, "-m", "tests.deployment.flood", stack.url + "/", "200", "16", str(stop_file), str(result_file)]
    )
    time.sleep(1)
    loaded = _p95(_lesson_timings(person, path, 40))
    stop_file.touch()
    flood.wait(timeout=60)
    statuses = Counter(json.loads(result_file.read_text()))
    LESSON_P95.update({"unloaded": unloaded, "during the anonymous burst": loaded})
    assert statuses["429"] > statuses["200"], statuses  # the burst was turned away at nginx
    assert loaded <= 2 * unloaded, (loaded, unloaded, statuses)
