"""Loads the demo city. Every step looks up what exists by a natural key and creates only what
is missing, so running it again changes nothing; dates come from a fixed calendar, not the clock."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site

from accounts.services import city_admins_group_setup
from assignments.models import Assignment
from assignments.services import assignment_create
from certificates.models import Certificate
from certificates.services import (
    certificate_render,
    certificates_refresh_unrendered_hours,
    certificates_sync_course_completions,
)
from courses.authoring import REVIEWERS_GROUP, TRAINERS_GROUP, course_authoring_setup
from courses.models import (
    CourseIndexPage,
    CourseOutline,
    CoursePage,
    CourseProgress,
    Enrolment,
    LessonPage,
    QuizStepPage,
    StepCompletion,
)
from courses.progress import progress_figures
from courses.services import course_quiz_scores_refresh
from departments.models import Department
from home.models import HomePage, InfoPage
from hours.services import hours_final_exam_passed, hours_sync_course_completions
from notifications.services import digests_send, reminders_send
from quizzes.models import AttemptGrade
from reports.services import summaries_compute, summaries_store

from . import images
from .content.city import (
    CITY,
    DEMO_PASSWORD,
    DEPARTMENTS,
    GIVEN_CHARACTERS,
    NAMED_USERS,
    POSITIONS,
    RANK_FOR_POSITION,
    REQUIRED_LEARNING,
    SURNAMES,
)
from .content.courses import COURSES
from .content.pages import ABOUT_PAGE, CATALOGUE_INTRO, HELP_PAGE, HOME_INTRO
from .quiz_loader import AttemptPlan, load_attempts, load_quizzes, quizzes_by_step

SEED = 2026
# Demo activity happens in the autumn term before "today" in the demo's own calendar.
CALENDAR_START = datetime.fromisoformat("2026-09-01T09:00:00+08:00")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        if count:
            self.created[what] = self.created.get(what, 0) + count


# ---------------------------------------------------------------------------- departments


def load_departments(report: LoadReport) -> dict[str, Department]:
    city = Department.objects.filter(code=CITY["code"]).first()
    if city is None:
        city = Department.add_root(kind=Department.Kind.CITY, **CITY)
        report.add("departments")
    by_code = {city.code: city}
    existing = {d.code: d for d in Department.objects.all()}
    for code, name, name_en, _size, sections in DEPARTMENTS:
        department = existing.get(code)
        if department is None:
            city.refresh_from_db()
            department = city.add_child(code=code, name=name, name_en=name_en, kind=Department.Kind.DEPARTMENT)
            report.add("departments")
        by_code[code] = department
        for section_code, section_name, section_name_en in sections:
            section = existing.get(section_code)
            if section is None:
                department.refresh_from_db()
                section = department.add_child(
                    code=section_code, name=section_name, name_en=section_name_en, kind=Department.Kind.SECTION
                )
                report.add("departments")
            by_code[section_code] = section
    return by_code


# ---------------------------------------------------------------------------- people


def _person_name(rng: random.Random) -> str:
    given_length = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARACTERS) for _ in range(given_length))


def _planned_people(departments: dict[str, Department]) -> list[dict]:
    """Everyone the demo city employs, in a fixed order with fixed names."""
    rng = random.Random(SEED)
    people = []
    for username, display_name, department_code, position, rank, roles in NAMED_USERS:
        people.append(
            dict(
                username=username,
                display_name=display_name,
                department=departments[department_code],
                position=position,
                rank=rank,
                roles=roles,
                employee_id=f"XT{len(people) + 1:05d}",
            )
        )
    number = 100
    for code, _name, _name_en, size, sections in DEPARTMENTS:
        units = [departments[code]] + [departments[section[0]] for section in sections]
        for index in range(size):
            number += 1
            is_head = index == 0
            unit = units[0] if is_head or not sections else units[1 + (index % len(sections))]
            position = "局长" if is_head else rng.choice(POSITIONS)
            people.append(
                dict(
                    username=f"head.{code}" if is_head else f"e{number:05d}",
                    display_name=_person_name(rng),
                    department=unit,
                    position=position,
                    rank="bureau_chief" if is_head else RANK_FOR_POSITION[position],
                    roles={"is_department_head": True} if is_head else {},
                    employee_id=f"XT{number:05d}",
                )
            )
    return people


def load_people(report: LoadReport, departments: dict[str, Department]) -> list:
    User = get_user_model()
    planned = _planned_people(departments)
    existing = set(User.objects.values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)  # hashed once: 1,500 hashes would take minutes
    new_users = []
    for person in planned:
        if person["username"] in existing:
            continue
        roles = person["roles"]
        is_staff = bool(roles.get("is_trainer") or roles.get("is_city_admin"))
        new_users.append(
            User(
                username=person["username"],
                display_name=person["display_name"],
                employee_id=person["employee_id"],
                department=person["department"],
                position=person["position"],
                rank=person["rank"],
                password=password,
                is_staff=is_staff,
                **roles,
            )
        )
    User.objects.bulk_create(new_users, batch_size=500)
    report.add("users", len(new_users))
    trainers, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    trainers.user_set.add(*User.objects.filter(is_trainer=True))
    reviewers.user_set.add(*User.objects.filter(is_city_admin=True))
    # City admins are not superusers: the group gives them what they do in the admin.
    city_admins_group_setup().user_set.add(*User.objects.filter(is_city_admin=True))
    return list(User.objects.filter(username__in=[p["username"] for p in planned]).order_by("employee_id"))


# ---------------------------------------------------------------------------- media


def _demo_image(key: str, report: LoadReport) -> Image:
    title = images.IMAGES[key]["title"]
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, file=ImageFile(BytesIO(images.render_png(key)), name=f"demo-{key}.png"))
        image.save()
        report.add("images")
    return image


def _demo_document(key: str, report: LoadReport) -> Document:
    spec = images.DOCUMENTS[key]
    document = Document.objects.filter(title=spec["title"]).first()
    if document is None:
        document = Document(title=spec["title"])
        document.file.save(spec["filename"], ContentFile(spec["content"].encode("utf-8")), save=False)
        document.save()
        report.add("documents")
    return document


def _stream_data(body: list[tuple[str, object]], report: LoadReport) -> list[dict]:
    """The content module's (type, value) pairs as StreamField raw data, media keys turned into ids."""
    data = []
    for block_type, value in body:
        if block_type == "image":
            value = {**value, "image": _demo_image(value["image"], report).pk}
        elif block_type == "document":
            value = {**value, "document": _demo_document(value["document"], report).pk}
        elif block_type == "instructions":
            steps = []
            for step in value["steps"]:
                screenshot = step.get("screenshot")
                steps.append(
                    {
                        "text": step["text"],
                        "screenshot": _demo_image(screenshot, report).pk if screenshot else None,
                        "screenshot_alt": images.IMAGES[screenshot]["title"] if screenshot else "",
                    }
                )
            value = {**value, "steps": steps}
        data.append({"type": block_type, "value": value})
    return data


