"""Every address of ours that names a record by its id is refused to people with no right to it.

One table lists each such route with the record it is asked for and who is entitled to it. For
every route, a learner and the head of another department, the head of a sibling section, an
anonymous visitor and the people close to the record without a right to it (ALSO_REFUSED) are
refused (no page, no file, no personal name) and their POSTs change no row; then the entitled
person gets the page (or, for a POST, is not refused), which proves the address is right and the
refusals are the view's own. A route added without an entry here fails
`test_every_route_naming_a_record_is_in_the_table`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.services import people_import_check, user_roles_update
from assignments.services import assignment_create
from certificates.models import Certificate
from courses.authoring import course_authoring_setup
from courses.models import QuizStepPage
from courses.services import step_complete
from hours.models import HourEntry
from notifications.services import notification_create
from privacy.services import data_archive_request
from quizzes.services import attempt_start, attempt_submit
from quizzes.specs import QuestionSpec, QuestionType
from reports.services import export_request
from tests.factories import UserFactory, build_course, course_steps
from tests.factories.hours import offline_declaration
from tests.factories.reports import build_city
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db

OWNER_NAME = "受保护的学员"
ESSAY_SPECS = [QuestionSpec(qtype=QuestionType.ESSAY, stem="请论述“一网通办”的意义。", mark=Decimal("4"))]

# Routes with an argument that name no one's record, and why they are not in the table.
NOT_A_RECORD = {
    "courses:step_complete": "acts on the requesting learner's own progress (tests/courses)",
    "courses:course_start": "acts on the requesting learner's own progress (tests/courses)",
    "courses:quiz_start": "starts the requesting learner's own attempt (tests/quizzes)",
    "courses:cms_image": "a lesson's image, checked against its page's privacy (tests/browser/test_restricted_images.py)",
    "certificates:verify": "public by design: anyone holding a certificate's code may verify it",
    "reports:export": "a report of the requester's own scope (tests/reports/test_access.py)",
    "hours:compliance_export": "a report of the requester's own scope (tests/hours/test_compliance.py)",
    "hours:integrity_export": "a report of the requester's own scope (tests/hours/test_integrity.py)",
}
# Wagtail's own routes with an argument (its permission checks, not ours).
WAGTAIL_MODULES = ("wagtail.",)


@dataclass
class World:
    owner: object  # a learner of the budget section
    head: object  # the finance head: the owner's head
    admin: object  # the city administrator
    trainer: object
    superuser: object  # deleting a person is the superuser's alone (City admins deactivate)
    strangers: dict[str, object | None]  # None: an anonymous visitor
    records: dict[str, object]


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: Callable[[World], dict]
    entitled: str  # the World's attribute: owner, head, admin, trainer or superuser
    method: str = "get"
    data: Callable[[World], dict] = lambda world: {}
    also_entitled: tuple[str, ...] = ()  # others of the World's roles with a right to it
    as_json: bool = False  # the body is JSON (the quiz page's autosave)
    # A report every head has, of their own scope: another head gets the page, without the owner.
    scoped: bool = False


ROUTES = [
    Route("quizzes:attempt", lambda w: {"attempt_id": w.records["open_attempt"].pk}, "owner"),
    Route(
        "quizzes:autosave",
        lambda w: {"attempt_id": w.records["open_attempt"].pk},
        "owner",
        "post",
        lambda w: {"answers": {"1": {"choice": "a"}}},
        as_json=True,
    ),
    Route("quizzes:submit", lambda w: {"attempt_id": w.records["open_attempt"].pk}, "owner", "post"),
    Route("quizzes:review", lambda w: {"attempt_id": w.records["graded_attempt"].pk}, "owner"),
    Route("reports:course", lambda w: {"course_id": w.records["course"].pk}, "head", scoped=True),
    Route("reports:learner", lambda w: {"user_id": w.owner.pk}, "head"),
    Route("reports:export_status", lambda w: {"export_id": w.records["export"].pk}, "head"),
    Route("reports:export_status_json", lambda w: {"export_id": w.records["export"].pk}, "head"),
    Route("reports:export_download", lambda w: {"export_id": w.records["export"].pk}, "head"),
    Route(
        "hours:decide",
        lambda w: {"declaration_id": w.records["declaration"].pk},
        "head",
        "post",
        lambda w: {"decision": "approve"},
    ),
    Route(
        "hours:attachment",
        lambda w: {"declaration_id": w.records["declaration"].pk},
        "owner",
        also_entitled=("head",),  # who decides on the declaration sees its evidence
    ),
    Route("hours:integrity_learner", lambda w: {"user_id": w.owner.pk}, "head"),
    Route(
        "hours:review_decide",
        lambda w: {"entry_id": w.records["hour_entry"].pk},
        "head",
        "post",
        lambda w: {"decision": "approve"},
    ),
    Route("certificates:download", lambda w: {"certificate_id": w.records["certificate"].pk}, "owner"),
    Route("notifications:read", lambda w: {"notification_id": w.records["notification"].pk}, "owner", "post"),
    Route("privacy:archive_status", lambda w: {"archive_id": w.records["archive"].pk}, "owner"),
    Route("privacy:archive_download", lambda w: {"archive_id": w.records["archive"].pk}, "owner"),
    Route("assignments:edit", lambda w: {"pk": w.records["assignment"].pk}, "head"),
    Route(
        "assignments:edit",
        lambda w: {"pk": w.records["assignment"].pk},
        "head",
        "post",
        lambda w: {"due_date": "2031-01-01", "positions": ""},
    ),
    Route("assignments:withdraw", lambda w: {"pk": w.records["assignment"].pk}, "head"),
    Route("assignments:withdraw", lambda w: {"pk": w.records["assignment"].pk}, "head", "post"),
    # The Wagtail admin's views of ours.
    Route("accounts_admin:people_import_detail", lambda w: {"pk": w.records["people_import"].pk}, "admin"),
    Route("accounts_admin:people_import_status", lambda w: {"pk": w.records["people_import"].pk}, "admin"),
    Route("accounts_admin:people_import_confirm", lambda w: {"pk": w.records["people_import"].pk}, "admin", "post"),
    Route("quizzes_admin:item_analysis", lambda w: {"quiz_id": w.records["graded_attempt"].quiz_id}, "trainer"),
    Route("quizzes_admin:attempts", lambda w: {"quiz_id": w.records["graded_attempt"].quiz_id}, "trainer"),
    Route("quizzes_admin:attempt", lambda w: {"attempt_id": w.records["graded_attempt"].pk}, "trainer"),
    Route(
        "quizzes_admin:grade_override",
        lambda w: {"attempt_id": w.records["graded_attempt"].pk, "position": 1},
        "trainer",
        "post",
        lambda w: {"score": "0", "note": "复核"},
    ),
    Route("quizzes_admin:essay_grade", lambda w: {"attempt_question_id": w.records["essay"].pk}, "trainer"),
    Route(
        "quizzes_admin:essay_grade",
        lambda w: {"attempt_question_id": w.records["essay"].pk},
        "trainer",
        "post",
        lambda w: {"mark": "3", "comment": "要点齐全"},
    ),
    Route("quizzes_admin:regrade", lambda w: {"question_id": w.records["question"].pk}, "trainer"),
    Route("departments_admin:rename", lambda w: {"pk": w.records["unit"].pk}, "admin"),
    Route("departments_admin:move", lambda w: {"pk": w.records["unit"].pk}, "admin"),
    Route("departments_admin:retire", lambda w: {"pk": w.records["unit"].pk}, "admin"),
    Route(
        "departments_admin:retire",
        lambda w: {"pk": w.records["unit"].pk},
        "admin",
        "post",
        lambda w: {"assignments_action": "withdraw"},
    ),
    Route("certificates_admin:revoke", lambda w: {"pk": w.records["certificate"].pk}, "admin"),
    Route(
        "certificates_admin:revoke",
        lambda w: {"pk": w.records["certificate"].pk},
        "admin",
        "post",
        lambda w: {"reason": "撤销"},
    ),
    Route("wagtailusers_users:edit", lambda w: {"pk": w.owner.pk}, "admin"),
    Route("wagtailusers_users:delete", lambda w: {"pk": w.owner.pk}, "superuser"),
    Route("wagtailusers_users:delete", lambda w: {"pk": w.owner.pk}, "superuser", "post"),
    Route("wagtailsnippets_quizzes_quiz:edit", lambda w: {"pk": w.records["graded_attempt"].quiz_id}, "trainer"),
    Route("wagtailsnippets_quizzes_question:edit", lambda w: {"pk": w.records["question"].pk}, "trainer"),
    Route("wagtailsnippets_quizzes_question:copy", lambda w: {"pk": w.records["question"].pk}, "trainer"),
]


def _routes_with_arguments(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _routes_with_arguments(pattern, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groups:
            module = getattr(pattern.callback, "__module__", "") or ""
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or prefix + str(pattern.pattern), module


def test_every_route_naming_a_record_is_in_the_table():
    listed = {route.name for route in ROUTES} | set(NOT_A_RECORD)
    missing = sorted(
        name
        for name, module in _routes_with_arguments(get_resolver())
        if not module.startswith(WAGTAIL_MODULES) and name not in listed
    )
    assert missing == []


@pytest.fixture
def world(catalogue, file_roots, django_capture_on_commit_callbacks) -> World:
    with django_capture_on_commit_callbacks(execute=True):
        city = build_city(catalogue, per_unit=1, courses=1)
    owner = city.learners["budget"][0]
    owner.display_name = OWNER_NAME
    owner.save()
    for person, roles in (
        (city.admin, {"is_city_admin": True}),
        (city.finance_head, {"is_department_head": True}),
        (city.police_head, {"is_department_head": True}),
    ):
        user_roles_update(
            user=person,
            department=person.department,
            **{"is_trainer": False, "is_department_head": False, "is_city_admin": False, **roles},
            changed_by=None,
        )
    sibling_head = UserFactory(username="head.treasury", department=city.treasury)
    user_roles_update(
        user=sibling_head, department=city.treasury, is_trainer=False, is_department_head=True, is_city_admin=False
    )
    course_authoring_setup(catalogue=catalogue)  # the Trainers group's permissions, as the demo city has them
    trainer = UserFactory(username="trainer", department=city.city)
    user_roles_update(
        user=trainer, department=city.city, is_trainer=True, is_department_head=False, is_city_admin=False
    )
    course = city.courses[0]
    exam_course = build_course(catalogue, steps=0, sequential=False, slug="exam-course")
    graded_step = QuizStepPage(title="测验一", slug="quiz-one", quiz=make_quiz(pass_mark_percent=60))
    open_step = QuizStepPage(title="测验二", slug="quiz-two", quiz=make_quiz(title="测验二"))
    exam_course.add_child(instance=graded_step)
    exam_course.refresh_from_db()
    exam_course.add_child(instance=open_step)
    exam_course.refresh_from_db()
    essay_step = QuizStepPage(title="论述题", slug="essay", quiz=make_quiz(title="论述题", specs=ESSAY_SPECS))
    exam_course.add_child(instance=essay_step)
    with django_capture_on_commit_callbacks(execute=True):
        for step in course_steps(course):
            step_complete(user=owner, step=step)
        graded = attempt_start(quiz=graded_step.quiz, user=owner)
        attempt_submit(attempt_id=graded.pk, user=owner, answers=right_answers(graded))
        open_attempt = attempt_start(quiz=open_step.quiz, user=owner)
        essay_attempt = attempt_start(quiz=essay_step.quiz, user=owner)
        attempt_submit(attempt_id=essay_attempt.pk, user=owner, answers={"1": {"text": "让群众少跑腿。"}})
        export = export_request(user=city.finance_head, report="overview_courses", file_format="csv", params={})
        archive = data_archive_request(user=owner)
        assignment = assignment_create(
            course=course, department=city.finance, due_days=30, created_by=city.finance_head
        )
    declaration = offline_declaration(owner)
    notification, _created = notification_create(
        recipient_id=owner.pk, kind="reminder", dedupe_key="routes", title="提醒", language="zh-hans"
    )
    people_import = people_import_check(
        data="工号,姓名,部门路径\nRT1,新人,市/财政局\n".encode(),
        filename="people.csv",
        create_missing_departments=False,
        created_by=city.admin,
    )
    for record in (export, archive):
        record.refresh_from_db()
    records = {
        "course": course,
        "graded_attempt": graded,
        "open_attempt": open_attempt,
        "question": graded_step.quiz.slots.first().question,
        "export": export,
        "archive": archive,
        "assignment": assignment,
        "declaration": declaration,
        "notification": notification,
        "people_import": people_import,
        "certificate": Certificate.objects.get(user=owner),
        "hour_entry": HourEntry.objects.filter(user=owner).first(),
        "unit": city.budget,
        "essay": essay_attempt.questions.get(),
    }
    return World(
        owner=owner,
        head=city.finance_head,
        admin=city.admin,
        trainer=trainer,
        superuser=UserFactory(username="root", department=city.city, is_superuser=True, is_staff=True),
        strangers={
            "learner of another department": city.learners["police"][0],
            "head of another department": city.police_head,
            "head of a sibling section": sibling_head,
            "anonymous visitor": None,
        },
        records=records,
    )


# Besides the strangers, the people close to the record who still have no right to it: the
# owner's head to what is the owner's alone, the owner to their head's exports and decisions
# (no one approves their own declaration), a trainer to reports and people.
ALSO_REFUSED = {
    "owner": ("head", "trainer"),
    "head": ("owner", "trainer"),
    "trainer": ("owner", "head"),
    "admin": ("owner", "head", "trainer"),
    "superuser": ("owner", "head", "trainer", "admin"),
}


# Rows a refused request must leave as they were.
WATCHED_MODELS = [
    "quizzes.Attempt",
    "quizzes.AttemptGrade",
    "quizzes.QuestionGrade",
    "quizzes.SavedAnswer",
    "quizzes.QuestionVersion",
    "courses.CourseProgress",
    "hours.HourEntry",
    "hours.OfflineTraining",
    "certificates.Certificate",
    "notifications.Notification",
    "assignments.Assignment",
    "assignments.LearnerAssignment",
    "departments.Department",
    "accounts.PeopleImport",
    "privacy.DataArchive",
    "reports.ReportExport",
]


def rows_of_record() -> dict[str, list[dict]]:
    people = list(apps.get_model("accounts.User").objects.order_by("pk").values())
    for person in people:
        person.pop("last_login")  # the strangers' own sign-in
    return {
        "accounts.User": people,
        **{label: list(apps.get_model(label).objects.order_by("pk").values()) for label in WATCHED_MODELS},
    }


def request(client: Client, route: Route, world: World):
    url = reverse(route.name, kwargs=route.kwargs(world))
    if route.method == "post" and route.as_json:
        return client.post(url, route.data(world), content_type="application/json")
    if route.method == "post":
        return client.post(url, route.data(world))
    return client.get(url)


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method} {route.name}")
def test_a_record_is_refused_to_those_without_a_right_to_it(route, world):
    strangers = {
        **world.strangers,
        **{role: getattr(world, role) for role in ALSO_REFUSED[route.entitled] if role not in route.also_entitled},
    }
    for who, stranger in strangers.items():
        client = Client()
        if stranger is not None:
            client.force_login(stranger)
        before = rows_of_record()
        response = request(client, route, world)
        refused = {302, 403, 404, 405} | (
            {200} if route.scoped and stranger is not None and stranger.is_department_head else set()
        )
        assert response.status_code in refused, f"{who}: {response.status_code}"
        if response.status_code == 302:
            # Elsewhere (the sign-in page may carry the address as ?next=), never to the record.
            assert response["Location"].partition("?")[0] != reverse(route.name, kwargs=route.kwargs(world)), who
        if stranger != world.owner:  # the owner's own pages carry their name
            assert OWNER_NAME.encode() not in body_of(response), who
        assert rows_of_record() == before, f"{who}: a refused request changed a row"
    entitled = Client()
    entitled.force_login(getattr(world, route.entitled))
    response = request(entitled, route, world)
    if route.method == "get":
        assert response.status_code == 200, f"{route.entitled}: {response.status_code} {response.get('Location')}"
    else:
        assert response.status_code not in {403, 404, 405}, f"{route.entitled}: {response.status_code}"
