"""A synthetic province for scale tests: a tree of units, ~100,000 civil servants, ~200 courses,
progress for every learner and a little required learning, written in bulk.

Every derived row is what the product itself derives from the raw facts written here, so that
`manage.py records_verify` finds nothing (issue 11): progress figures come from the same pure
function the services use (courses.progress.progress_figures), so
courses.services.course_progress_recompute changes nothing; the courses have lesson steps only,
so no learner has a quiz attempt and no progress row a best score; required learning, hour entries
and certificates are written by their apps' own bulk services after the progress
(assignments.services.assignment_create, hours.services.hours_sync_course_completions,
certificates.services.certificates_sync_course_completions); the reports' stored summaries are
refreshed once at the end with the reports app's own recompute.

How it stays fast (minutes for the default sizes on two cores):

* departments are bulk-created with precomputed materialised paths (treebeard's MP_Node:
  steplen 4 over the alphabet 0-9A-Z), siblings numbered in `code` order as treebeard's
  node_order_by would;
* people are bulk-created with one password hash shared by all of them;
* pages go through Wagtail (`add_child`, live, without revisions: nothing is "published", so no
  publish signal asks for an outline refresh) and their CourseOutline rows are written directly;
* enrolments, step completions and progress rows (millions) are streamed to PostgreSQL with
  COPY, a chunk of learners at a time, so memory stays flat; other databases get bulk_create;
* the services above write a course at a time with a constant number of queries per course.

Dates are relative to `now` (the reports show the last twelve months); everything else comes
from the seed."""

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from assignments.models import Assignment, LearnerAssignment
from assignments.services import assignment_create
from certificates.models import Certificate
from certificates.services import certificates_sync_course_completions
from courses.models import (
    CourseIndexPage,
    CourseOutline,
    CoursePage,
    CourseProgress,
    Enrolment,
    LessonPage,
    StepCompletion,
)
from courses.progress import progress_figures
from departments.models import Department
from home.models import HomePage
from hours.models import HourEntry
from hours.services import hours_sync_course_completions

from .content.city import DEMO_PASSWORD, GIVEN_CHARACTERS, POSITIONS, RANK_FOR_POSITION, SURNAMES

PROVINCE_CODE = "province"
BIG_DEPARTMENT_CODE = "province-big"
CATALOGUE_SLUG = "province-courses"
MAX_CITIES = 20
BATCH_SIZE = 5000
LEARNERS_PER_CHUNK = 5000  # progress rows are generated and written for this many learners at a time
COURSES_PER_LEARNER = (5, 15)
STEPS_PER_COURSE = (3, 6)
# Share of a learner's enrolments: not started yet (enrolled, nothing done), in progress, completed.
NOT_STARTED_SHARE, IN_PROGRESS_SHARE = 0.25, 0.35
HISTORY = timedelta(days=365)
# Required learning, assigned by the province's head: (course number, unit code, positions, due
# date in days from now, days ago it was assigned). The whole province's is overdue for those who
# have not finished; the big department's (its clerks only) is still open.
REQUIRED_LEARNING = [
    (1, PROVINCE_CODE, "", -30, 120),
    (2, BIG_DEPARTMENT_CODE, "科员", 60, 10),
]