# ---------------------------------------------------------------------------- pages


def _publish_new_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_site(report: LoadReport) -> tuple[HomePage, CourseIndexPage]:
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's placeholder "Welcome" page holds the slug "home": move it aside, then remove it.
        placeholder = Page.objects.child_of(root).filter(slug="home").exclude(content_type__model="homepage").first()
        if placeholder is not None:
            placeholder.slug = "wagtail-welcome-placeholder"
            placeholder.save()
        root.refresh_from_db()
        home = _publish_new_child(root, HomePage(title="城市电子政务学习平台", slug="home", intro=HOME_INTRO))
        report.add("pages")
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    site.site_name = "城市电子政务学习平台"
    site.save(update_fields=["site_name"]) if site.site_name != "城市电子政务学习平台" else None
    Page.objects.filter(slug="wagtail-welcome-placeholder", numchild=0).delete()
    home.refresh_from_db()
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = _publish_new_child(home, CourseIndexPage(title="课程目录", slug="courses", intro=CATALOGUE_INTRO))
        report.add("pages")
    for spec in (ABOUT_PAGE, HELP_PAGE):
        if not InfoPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
            home.refresh_from_db()
            page = InfoPage(title=spec["title"], slug=spec["slug"], body=spec["body"])
            _publish_new_child(home, page)
            report.add("pages")
    return home, catalogue


def load_courses(report: LoadReport, catalogue: CourseIndexPage, author) -> list[CoursePage]:
    courses = []
    for spec in COURSES:
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if course is None:
            catalogue.refresh_from_db()
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                objectives="\n".join(spec["objectives"]),
                audience=spec["audience"],
                topic=spec["topic"],
                level=spec["level"],
                estimated_minutes=spec["estimated_minutes"],
                credit_hours=Decimal(spec["credit_hours"]),
                sequential=spec["sequential"],
                cover_image=_demo_image(spec["cover"], report),
                owner=author,
            )
            _publish_new_child(catalogue, course)
            report.add("courses")
        existing_steps = set(LessonPage.objects.child_of(course).values_list("slug", flat=True))
        for step in spec["steps"]:
            if step["slug"] in existing_steps:
                continue
            course.refresh_from_db()
            lesson = LessonPage(
                title=step["title"],
                slug=step["slug"],
                intro=step["intro"],
                estimated_minutes=step["minutes"],
                body=_stream_data(step["body"], report),
                owner=author,
            )
            _publish_new_child(course, lesson)
            report.add("steps")
        courses.append(course)
    return courses


# ---------------------------------------------------------------------------- progress


def load_progress(report: LoadReport, people: list, courses: list[CoursePage]) -> list[AttemptPlan]:
    """About half the city has started something; a fixed random plan decides who did what.
    Figures are computed with the same function the services use, so a recompute changes nothing."""
    rng = random.Random(SEED + 1)
    quiz_rng = random.Random(SEED + 2)
    quiz_step_ids = set(quizzes_by_step(courses))
    attempt_plans: list[AttemptPlan] = []
    outlines = {
        c.pk: list(Page.objects.child_of(c).live().order_by("path").values_list("id", flat=True)) for c in courses
    }
    enrolments, completions, progress_rows = [], [], []
    for person in people:
        featured = person.username == "learner"
        if not featured and rng.random() > 0.55:
            continue
        chosen = courses[:3] if featured else rng.sample(courses, k=rng.randint(1, min(3, len(courses))))
        for course_index, course in enumerate(chosen):
            step_ids = outlines[course.pk]
            if featured:
                done_count = [len(step_ids), 2, 0][course_index]
            else:
                done_count = rng.choice([0, 1, 2, len(step_ids), len(step_ids), rng.randint(0, len(step_ids))])
            started = CALENDAR_START + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 480))
            moments = [started + timedelta(minutes=15 * (n + 1) + rng.randint(0, 2880) * n) for n in range(done_count)]
            done_ids = step_ids[:done_count]
            figures = progress_figures(step_ids, set(done_ids))
            last_activity = moments[-1] if moments else started
            for step_id, moment in zip(done_ids, moments, strict=True):
                if step_id in quiz_step_ids:
                    attempt_plans.append(AttemptPlan(person.pk, step_id, moment, must_pass=True))
            if figures.resume_step_id in quiz_step_ids and quiz_rng.random() < 0.5:
                attempt_plans.append(
                    AttemptPlan(person.pk, figures.resume_step_id, last_activity + timedelta(hours=2), must_pass=False)
                )
            enrolments.append(Enrolment(user=person, course=course, enrolled_at=started))
            completions.extend(
                StepCompletion(user=person, course=course, step_id=step_id, completed_at=moment)
                for step_id, moment in zip(done_ids, moments, strict=True)
            )
            progress_rows.append(
                CourseProgress(
                    user=person,
                    course=course,
                    steps_done=figures.steps_done,
                    steps_total=figures.steps_total,
                    percent=figures.percent,
                    resume_step_id=figures.resume_step_id,
                    started_at=started,
                    completed_at=last_activity if figures.all_done else None,
                    last_activity_at=last_activity,
                )
            )
    before = CourseProgress.objects.count()
    Enrolment.objects.bulk_create(enrolments, batch_size=1000, ignore_conflicts=True)
    StepCompletion.objects.bulk_create(completions, batch_size=1000, ignore_conflicts=True)
    CourseProgress.objects.bulk_create(progress_rows, batch_size=1000, ignore_conflicts=True)
    report.add("progress rows", CourseProgress.objects.count() - before)
    for course in courses:
        CourseOutline.objects.get_or_create(course=course, defaults={"step_ids": outlines[course.pk]})
    return attempt_plans