CITY_NAMES = [
    ("云川", "Yunchuan"),
    ("北岭", "Beiling"),
    ("东江", "Dongjiang"),
    ("南屏", "Nanping"),
    ("西宁关", "Xiningguan"),
    ("青石", "Qingshi"),
    ("白河", "Baihe"),
    ("金沙", "Jinsha"),
    ("临湖", "Linhu"),
    ("安平", "Anping"),
    ("长丰", "Changfeng"),
    ("宁远", "Ningyuan"),
    ("秀山", "Xiushan"),
    ("清源", "Qingyuan"),
    ("丰泽", "Fengze"),
    ("广德", "Guangde"),
    ("永和", "Yonghe"),
    ("定海", "Dinghai"),
    ("华阳", "Huayang"),
    ("崇文", "Chongwen"),
]
BUREAUS = [
    ("政府办公室", "Government Office"),
    ("发展和改革委员会", "Development and Reform Commission"),
    ("财政局", "Finance Bureau"),
    ("公安局", "Public Security Bureau"),
    ("教育局", "Education Bureau"),
    ("卫生健康委员会", "Health Commission"),
    ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("自然资源和规划局", "Natural Resources and Planning Bureau"),
    ("生态环境局", "Ecology and Environment Bureau"),
    ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("交通运输局", "Transport Bureau"),
    ("农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("商务局", "Commerce Bureau"),
    ("市场监督管理局", "Market Regulation Administration"),
    ("审计局", "Audit Bureau"),
    ("统计局", "Statistics Bureau"),
    ("民政局", "Civil Affairs Bureau"),
    ("司法局", "Justice Bureau"),
    ("应急管理局", "Emergency Management Bureau"),
    ("政务服务和数据管理局", "Government Services and Data Administration"),
]
SECTIONS = [
    ("办公室", "General Office"),
    ("综合科", "General Affairs Section"),
    ("信息科", "Information Section"),
    ("法规科", "Regulations Section"),
    ("财务科", "Finance Section"),
    ("人事科", "Personnel Section"),
    ("业务一科", "Operations Section 1"),
    ("业务二科", "Operations Section 2"),
    ("督查科", "Supervision Section"),
    ("档案室", "Archives"),
]
COURSE_THEMES = [
    ("egov", "电子政务", "E-government"),
    ("security", "网络与信息安全", "Network and information security"),
    ("office", "协同办公", "Collaborative office work"),
    ("network", "政务数据共享", "Government data sharing"),
    ("services", "一网通办", "One-stop online services"),
    ("projects", "信息化项目管理", "Informatization project management"),
]
LEVELS = ["beginner", "beginner", "intermediate", "intermediate", "advanced"]
STEP_TITLES = ["概述", "基本概念", "操作要点", "案例分析", "常见问题", "小结与自测"]


class ProvinceError(Exception):
    """The province cannot be generated as asked (already there, no home page, sizes)."""


@dataclass(frozen=True)
class ProvinceSize:
    learners: int = 100_000
    departments: int = 500
    courses: int = 200
    big_department: int = 5_000
    seed: int = 2026


@dataclass
class ProvinceReport:
    created: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


@dataclass
class UnitPlan:
    code: str
    name: str
    name_en: str
    kind: str
    parent: int | None  # index into the plan
    depth: int
    members: int = 0


# ---------------------------------------------------------------------------- plans (pure)


def plan_units(size: ProvinceSize, rng: random.Random) -> list[UnitPlan]:
    """The tree: the province (depth 1); the big provincial department and ~20 cities (depth 2);
    city bureaus (depth 3); their sections (depth 4). `size.departments` units in all."""
    total = size.departments
    cities = max(1, min(MAX_CITIES, (total - 2) // 12))
    rest = total - 2 - cities
    bureaus = max(cities, rest // 3) if rest > 0 else 0
    sections = rest - bureaus
    units = [UnitPlan(PROVINCE_CODE, "省", "Province", Department.Kind.CITY, None, 1)]
    units.append(
        UnitPlan(
            BIG_DEPARTMENT_CODE,
            "省政务服务管理局",
            "Provincial Government Services Administration",
            Department.Kind.DEPARTMENT,
            0,
            2,
        )
    )
    city_index = []
    for number in range(1, cities + 1):
        name, name_en = CITY_NAMES[number - 1]
        city_index.append(len(units))
        units.append(UnitPlan(f"province-c{number:02d}", f"{name}市", f"{name_en} City", Department.Kind.CITY, 0, 2))
    bureau_index = []
    for number in range(bureaus):
        city = number % cities
        within_city = number // cities
        name, name_en = BUREAUS[within_city % len(BUREAUS)]
        if within_city >= len(BUREAUS):
            name, name_en = (
                f"{name}（{within_city // len(BUREAUS) + 1}）",
                f"{name_en} ({within_city // len(BUREAUS) + 1})",
            )
        parent = city_index[city]
        bureau_index.append(len(units))
        units.append(
            UnitPlan(
                f"{units[parent].code}-d{within_city + 1:02d}",
                units[parent].name + name,
                f"{units[parent].name_en} {name_en}",
                Department.Kind.DEPARTMENT,
                parent,
                3,
            )
        )
    sections_of: dict[int, int] = {}
    for _ in range(sections):
        parent = bureau_index[rng.randrange(len(bureau_index))]
        number = sections_of[parent] = sections_of.get(parent, 0) + 1
        name, name_en = SECTIONS[(number - 1) % len(SECTIONS)]
        if number > len(SECTIONS):
            name, name_en = (
                f"{name}（{(number - 1) // len(SECTIONS) + 1}）",
                f"{name_en} ({(number - 1) // len(SECTIONS) + 1})",
            )
        units.append(UnitPlan(f"{units[parent].code}-s{number:02d}", name, name_en, Department.Kind.SECTION, parent, 4))
    return units


def plan_members(units: list[UnitPlan], size: ProvinceSize, rng: random.Random) -> None:
    """Everyone belongs to one unit; every unit has at least its head. The big department has
    exactly size.big_department people; the others share the rest by skewed (log-normal)
    weights, bureaus heaviest, and none of them has exactly as many as the big one."""
    others = [index for index, unit in enumerate(units) if unit.code != BIG_DEPARTMENT_CODE]
    spread = size.learners - size.big_department - len(others)
    if spread < 0:
        raise ProvinceError(
            f"--learners {size.learners} is too few for a {size.big_department}-person department "
            f"and a head for each of the other {len(others)} units."
        )
    kind_weight = {1: 0.3, 2: 1.0, 3: 2.5, 4: 0.8}  # by depth: province office, city office, bureau, section
    weights = [kind_weight[units[index].depth] * rng.lognormvariate(0, 0.6) for index in others]
    scale = spread / sum(weights)
    shares = [weight * scale for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(others)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: spread - sum(counts)]:
        counts[i] += 1
    for i, index in enumerate(others):
        units[index].members = 1 + counts[i]
    units[1].members = size.big_department
    for i, index in enumerate(others):
        if units[index].members == size.big_department:
            # Move one person to (or from) another unit so the big department stays unique.
            other = others[(i + 1) % len(others)]
            if len(others) == 1:
                raise ProvinceError("Cannot make the big department the only one of its size.")
            donor, receiver = (index, other) if units[index].members > 1 else (other, index)
            units[donor].members -= 1
            units[receiver].members += 1


def course_plan(number: int, rng: random.Random) -> dict:
    topic, theme, theme_en = COURSE_THEMES[(number - 1) % len(COURSE_THEMES)]
    steps = rng.randint(*STEPS_PER_COURSE)
    return {
        "title": f"{theme}专题 {number:03d}",
        "slug": f"province-course-{number:03d}",
        "summary": f"省级培训课程：{theme}（{theme_en}），第 {number} 讲。",
        "objectives": f"理解{theme}的基本要求\n掌握日常工作中的操作要点",
        "topic": topic,
        "level": LEVELS[number % len(LEVELS)],
        "estimated_minutes": steps * 10,
        "credit_hours": Decimal(steps) / 2,
        "steps": [STEP_TITLES[index % len(STEP_TITLES)] for index in range(steps)],
    }


def person_name(rng: random.Random) -> str:
    given_length = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARACTERS) for _ in range(given_length))


# ---------------------------------------------------------------------------- writing


def _bulk_create(model, objects: Iterable, report: ProvinceReport, what: str) -> None:
    created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    report.created[what] = report.created.get(what, 0) + len(created)


class RowWriter:
    """Appends rows (tuples in `columns` order: numbers, datetimes, decimals, None) to a model's
    table: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.model = model
        self.columns = columns
        self.written = 0
        fields = [model._meta.get_field(name) for name in columns]
        self.attnames = [f.attname for f in fields]
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(f.column) for f in fields),
        )

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.model.objects.bulk_create(
                (self.model(**dict(zip(self.attnames, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
            )
        self.written += len(rows)


def create_departments(units: list[UnitPlan], report: ProvinceReport) -> list[Department]:
    """The root through treebeard (it places it among the existing roots); the rest in bulk with
    paths computed here: each parent's children numbered 1, 2, … in code order."""
    root = Department.add_root(code=units[0].code, name=units[0].name, name_en=units[0].name_en, kind=units[0].kind)
    children: dict[int, list[int]] = {}
    for index, unit in enumerate(units[1:], start=1):
        children.setdefault(unit.parent, []).append(index)
    paths = {0: root.path}
    nodes: list[Department | None] = [root] + [None] * (len(units) - 1)
    queue = [0]
    while queue:
        parent = queue.pop(0)
        for step, index in enumerate(sorted(children.get(parent, []), key=lambda i: units[i].code), start=1):
            unit = units[index]
            paths[index] = Department._get_path(paths[parent], unit.depth, step)
            nodes[index] = Department(
                code=unit.code,
                name=unit.name,
                name_en=unit.name_en,
                kind=unit.kind,
                path=paths[index],
                depth=unit.depth,
                numchild=len(children.get(index, [])),
            )
            queue.append(index)
    Department.objects.filter(pk=root.pk).update(numchild=len(children.get(0, [])))
    _bulk_create(Department, nodes[1:], report, "departments")
    report.created["departments"] += 1
    return nodes


def create_people(
    units: list[UnitPlan], departments: list[Department], rng: random.Random, report: ProvinceReport
) -> list[tuple[int, int]]:
    """Every unit's people, its head first. Returns (user id, unit index) in employee-id order."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: 100,000 hashes would take hours
    people: list[tuple[int, int]] = []
    batch: list[tuple[object, int]] = []
    number = 0

    def flush():
        created = User.objects.bulk_create([user for user, _unit in batch], batch_size=BATCH_SIZE)
        people.extend((user.pk, unit) for user, (_u, unit) in zip(created, batch, strict=True))
        batch.clear()

    for unit_index, unit in enumerate(units):
        for member in range(unit.members):
            number += 1
            is_head = member == 0
            position = ("厅长" if unit.depth <= 2 else "局长") if is_head else rng.choice(POSITIONS)
            user = User(
                username=f"head.{unit.code}" if is_head else f"p{number:06d}",
                display_name=person_name(rng),
                employee_id=f"P{number:06d}",
                department=departments[unit_index],
                position=position,
                rank="bureau_chief" if is_head else RANK_FOR_POSITION[position],
                password=password,
                is_department_head=is_head,
            )
            batch.append((user, unit_index))
            if len(batch) >= BATCH_SIZE:
                flush()
    if batch:
        flush()
    report.created["users"] = len(people)
    return people


def create_courses(home: HomePage, size: ProvinceSize, rng: random.Random, report: ProvinceReport) -> list[list[int]]:
    """The province's catalogue and its courses, live, without revisions. Returns each course's
    id followed by its steps' ids in outline order, and stores the outlines."""
    now = timezone.now()
    catalogue = CourseIndexPage(
        title="省级课程", slug=CATALOGUE_SLUG, live=True, first_published_at=now, last_published_at=now
    )
    home.add_child(instance=catalogue)
    outlines = []
    for number in range(1, size.courses + 1):
        spec = course_plan(number, rng)
        steps = spec.pop("steps")
        course = CoursePage(live=True, first_published_at=now, last_published_at=now, sequential=True, **spec)
        catalogue.add_child(instance=course)
        step_ids = []
        for index, title in enumerate(steps, start=1):
            lesson = LessonPage(
                title=f"{title}",
                slug=f"step-{index}",
                intro=f"{spec['title']}：{title}",
                estimated_minutes=10,
                body=[
                    {"type": "heading", "value": {"text": title, "level": "h2"}},
                    {"type": "rich_text", "value": f"<p>{spec['summary']}（第 {index} 步）</p>"},
                ],
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            course.add_child(instance=lesson)
            step_ids.append(lesson.pk)
        outlines.append([course.pk, *step_ids])
    CourseOutline.objects.bulk_create(
        [CourseOutline(course_id=ids[0], step_ids=ids[1:]) for ids in outlines], batch_size=BATCH_SIZE
    )
    report.created["pages"] = 1 + sum(len(ids) for ids in outlines)
    report.created["courses"] = len(outlines)
    return outlines


def _moments(rng: random.Random, started: datetime, count: int, now: datetime) -> list[datetime]:
    """`count` increasing completion times after `started`, none later than now."""
    moments, moment = [], started
    for _ in range(count):
        moment = min(now, moment + timedelta(minutes=rng.randint(5, 60), days=rng.choice((0, 0, 0, 1, 2, 7))))
        moments.append(moment)
    return moments


def create_progress(
    people: list[tuple[int, int]],
    outlines: list[list[int]],
    rng: random.Random,
    now: datetime,
    report: ProvinceReport,
) -> None:
    """5–15 courses for every learner (popular courses more often), each not started yet, in
    progress (a completed prefix of the steps) or completed, over the last twelve months."""
    progress_columns = [
        "user",
        "course",
        "steps_done",
        "steps_total",
        "percent",
        "resume_step",
        "started_at",
        "completed_at",
        "last_activity_at",
        "best_score_percent",
        "quiz_attempts",
        "makeup_passed",
    ]
    enrolments = RowWriter(Enrolment, ["user", "course", "enrolled_at"])
    completions = RowWriter(StepCompletion, ["user", "course", "step", "completed_at"])
    progress = RowWriter(CourseProgress, progress_columns)
    # Popularity: course i appears in the pool with weight 1–4, so some courses draw many more learners.
    pool = [index for index in range(len(outlines)) for _ in range(1 + (index * 7919) % 4)]
    low, high = COURSES_PER_LEARNER
    low, high = min(low, len(outlines)), min(high, len(outlines))
    history_seconds = int(HISTORY.total_seconds())
    for chunk_start in range(0, len(people), LEARNERS_PER_CHUNK):
        enrolment_rows, completion_rows, progress_rows = [], [], []
        for user_id, _unit in people[chunk_start : chunk_start + LEARNERS_PER_CHUNK]:
            wanted = rng.randint(low, high)
            chosen = list(dict.fromkeys(rng.sample(pool, min(len(pool), wanted + 6))))[:wanted]
            while len(chosen) < wanted:
                extra = rng.randrange(len(outlines))
                if extra not in chosen:
                    chosen.append(extra)
            for course_index in chosen:
                course_id, *step_ids = outlines[course_index]
                started = now - timedelta(seconds=rng.randint(3600, history_seconds))
                draw = rng.random()
                if draw < NOT_STARTED_SHARE:
                    done_count = 0
                elif draw < NOT_STARTED_SHARE + IN_PROGRESS_SHARE:
                    done_count = rng.randint(1, len(step_ids) - 1)
                else:
                    done_count = len(step_ids)
                moments = _moments(rng, started, done_count, now)
                figures = progress_figures(step_ids, set(step_ids[:done_count]))
                last_activity = moments[-1] if moments else started
                enrolment_rows.append((user_id, course_id, started))
                completion_rows.extend(
                    (user_id, course_id, step_id, moment)
                    for step_id, moment in zip(step_ids[:done_count], moments, strict=True)
                )
                row = (
                    user_id,
                    course_id,
                    figures.steps_done,
                    figures.steps_total,
                    figures.percent,
                    figures.resume_step_id,
                    started,
                    last_activity if figures.all_done else None,
                    last_activity,
                    # The courses have no quiz steps, so there is no graded attempt behind a
                    # best score: courses.verify derives none (and no attempts, and no make-up pass).
                    None,
                    0,
                    False,
                )
                progress_rows.append(row)
        enrolments.write(enrolment_rows)
        completions.write(completion_rows)
        progress.write(progress_rows)
    report.created["enrolments"] = enrolments.written
    report.created["step completions"] = completions.written
    report.created["progress rows"] = progress.written


def create_required_learning(outlines: list[list[int]], now: datetime, report: ProvinceReport) -> None:
    """The assignments of REQUIRED_LEARNING through required learning's own service, which gives
    every matching person their row and closes it for those who have completed the course."""
    head = get_user_model().objects.select_related("department").get(username=f"head.{PROVINCE_CODE}")
    courses = CoursePage.objects.in_bulk([ids[0] for ids in outlines])
    units = Department.objects.in_bulk([code for _n, code, *_rest in REQUIRED_LEARNING], field_name="code")
    for number, code, positions, due_in_days, assigned_days_ago in REQUIRED_LEARNING:
        # Fewer courses than the plan names (small test sizes): wrap around.
        course = courses[outlines[(number - 1) % len(outlines)][0]]
        assignment_create(
            course=course,
            department=units[code],
            positions=positions,
            due_date=timezone.localdate(now) + timedelta(days=due_in_days),
            created_by=head,
            now=now - timedelta(days=assigned_days_ago),
        )
    assignments = Assignment.objects.filter(department__in=units.values())
    report.created["assignments"] = assignments.count()
    report.created["required learning rows"] = LearnerAssignment.objects.filter(assignment__in=assignments).count()


def create_course_records(outlines: list[list[int]], report: ProvinceReport) -> None:
    """The hour entries and certificates of the completions, by the hours and certificates apps'
    own bulk services: the progress rows were written without signals, so no completion was
    announced. Hours first: a certificate prints the hours the ledger holds. Entries are written
    after the required learning, so each is required or elective as the product would class it."""
    entries = certificates = 0
    for course_id, *_steps in outlines:
        entries += hours_sync_course_completions(course_id=course_id)
        certificates += len(certificates_sync_course_completions(course_id=course_id))
    report.created["hour entries"] = entries
    report.created["certificates"] = certificates


# ---------------------------------------------------------------------------- removal


def _delete_rows(model: type[models.Model], condition: Q) -> int:
    """DELETE … WHERE id IN (subquery), without loading the rows or sending per-row signals:
    the progress tables hold millions of the province's rows, and their delete receivers would
    enqueue a summary refresh for each (the summaries are recomputed at the end anyway)."""
    subquery, params = model.objects.filter(condition).values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({subquery})", params)  # noqa: S608 (names from _meta)
        return cursor.rowcount


def province_delete(root: Department, report: ProvinceReport) -> None:
    """Remove a previously generated province: its progress, people, courses and units."""
    User = get_user_model()
    home = HomePage.objects.order_by("path").first()
    catalogue = CourseIndexPage.objects.child_of(home).filter(slug=CATALOGUE_SLUG).first() if home else None
    in_province = Q(user__department__path__startswith=root.path)
    if catalogue is not None:
        in_province |= Q(course__path__startswith=catalogue.path)
    removed = 0
    for model in (StepCompletion, CourseProgress, Enrolment, HourEntry, Certificate):
        removed += _delete_rows(model, in_province)
    assignments = Q(department__path__startswith=root.path)
    if catalogue is not None:
        assignments |= Q(course__path__startswith=catalogue.path)
    learner_rows = Q(user__department__path__startswith=root.path) | Q(
        assignment__in=Assignment.objects.filter(assignments)
    )
    removed += _delete_rows(LearnerAssignment, learner_rows)
    _delete_rows(Assignment, assignments)  # a unit with an assignment cannot be deleted (PROTECT)
    for label in ("reports.DepartmentCourseSummary", "reports.DepartmentMonthlyCompletions"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        condition = Q(department__path__startswith=root.path)
        if catalogue is not None:
            condition |= Q(course__path__startswith=catalogue.path)
        _delete_rows(model, condition)
    User.objects.filter(department__path__startswith=root.path).delete()
    if catalogue is not None:
        CourseOutline.objects.filter(course__path__startswith=catalogue.path).delete()
        catalogue.delete()
    Department.objects.filter(path__startswith=root.path).delete()
    report.created["rows removed"] = removed


# ---------------------------------------------------------------------------- summaries


def refresh_report_summaries(report: ProvinceReport) -> None:
    """The reports app's full recompute from the progress rows (it rewrites every stored
    summary in one transaction): the bulk writes above sent no signals."""
    if "reports_recompute" not in get_commands():
        report.messages.append("No reports_recompute command: report summaries not refreshed.")
        return
    output = StringIO()
    call_command("reports_recompute", stdout=output)
    report.messages.append(output.getvalue().strip())


# ---------------------------------------------------------------------------- entry point


def generate_province(
    *,
    size: ProvinceSize,
    replace: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProvinceReport:
    """Generate the province in one transaction. Refuses when it exists, unless replace."""
    if size.departments < 3 or size.courses < 1 or size.big_department < 1:
        raise ProvinceError("Need at least 3 departments, 1 course and 1 person in the big department.")
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise ProvinceError("No home page: run `manage.py load_demo_city` first (the courses go under its home page).")
    report = ProvinceReport()
    now = now or timezone.now()
    rng = random.Random(size.seed)
    clock = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal clock
        elapsed = time.perf_counter() - clock
        report.seconds[what] = elapsed
        clock = time.perf_counter()
        if progress:
            progress(f"{what}: {elapsed:.1f} s")

    with transaction.atomic():
        existing = Department.objects.filter(code=PROVINCE_CODE).first()
        if existing is not None:
            if not replace:
                raise ProvinceError("The province already exists; run again with --replace to generate it anew.")
            province_delete(existing, report)
            lap("removed the previous province")
        if Page.objects.child_of(home).filter(slug=CATALOGUE_SLUG).exists():
            raise ProvinceError(f"The home page already has a page with the slug {CATALOGUE_SLUG!r}.")
        units = plan_units(size, rng)
        plan_members(units, size, rng)
        departments = create_departments(units, report)
        lap("departments")
        people = create_people(units, departments, rng, report)
        lap("people")
        outlines = create_courses(home, size, rng, report)
        lap("courses")
        create_progress(people, outlines, rng, now, report)
        lap("progress")
        create_required_learning(outlines, now, report)
        lap("required learning")
        create_course_records(outlines, report)
        lap("hour entries and certificates")
        refresh_report_summaries(report)
        lap("report summaries")
    lap("commit (deferred foreign-key checks)")
    return report