def load_study_time(report: LoadReport, courses: list[CoursePage]) -> None:
    """Verified study time behind the demo's completed lesson steps, as the heartbeats would have
    credited it: each step between its minimum and a little over its estimate, so the completions
    earn their hours (hours.services: STUDY_TIME_HOURS_SHARE). A few learners (about one in
    twenty-five of those who finished a course) clicked through a course in a fraction of its
    minimum: their hours wait for their head's review. Idempotent (one row per person, step and
    course)."""
    from studytime.models import StudyTime

    rng = random.Random(SEED + 4)
    rows = []
    for course in courses:
        lessons = {lesson.pk: lesson for lesson in LessonPage.objects.child_of(course).live()}
        done = defaultdict(list)
        for user_id, step_id in (
            StepCompletion.objects.filter(course=course, step_id__in=list(lessons)).order_by("user_id", "step_id")
        ).values_list("user_id", "step_id"):
            done[user_id].append(step_id)
        completed = set(
            CourseProgress.objects.filter(course=course, completed_at__isnull=False).values_list("user_id", flat=True)
        )
        for user_id, step_ids in done.items():
            hurried = user_id in completed and rng.random() < 0.04
            for step_id in step_ids:
                lesson = lessons[step_id]
                if hurried:
                    seconds = max(5, lesson.minimum_study_seconds // 5)
                else:
                    estimate = lesson.estimated_minutes * 60
                    seconds = max(lesson.minimum_study_seconds, int(estimate * rng.uniform(0.7, 1.3)))
                rows.append(StudyTime(user_id=user_id, step_id=step_id, course=course, active_ms=seconds * 1000))
    before = StudyTime.objects.count()
    StudyTime.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    report.add("study time rows", StudyTime.objects.count() - before)


def load_hours(course: CoursePage) -> None:
    """Credit hours for the demo's completions and passed final exams (written in bulk, so no
    events fired); both services are idempotent."""
    hours_sync_course_completions(course_id=course.pk)
    finals = QuizStepPage.objects.child_of(course).filter(kind=QuizStepPage.Kind.FINAL_EXAM).values("quiz_id")
    passes = (
        AttemptGrade.objects.filter(passed=True, attempt__quiz_id__in=finals)
        .values("attempt__user_id")
        .annotate(first_pass=Min("graded_at"))
    )
    for row in passes:
        hours_final_exam_passed(user_id=row["attempt__user_id"], course=course, passed_at=row["first_pass"])


def load_required_learning(report: LoadReport, courses, admin) -> None:
    """The office's assignments; each person's rows are written as an admin's assignment would."""
    by_slug = {course.slug: course for course in courses}
    today = timezone.localdate()
    for slug, department_code, positions, due_in_days, due_days, repeat_yearly in REQUIRED_LEARNING:
        # Read the unit again: adding sorted siblings moved tree paths after the dict was built.
        course, department = by_slug[slug], Department.objects.get(code=department_code)
        if Assignment.objects.filter(course=course, department=department, positions=positions).exists():
            continue
        assignment_create(
            course=course,
            department=department,
            positions=positions,
            due_date=None if due_in_days is None else today + timedelta(days=due_in_days),
            due_days=due_days,
            repeat_yearly=repeat_yearly,
            created_by=admin,
        )
        report.add("assignments")


def load_certificates(report: LoadReport, courses: list[CoursePage]) -> None:
    """Certificates for the demo's completions (written in bulk, so no events fired). Drawing a
    PDF takes about a second, so only the featured learner's are drawn now; the others are drawn
    on their first download. Idempotent: a second run finds nothing missing and nothing stale."""
    for course in courses:
        certificates_sync_course_completions(course_id=course.pk)  # in case the outline already existed
        certificates_refresh_unrendered_hours(course_id=course.pk)
    for certificate_id in Certificate.objects.filter(user__username="learner", revoked_at__isnull=True).values_list(
        "pk", flat=True
    ):
        certificate_render(certificate_id=certificate_id)


@transaction.atomic
def load_demo_city() -> LoadReport:
    report = LoadReport()
    departments = load_departments(report)
    people = load_people(report, departments)
    home, catalogue = load_site(report)
    course_authoring_setup(catalogue=catalogue)
    author = next(p for p in people if p.username == "trainer1")
    courses = load_courses(report, catalogue, author)
    load_quizzes(report, courses, author)
    attempt_plans = load_progress(report, people, courses)
    load_study_time(report, courses)
    load_required_learning(report, courses, next(p for p in people if p.username == "cityadmin"))
    load_attempts(report, attempt_plans, quizzes_by_step(courses), seed=SEED + 3)
    for course in courses:
        course_quiz_scores_refresh(course_id=course.pk)
        load_hours(course)
    load_certificates(report, courses)
    # Progress was written in bulk (no per-row signals): build the reports' stored summaries once.
    summaries_store(summaries_compute())
    # Today's reminders and this week's digest, as the beat jobs would send them: the heads of the
    # two offices whose e-government basics are overdue find a digest under Notifications.
    report.add("notifications", reminders_send() + digests_send())
    return report
