"""Reads for courses and learner progress: a fixed number of queries whatever the data size."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache as cache_function
from functools import lru_cache
from typing import NamedTuple
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.html import strip_tags
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.permissions import policy_registry

from accounts.roles import is_city_admin
from config.cache import cache_read, cache_read_many
from config.components import fixed_url
from config.rawsql import ModelReader, id_list_column, ids_from_column

from .models import (
    CourseIndexPage,
    CoursePage,
    CourseProgress,
    Enrolment,
    LessonPage,
    QuizStepPage,
    StepCompletion,
    Topic,
    step_models,
)
from .progress import StepStatus, progress_figures, step_statuses


def live_step_ids(*, course: CoursePage) -> list[int]:
    """Ids of the course's live steps in outline order (one query)."""
    return list(Page.objects.child_of(course).live().type(*step_models()).order_by("path").values_list("id", flat=True))


def course_for_step(*, step: Page) -> CoursePage | None:
    parent = step.get_parent()  # cached on the page when Wagtail routed to it
    parent = parent.specific if parent is not None else None
    return parent if isinstance(parent, CoursePage) else None


# What a step page reads of its course; loading only these keeps the hot path light.
COURSE_FIELDS_FOR_STEPS = (
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "draft_title",
    "slug",
    "url_path",
    "live",
    "sequential",
    "content_type_id",
    "locale_id",
    "translation_key",
    "last_published_at",
)
OUTLINE_CACHE_SECONDS = 300


def outline_cache_key(course_id: int) -> str:
    return f"courses:outline:{course_id}"


def course_outline_rows(*, course: CoursePage) -> list[tuple[int, str, str]]:
    """(id, title, url_path) of the course's live steps in order. The same for every learner, so
    it is cached; courses.services.course_outline_refresh forgets it whenever a step is published,
    unpublished, moved or deleted (the timeout bounds staleness on per-process caches)."""
    key = outline_cache_key(course.pk)
    rows = cache_read(key)
    if rows is None:
        rows = list(Page.objects.child_of(course).live().order_by("path").values_list("id", "title", "url_path"))
        cache.set(key, rows, OUTLINE_CACHE_SECONDS)
    return rows


def course_outline_rows_many(*, courses: list[CoursePage]) -> dict[int, list[tuple[int, str, str]]]:
    """course_outline_rows of several courses: one cache call for all of them (one round trip to
    Redis instead of one per course), then a query for each outline that was not cached."""
    cached = cache.get_many([outline_cache_key(course.pk) for course in courses]) if courses else {}
    return {
        course.pk: cached[outline_cache_key(course.pk)]
        if outline_cache_key(course.pk) in cached
        else course_outline_rows(course=course)
        for course in courses
    }


@cache_function
def _course_of_step_query(*, lesson: bool) -> tuple[str, ModelReader | None, ModelReader, ModelReader | None]:
    """What a step page reads of its course, in one plain SQL query built once per process (names
    from _meta, values as parameters; compiling the ORM's versions cost a lesson page more CPU
    than running them): COURSE_FIELDS_FOR_STEPS and whether the course is limited to departments,
    after its columns. Two shapes share it. lesson=False: the course at a path (the step's path
    without its last step). lesson=True: the live lesson at a URL path with its course (the
    lesson's parent: its path is the lesson's without the last step) and a learner's progress in
    the course (_learner_progress_part); the slug narrows the search through its index (url_path
    has none). Returns the SQL and the lesson's, course's and progress's readers."""
    quote = connection.ops.quote_name
    page, through = Page._meta, CoursePage.restricted_to_departments.through._meta
    path, page_id = quote(page.get_field("path").column), quote(page.pk.column)
    course = ModelReader(CoursePage, aliases={Page: "cp", CoursePage: "c"}, fields=COURSE_FIELDS_FOR_STEPS)
    course_columns = (
        f"{course.columns}, EXISTS (SELECT 1 FROM {quote(through.db_table)} r"  # noqa: S608 (names from _meta)
        f" WHERE r.{quote(through.get_field('coursepage').column)} = cp.{page_id}) AS has_department_restriction"
    )
    if not lesson:
        sql = f"SELECT {course_columns} FROM {course.tables()} WHERE cp.{path} = %s"  # noqa: S608 (names from _meta)
        return sql, None, course, None
    step = ModelReader(LessonPage, aliases={Page: "lp", LessonPage: "l"})
    progress_columns, progress_join, progress = _learner_progress_part(user="%(user)s", course=f"cp.{page_id}")
    sql = (
        f"SELECT {step.columns}, {course_columns}, {progress_columns} FROM {step.tables()}"  # noqa: S608 (names from _meta)
        f"{course.join(f'cp.{path} = SUBSTR(lp.{path}, 1, LENGTH(lp.{path}) - %(steplen)s)')}{progress_join}"
        f" WHERE lp.{quote(page.get_field('slug').column)} = %(slug)s"
        f" AND lp.{quote(page.get_field('url_path').column)} = %(url_path)s"
        f" AND lp.{quote(page.get_field('live').column)} = %(live)s"
    )
    return sql, step, course, progress


def _attach_course(step: Page, row, start: int, reader: ModelReader) -> Page:
    """The course in row[start:] attached to the step as its parent: treebeard's get_parent()
    returns it without a query, so course_for_step() and course_denial_reason() ask nothing more."""
    course = reader.build(row, start)
    course.has_department_restriction = bool(row[start + reader.width])  # SQLite gives 0 or 1
    step._cached_parent_obj = course
    return step


def live_lesson_by_url_path(*, url_path: str, user=None) -> LessonPage | None:
    """The live lesson at this URL path with its course attached as its parent and, for a
    signed-in user, their progress in the course and the steps they completed, attached to the
    course for learner_progress_and_completions: one query, where Wagtail's level-by-level routing
    takes two per level and the progress one more. Lessons are the hot path. The progress is read
    for this request, as it would be later: the sequential lock is decided on it as ever."""
    sql, lesson_reader, course_reader, progress_reader = _course_of_step_query(lesson=True)
    user_id = user.pk if user is not None and user.is_authenticated else None
    slug = url_path.rstrip("/").rpartition("/")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"steplen": Page.steplen, "slug": slug, "url_path": url_path, "live": True, "user": user_id}
        )
        row = cursor.fetchone()
    if row is None:
        return None
    lesson = _attach_course(lesson_reader.build(row), row, lesson_reader.width, course_reader)
    if user_id is not None:
        progress, completed = _learner_progress(row, lesson_reader.width + course_reader.width + 1, progress_reader)
        lesson.get_parent().routed_learner_progress = (user_id, progress, completed)
    return lesson


def course_path_of_step(step_path: str = "path"):
    """The path of a step's course, as an SQL expression over the step's path field (a step's
    path less its last segment: a step's parent is its course)."""
    from django.db.models.functions import Length, Substr

    return Substr(step_path, 1, Length(step_path) - Page.steplen)


def quiz_course_paths(*, quiz_id: int, final_exam_only: bool = False) -> QuerySet:
    """The paths of the courses holding the quiz's live steps, as a subquery for
    `course__path__in` / `path__in`: the caller's query finds the courses itself, with no query
    of its own."""
    steps = QuizStepPage.objects.live().filter(quiz_id=quiz_id)
    if final_exam_only:
        steps = steps.filter(kind=QuizStepPage.Kind.FINAL_EXAM)
    return steps.annotate(course_path=course_path_of_step()).values("course_path")


def with_course_attached(step):
    """The step with its course attached as its parent (one query: COURSE_FIELDS_FOR_STEPS and
    whether the course is limited to departments), or None when its parent is not a course."""
    if step is None:
        return None
    sql, _lesson_reader, course_reader, _progress_reader = _course_of_step_query(lesson=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, [step.path[: -Page.steplen]])
        row = cursor.fetchone()
    return _attach_course(step, row, 0, course_reader) if row is not None else None


def live_quiz_step(*, step_id: int) -> QuizStepPage | None:
    """The live quiz step with this id, its quiz (one join) and its course attached: two queries,
    where reading the page, its specific row, its quiz, its parent, the parent's specific row and
    the course's department limits took six. Every learner of an exam presses Start at once."""
    return with_course_attached(QuizStepPage.objects.live().select_related("quiz").filter(pk=step_id).first())


# Whether any page has a Wagtail privacy setting, per generation: a new generation (a fresh token)
# is drawn whenever a restriction is saved or deleted, and the answer is stored with the generation
# it was computed under, so an answer computed before a change, and stored after it, is never read.
# Both keys are read together (one round trip; a lesson reads them ahead with its other keys).
VIEW_RESTRICTIONS_GENERATION_KEY = "courses:view-restrictions:generation"
VIEW_RESTRICTIONS_ANSWER_KEY = "courses:view-restrictions:answer"
VIEW_RESTRICTIONS_KEYS = (VIEW_RESTRICTIONS_GENERATION_KEY, VIEW_RESTRICTIONS_ANSWER_KEY)
VIEW_RESTRICTIONS_CACHE_SECONDS = 3600


def any_view_restriction_exists() -> bool:
    """Whether any page on the site has a privacy setting (PageViewRestriction). Until one does,
    a step page needs no restriction query; this caches only that fact, the same for everyone,
    never whether a restriction lets someone in (those are checked on every request)."""
    found = cache_read_many(VIEW_RESTRICTIONS_KEYS)
    generation = found.get(VIEW_RESTRICTIONS_GENERATION_KEY)
    if generation is None:
        cache.add(VIEW_RESTRICTIONS_GENERATION_KEY, uuid4().hex, None)
        generation = cache.get(VIEW_RESTRICTIONS_GENERATION_KEY)
        if generation is None:  # no working cache: ask the database
            return PageViewRestriction.objects.exists()
    answer = found.get(VIEW_RESTRICTIONS_ANSWER_KEY)
    if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == generation:
        return answer[1]
    exists = PageViewRestriction.objects.exists()
    cache.set(VIEW_RESTRICTIONS_ANSWER_KEY, (generation, exists), VIEW_RESTRICTIONS_CACHE_SECONDS)
    return exists


def forget_view_restrictions_flag(**kwargs) -> None:
    """Connected to PageViewRestriction's post_save and post_delete. Again after the commit: a
    request between the change and its commit still saw the old rows and may have stored them."""
    cache.set(VIEW_RESTRICTIONS_GENERATION_KEY, uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VIEW_RESTRICTIONS_GENERATION_KEY, uuid4().hex, None))


def course_denial_reason(*, user, course: CoursePage) -> str | None:
    """Why this user may not take this course, or None. Checked on the server for every action."""
    if not user.is_authenticated:
        return "login"
    if not course.live:
        return "unpublished"
    if getattr(course, "has_department_restriction", True) is False:
        return None
    restricted_paths = list(
        CoursePage.restricted_to_departments.through.objects.filter(coursepage_id=course.pk).values_list(
            "department__path", flat=True
        )
    )
    if not _department_allows(user=user, restricted_paths=restricted_paths):
        return "department"
    return None


def _department_allows(*, user, restricted_paths: list[str]) -> bool:
    if not restricted_paths or is_city_admin(user):
        return True
    department = user.department
    return department is not None and any(department.path.startswith(path) for path in restricted_paths)


# The field of CoursePage whose image is shown on the course's card in the catalogue.
COVER_FIELD = "cover_image"


def cms_file_allowed(*, request, obj) -> bool:
    """Whether a CMS document or image (`obj`) may be sent to this request, judged by the pages
    that use it (Wagtail's reference index: choosers, rich-text links, foreign keys of the live
    page rows). Sent when this person may open at least one live page using it: Wagtail's privacy
    settings on the page and its ancestors pass and, for a course or one of its steps, the course
    is live and open to them (signed in; their department, when it is restricted). A file that no
    page uses, or that something other than a page uses, is judged by its collection's privacy
    alone, as before. A file used only by pages this person may not open, or by no live page,
    is refused (the caller answers 404, so its existence is not confirmed).

    A course's cover image is also on its card in the catalogue, which lists every live course
    to every signed-in person (a department-restricted one too, marked as such): used as a cover,
    it goes to anyone signed in who passes the privacy settings above the course, while the course
    is live.

    The course's sequential lock is not applied: it orders the steps of a course for a learner
    who may take it, it hides nothing from them. At most seven queries, whatever the number of pages."""
    references = set(
        ReferenceIndex.get_references_to(obj).values_list("base_content_type_id", "object_id", "content_path")
    )
    if not references:
        return True
    page_type = ContentType.objects.get_for_model(Page).pk  # cached by Django after the first call
    if any(content_type != page_type for content_type, _, _ in references):
        return True
    covers = {int(object_id) for _, object_id, content_path in references if content_path == COVER_FIELD}
    rows = list(
        Page.objects.filter(pk__in={int(object_id) for _, object_id, _ in references}, live=True).values_list(
            "id", "path"
        )
    )
    if not rows:
        return False
    pages = [path for _, path in rows]
    cover_paths = {path for page_id, path in rows if page_id in covers}
    step = Page.steplen
    prefixes = {path[:end] for path in pages for end in range(step, len(path) + 1, step)}
    restrictions = list(PageViewRestriction.objects.filter(page__path__in=prefixes).annotate(page_path=F("page__path")))
    courses = {
        path: (course_id, live)
        for path, course_id, live in CoursePage.objects.filter(
            path__in={*pages, *(path[:-step] for path in pages)}
        ).values_list("path", "id", "live")
    }
    department_paths: dict[int, list[str]] = defaultdict(list)
    if request.user.is_authenticated and courses:
        through = CoursePage.restricted_to_departments.through
        for course_id, path in through.objects.filter(
            coursepage_id__in=[course_id for course_id, _ in courses.values()]
        ).values_list("coursepage_id", "department__path"):
            department_paths[course_id].append(path)
    for path in pages:
        if path in cover_paths and path in courses and request.user.is_authenticated and courses[path][1]:
            # The catalogue's card: the course's own privacy settings do not hide it there.
            if all(r.accept_request(request) for r in restrictions if path[:-step].startswith(r.page_path)):
                return True
        if not all(r.accept_request(request) for r in restrictions if path.startswith(r.page_path)):
            continue
        course_path = path if path in courses else path[:-step] if path[:-step] in courses else None
        if course_path is None:
            return True  # not course content: an information page, the catalogue
        course_id, course_live = courses[course_path]
        if not request.user.is_authenticated or not course_live:
            continue
        if _department_allows(user=request.user, restricted_paths=department_paths[course_id]):
            return True
    return False


def cms_file_sendable(*, request, obj) -> bool:
    """cms_file_allowed, or the person may change or choose this document or image in the admin
    (previews, drafts, the admin's thumbnails): what the document and image views send."""
    if cms_file_allowed(request=request, obj=obj):
        return True
    policy = policy_registry.get_by_type(type(obj))
    return request.user.is_authenticated and policy.user_has_any_permission_for_instance(
        request.user, ["change", "choose"], obj
    )


def cms_image_rendition(*, name: str):
    """The rendition stored under this file name, with its image (one query), or None. Only
    renditions that exist are found: nothing here makes a new one."""
    rendition_model = get_image_model().get_rendition_model()
    return rendition_model.objects.select_related("image").filter(file=name).first()


def page_view_restriction_passes(*, request, page: Page) -> bool:
    """Wagtail's privacy settings (login/password/group restrictions) on the page or its ancestors
    (or the pages they are aliases of), as Wagtail itself reads them for the page: a course or a
    step asks no query at all while no page has a privacy setting (ViewRestrictionsMixin)."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


@dataclass(frozen=True)
class OutlineEntry:
    """One step in a learner's outline: plain values, so a long course builds no page objects."""

    id: int
    title: str
    url: str
    position: int
    status: StepStatus
    is_current: bool


@dataclass(frozen=True)
class LearnerCourseView:
    course: CoursePage
    outline: list[OutlineEntry]
    progress: CourseProgress | None
    steps_done: int
    steps_total: int
    percent: int
    resume: OutlineEntry | None
    current: OutlineEntry | None
    previous: OutlineEntry | None
    next: OutlineEntry | None
    course_url: str = ""  # the course's address, as the outline's step addresses are made from it

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None


def learner_course_view(
    *, user, course: CoursePage, request=None, current_step: Page | None = None
) -> LearnerCourseView:
    """Outline with each step's status for this learner, their stored progress, and neighbours.
    One query for this learner's completions and progress row; the outline itself is cached."""
    rows = course_outline_rows(course=course)
    step_ids = [row[0] for row in rows]
    completed: set[int] = set()
    progress = None
    if user.is_authenticated:
        progress, completed = learner_progress_and_completions(user=user, course=course)
    statuses = step_statuses(step_ids, completed, sequential=course.sequential)
    current_id = current_step.id if current_step is not None else None
    step_url, course_url = _step_url_maker(course=course, request=request)
    outline = [
        OutlineEntry(
            id=step_id,
            title=title,
            url=step_url(url_path),
            position=index,
            status=statuses[step_id],
            is_current=step_id == current_id,
        )
        for index, (step_id, title, url_path) in enumerate(rows, start=1)
    ]
    figures = progress_figures(step_ids, completed)
    by_id = {entry.id: entry for entry in outline}
    current_index = step_ids.index(current_id) if current_id in by_id else None
    return LearnerCourseView(
        course=course,
        outline=outline,
        progress=progress,
        steps_done=progress.steps_done if progress is not None else figures.steps_done,
        steps_total=progress.steps_total if progress is not None else figures.steps_total,
        percent=progress.percent if progress is not None else figures.percent,
        resume=by_id.get(figures.resume_step_id) if figures.resume_step_id else None,
        current=by_id.get(current_id),
        previous=outline[current_index - 1] if current_index else None,
        next=outline[current_index + 1] if current_index is not None and current_index + 1 < len(outline) else None,
        course_url=course_url,
    )


def _learner_progress_part(*, user: str, course: str) -> tuple[str, str, ModelReader]:
    """A learner's progress row in a course and the ids of the steps they completed in it, as part
    of a query: its select list (the row's CourseProgress columns, then the ids as one column:
    config.rawsql.id_list_column) and the LEFT JOIN that finds the row (none before they start).
    user, course: the SQL of their ids (a parameter, or a column of the query). Read the part
    back with _learner_progress."""
    quote = connection.ops.quote_name
    progress, completion = CourseProgress._meta, StepCompletion._meta
    reader = ModelReader(CourseProgress, aliases={CourseProgress: "p"})
    completed = id_list_column(
        f"s.{quote(completion.get_field('step').column)}",
        f"FROM {quote(completion.db_table)} s WHERE s.{quote(completion.get_field('user').column)} = {user}"  # noqa: S608 (names from _meta)
        f" AND s.{quote(completion.get_field('course').column)} = {course}",
    )
    row = (
        f"{quote(progress.db_table)} p WHERE p.{quote(progress.get_field('user').column)} = {user}"
        f" AND p.{quote(progress.get_field('course').column)} = {course}"
    )
    if connection.vendor == "postgresql":
        # A fenced subquery (OFFSET 0 keeps it from being merged into the outer query) is planned
        # on its own: joined plainly, the row made PostgreSQL plan the lesson's five tables
        # together, which cost it more CPU than running the query (issue 17).
        join = f" LEFT JOIN LATERAL (SELECT * FROM {row} OFFSET 0) p ON TRUE"  # noqa: S608 (names from _meta)
    else:  # SQLite has no LATERAL
        join = f" LEFT JOIN {row.replace(' WHERE ', ' ON ', 1)}"
    return f"{reader.columns}, {completed}", join, reader


def _learner_progress(row, start: int, reader: ModelReader) -> tuple[CourseProgress | None, set[int]]:
    progress = reader.build(row, start) if row[start] is not None else None
    return progress, set(ids_from_column(row[start + reader.width]))


@cache_function
def _progress_and_completions_query() -> tuple[str, ModelReader]:
    """Built once per process: the names come from the models' _meta; the values are parameters."""
    quote = connection.ops.quote_name
    user = get_user_model()._meta
    user_id = f"u.{quote(user.pk.column)}"
    columns, join, reader = _learner_progress_part(user=user_id, course="%(course)s")
    sql = f"SELECT {columns} FROM {quote(user.db_table)} u{join} WHERE {user_id} = %(user)s"  # noqa: S608 (names from _meta)
    return sql, reader


def learner_progress_and_completions(*, user, course: CoursePage) -> tuple[CourseProgress | None, set[int]]:
    """This learner's progress row in the course and the ids of the steps they completed in it, in
    one query instead of two (every step page asks): the learner's own user row, left-joined to the
    progress row, with the completed steps' ids. A lesson page has them already: they came with
    its course when it was routed (live_lesson_by_url_path), read for the same learner.
    Plain SQL (config.rawsql): the ORM's compiling of this join cost more CPU than the two queries."""
    routed = course.__dict__.get("routed_learner_progress")
    if routed is not None and routed[0] == user.pk:
        return routed[1], routed[2]
    sql, reader = _progress_and_completions_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"course": course.pk, "user": user.pk})
        row = cursor.fetchone()
    return _learner_progress(row, 0, reader) if row is not None else (None, set())


def _course_url(*, course: CoursePage, request) -> str:
    """The course's URL as Wagtail's get_url(request) gives it. Below the request's own site root
    (always so for a page routed through it) that is the serving view's address of the rest of
    the path, with no lookup of every site's root paths (a cache read per request)."""
    site = Site.find_for_request(request) if request is not None else None  # cached on the request
    root_path = site.root_page.url_path if site is not None else None
    if root_path and course.url_path.startswith(root_path) and not settings.WAGTAIL_I18N_ENABLED:
        # The same for everyone: reversed once per process, language and script prefix.
        url = fixed_url("wagtail_serve", course.url_path[len(root_path) :])
        return url if getattr(settings, "WAGTAIL_APPEND_SLASH", True) or url == "/" else url.rstrip("/")
    return course.get_url(request) or ""


def _step_url_maker(*, course: CoursePage, request):
    """A step's URL from its url_path: the course's URL plus the step's own slug segment. One
    get_url() call for the whole outline instead of a site-root lookup per step. Returns the
    maker and the course's URL."""
    course_url = _course_url(course=course, request=request)
    course_path_length = len(course.url_path)

    def step_url(url_path: str) -> str:
        return course_url + url_path[course_path_length:] if course_url else ""

    return step_url, course_url


def _final_exam_exists() -> Exists:
    """Whether the course (the outer row) has a live final-exam step."""
    return Exists(
        QuizStepPage.objects.live().filter(
            kind=QuizStepPage.Kind.FINAL_EXAM, path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
        )
    )


def course_has_final_exam(*, course: CoursePage) -> bool:
    """Read from the `has_final_exam` annotation when the course has it (the catalogue), else one query."""
    annotated = getattr(course, "has_final_exam", None)
    if annotated is not None:
        return annotated
    return QuizStepPage.objects.live().child_of(course).filter(kind=QuizStepPage.Kind.FINAL_EXAM).exists()


def catalogue_courses(
    *,
    catalogue: CourseIndexPage,
    user,
    topic: str = "",
    level: str = "",
    query: str = "",
    request=None,
    match: CatalogueMatch | None = None,
) -> QuerySet[CoursePage] | FoundCourses:
    """Live courses of the catalogue, filtered, each annotated with this learner's percent and
    whether it has a final exam (for the hours it offers).

    With a query: the courses found by the search backend (Chinese segmented, search.backend) in
    their own title, summary, objectives, audience or pinyin initials, or in one of their live steps,
    that this learner may open, ranked (a hit in the course's own fields above one only in a step;
    title above body within each), as a FoundCourses sequence: the filters and access are checked on
    the light rows ``catalogue_match`` read (no model instance per course found), and only the slice
    asked for (one page of results) is loaded in full (``course_cards``). ``match`` is the backend's
    answer when the caller already has it (``catalogue_match``); ``catalogue_search_hits`` gives the
    matching steps."""
    if not query.strip():
        courses = CoursePage.objects.live().child_of(catalogue)
        if topic:
            courses = courses.filter(topic=topic)
        if level:
            courses = courses.filter(level=level)
        full = courses.select_related("cover_image").annotate(has_final_exam=_final_exam_exists()).order_by("path")
        if user.is_authenticated:
            mine = CourseProgress.objects.filter(user=user, course=OuterRef("pk"))
            full = full.annotate(
                my_percent=Subquery(mine.values("percent")[:1]),
                my_completed_at=Subquery(mine.values("completed_at")[:1]),
            )
        return full
    match = match or catalogue_match(catalogue=catalogue, query=query)
    rows = [
        match.courses[course_id]
        for course_id in match.course_ids
        if (not topic or match.courses[course_id].topic == topic)
        and (not level or match.courses[course_id].level == level)
    ]
    return FoundCourses(
        _open_course_ids(catalogue=catalogue, user=user, request=request, rows=rows),
        lambda course_ids: course_cards(course_ids=course_ids, user=user),
    )


@cache_function
def _course_cards_query() -> tuple[str, ModelReader, ModelReader, ModelReader]:
    """The courses of one page of search results with what their cards show: the course, its
    cover image, whether it has a live final exam, the learner's progress row. Plain SQL built
    once per process (names from _meta, values as parameters; config.rawsql): compiling the ORM's
    version (a join, an EXISTS and two subqueries) cost a search page more CPU than running it.
    The caller fills in {ids}: a placeholder per id."""
    quote = connection.ops.quote_name
    image_model = get_image_model()
    page, course, quiz, progress = Page._meta, CoursePage._meta, QuizStepPage._meta, CourseProgress._meta
    course_reader = ModelReader(CoursePage, aliases={Page: "cp", CoursePage: "c"})
    image_reader = ModelReader(image_model, aliases={image_model: "i"})
    progress_reader = ModelReader(CourseProgress, aliases={CourseProgress: "pr"}, fields=("percent", "completed_at"))
    page_id, path, depth, live = (quote(page.get_field(name).column) for name in ("id", "path", "depth", "live"))
    sql = (
        f"SELECT {course_reader.columns}, {image_reader.columns}, {progress_reader.columns},"  # noqa: S608 (names from _meta)
        # What _final_exam_exists() asks: a live final-exam step right below the course.
        f" EXISTS (SELECT 1 FROM {quote(page.db_table)} qp"
        f" JOIN {quote(quiz.db_table)} q ON q.{quote(quiz.pk.column)} = qp.{page_id}"
        f" WHERE qp.{live} = %s AND q.{quote(quiz.get_field('kind').column)} = %s"
        f" AND qp.{depth} = cp.{depth} + 1 AND SUBSTR(qp.{path}, 1, LENGTH(cp.{path})) = cp.{path})"
        f" FROM {quote(page.db_table)} cp"
        f" JOIN {quote(course.db_table)} c ON c.{quote(course.pk.column)} = cp.{page_id}"
        f" LEFT JOIN {quote(image_model._meta.db_table)} i"
        f" ON i.{quote(image_model._meta.pk.column)} = c.{quote(course.get_field('cover_image').column)}"
        f" LEFT JOIN {quote(progress.db_table)} pr ON pr.{quote(progress.get_field('course').column)} = cp.{page_id}"
        f" AND pr.{quote(progress.get_field('user').column)} = %s"
        f" WHERE cp.{live} = %s AND cp.{page_id} IN ({{ids}})"
    )
    return sql, course_reader, image_reader, progress_reader


def course_cards(*, course_ids: list[int], user) -> list[CoursePage]:
    """The live courses with these ids, in this order, as the catalogue's cards read them: the
    cover image attached, ``has_final_exam``, and this learner's ``my_percent`` and
    ``my_completed_at`` (None without a progress row), as catalogue_courses annotates them when
    browsing. One query."""
    if not course_ids:
        return []
    sql, course_reader, image_reader, progress_reader = _course_cards_query()
    user_id = user.pk if user.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(ids=", ".join(["%s"] * len(course_ids))),
            [True, QuizStepPage.Kind.FINAL_EXAM.value, user_id, True, *course_ids],
        )
        rows = cursor.fetchall()
    cover = CoursePage._meta.get_field("cover_image")
    found = {}
    for row in rows:
        course = course_reader.build(row)
        image_start = course_reader.width
        cover.set_cached_value(
            course, image_reader.build(row, image_start) if course.cover_image_id is not None else None
        )
        progress = progress_reader.values(row, image_start + image_reader.width)
        course.my_percent = progress["percent"]  # None without a progress row (a LEFT JOIN)
        course.my_completed_at = progress["completed_at"]
        course.has_final_exam = bool(row[-1])  # SQLite gives 0 or 1
        found[course.pk] = course
    return [found[course_id] for course_id in course_ids if course_id in found]


def _open_course_ids(*, catalogue: CourseIndexPage, user, request, rows: list[CourseRow]) -> list[int]:
    """Ids of the courses (light rows, kept in order) this user may open: what course_denial_reason
    decides for each (signed in, live, department) and Wagtail's privacy settings. At most two
    queries, whatever the number of rows: the departments of the restricted ones, and the privacy
    settings when the site has any."""
    if not user.is_authenticated or not rows:
        return []
    restricted = [row.id for row in rows if row.restricted]
    department_paths: dict[int, list[str]] = defaultdict(list)
    if restricted and not is_city_admin(user):
        for course_id, path in CoursePage.restricted_to_departments.through.objects.filter(
            coursepage_id__in=restricted
        ).values_list("coursepage_id", "department__path"):
            department_paths[course_id].append(path)
    restrictions = _view_restrictions_over(catalogue=catalogue, request=request) if request is not None else []
    return [
        row.id
        for row in rows
        if row.live
        and (not row.restricted or _department_allows(user=user, restricted_paths=department_paths[row.id]))
        and _view_restrictions_pass(restrictions, request=request, path=row.path)
    ]


class FoundCourses(Sequence):
    """Courses found by a search, best first, that the learner may open. Its length costs nothing
    and a slice loads only its own rows (``load(ids)``, one query), so a word found in every
    course still builds one page of cards (a Paginator asks for the length, then one slice)."""

    def __init__(self, course_ids: list[int], load):
        self.course_ids = course_ids
        self._load = load

    def __len__(self) -> int:
        return len(self.course_ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.course_ids[index]
            return self._load(wanted) if wanted else []
        return self[index : index + 1 or None][0]

    def __iter__(self):
        return iter(self[:])

    def __eq__(self, other):
        # Compares as the list of courses it stands for (found == [] when nothing is found).
        return list(self) == list(other) if isinstance(other, list | FoundCourses) else NotImplemented

    __hash__ = None


class CourseRow(NamedTuple):
    """What the search needs of a course to place, filter and admit it: no model instance."""

    id: int
    path: str
    live: bool
    topic: str
    level: str
    restricted: bool  # limited to departments


@dataclass(frozen=True)
class CatalogueMatch:
    """What the search backend found for a query in a catalogue: course ids best first, the
    matching live steps as (id, path), best first, and the light rows of the courses found. Asked
    once per page and shared by the course list and the step snippets."""

    course_ids: list[int]
    step_rows: list[tuple[int, str]]
    courses: dict[int, CourseRow]


@cache_function
def _catalogue_course_rows_sql() -> str:
    """CourseRow of each live course below a catalogue: plain SQL built once per process (names from
    _meta, values as parameters; config.rawsql), as compiling the ORM's version (an annotated
    EXISTS) cost a search more CPU than running it."""
    quote = connection.ops.quote_name
    page, course, through = Page._meta, CoursePage._meta, CoursePage.restricted_to_departments.through._meta
    page_id, path, live = (quote(page.get_field(name).column) for name in ("id", "path", "live"))
    return (
        f"SELECT p.{page_id}, p.{path}, p.{live}, c.{quote(course.get_field('topic').column)},"  # noqa: S608 (names from _meta)
        f" c.{quote(course.get_field('level').column)},"
        f" EXISTS (SELECT 1 FROM {quote(through.db_table)} r"
        f" WHERE r.{quote(through.get_field('coursepage').column)} = p.{page_id})"
        f" FROM {quote(page.db_table)} p JOIN {quote(course.db_table)} c ON c.{quote(course.pk.column)} = p.{page_id}"
        # The catalogue's children: one level below it, under its path (path characters are
        # letters and digits, never a LIKE wildcard).
        f" WHERE p.{live} = %s AND p.{quote(page.get_field('depth').column)} = %s AND p.{path} LIKE %s"
    )


def catalogue_course_rows(*, catalogue: CourseIndexPage) -> list[CourseRow]:
    """The light rows (CourseRow) of the catalogue's live courses: what a search needs to place,
    filter and admit each course found, without a model instance. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_catalogue_course_rows_sql(), [True, catalogue.depth + 1, f"{catalogue.path}%"])
        return [
            CourseRow(course_id, path, bool(live), topic, level, bool(restricted))  # SQLite gives 0 or 1
            for course_id, path, live, topic, level, restricted in cursor.fetchall()
        ]


def catalogue_match(*, catalogue: CourseIndexPage, query: str) -> CatalogueMatch:
    """Courses matched in their own fields (by the backend's rank), then courses matched only
    through a step (by their best step's rank). One search query for courses and steps together
    (the same rank as two apart: each entry is ranked on its own), and one for the light rows of
    the catalogue's live courses when anything matched (values, not model instances)."""
    from search.selectors import ranked_rows

    course_type = ContentType.objects.get_for_model(CoursePage).pk  # cached by Django
    found = ranked_rows(
        Page.objects.live().descendant_of(catalogue).type(CoursePage, LessonPage).search(query),
        "pk",
        "path",
        "content_type_id",
    )
    if not found:
        return CatalogueMatch(course_ids=[], step_rows=[], courses={})
    # One pass over the hits (a common word finds most steps of the catalogue): courses found in
    # their own fields in rank order, the steps, and their courses' paths by best step first.
    ranked: dict[int, None] = {}
    step_rows: list[tuple[int, str]] = []
    step_courses: dict[str, None] = {}
    step = Page.steplen
    for pk, path, content_type in found:
        if content_type == course_type:
            ranked[pk] = None
        else:
            step_rows.append((pk, path))
            step_courses[path[:-step]] = None
    rows = {row.id: row for row in catalogue_course_rows(catalogue=catalogue)}
    by_path = {row.path: row.id for row in rows.values()}
    for path in step_courses:
        course_id = by_path.get(path)
        if course_id is not None:
            ranked.setdefault(course_id)
    course_ids = [course_id for course_id in ranked if course_id in rows]
    return CatalogueMatch(
        course_ids=course_ids, step_rows=step_rows, courses={course_id: rows[course_id] for course_id in course_ids}
    )


# Steps shown under each course found, and courses whose steps are listed (the rest show only the card).
SEARCH_STEPS_PER_COURSE = 3
SEARCH_COURSES_WITH_STEPS = 20
SNIPPET_BEFORE, SNIPPET_AFTER = 20, 60


@dataclass(frozen=True)
class StepHit:
    """A step whose text matched: its snippet as (text, matched) parts; a locked step of a
    sequential course is named only (no URL, no snippet)."""

    title: str
    url: str | None
    parts: list[tuple[str, bool]]
    locked: bool

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _matched in self.parts)


def _view_restrictions_over(*, catalogue: CourseIndexPage, request=None) -> list[PageViewRestriction]:
    """Wagtail's privacy settings on the catalogue, its ancestors and every page below it (one query,
    none while the site has no privacy setting at all), so that each search result is checked
    without a query of its own. Read once per request: the course list and the snippets share it."""
    memo = getattr(request, "_catalogue_view_restrictions", None)
    if memo is not None and memo[0] == catalogue.pk:
        return memo[1]
    if not any_view_restriction_exists():
        restrictions = []
    else:
        ancestor_paths = [catalogue.path[:end] for end in range(Page.steplen, len(catalogue.path) + 1, Page.steplen)]
        restrictions = list(
            PageViewRestriction.objects.filter(
                Q(page__path__in=ancestor_paths) | Q(page__path__startswith=catalogue.path)
            )
            .select_related("page")
            .prefetch_related("groups")
        )
    if request is not None:
        request._catalogue_view_restrictions = (catalogue.pk, restrictions)
    return restrictions


def _view_restrictions_pass(restrictions: list[PageViewRestriction], *, request, path: str) -> bool:
    return all(
        restriction.accept_request(request) for restriction in restrictions if path.startswith(restriction.page.path)
    )


class _StepRow(NamedTuple):
    id: int
    path: str
    title: str
    intro: str
    body: str  # the stored JSON as text: parsed only when its plain text is not cached


@cache_function
def _step_rows_sql() -> str:
    """The snippet columns of given lessons (their body as its stored JSON text), in outline
    order; the caller fills in {ids}: a placeholder per id. Plain SQL built once per process (names from
    _meta; config.rawsql)."""
    quote = connection.ops.quote_name
    page, lesson = Page._meta, LessonPage._meta
    page_id, path = quote(page.pk.column), quote(page.get_field("path").column)
    return (
        f"SELECT p.{page_id}, p.{path}, p.{quote(page.get_field('title').column)},"  # noqa: S608 (names from _meta)
        f" l.{quote(lesson.get_field('intro').column)}, CAST(l.{quote(lesson.get_field('body').column)} AS TEXT)"
        f" FROM {quote(page.db_table)} p JOIN {quote(lesson.db_table)} l ON l.{quote(lesson.pk.column)} = p.{page_id}"
        f" WHERE p.{page_id} IN ({{ids}}) ORDER BY p.{path}"
    )


def _step_rows(*, lesson_ids: list[int]) -> list[_StepRow]:
    if not lesson_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_step_rows_sql().format(ids=", ".join(["%s"] * len(lesson_ids))), lesson_ids)
        return [_StepRow(*row) for row in cursor.fetchall()]


@cache_function
def _completed_steps_sql() -> str:
    quote = connection.ops.quote_name
    completion = StepCompletion._meta
    course_id = quote(completion.get_field("course").column)
    return (
        f"SELECT {course_id}, {quote(completion.get_field('step').column)} FROM {quote(completion.db_table)}"  # noqa: S608 (names from _meta)
        f" WHERE {quote(completion.get_field('user').column)} = %s AND {course_id} IN ({{ids}})"
    )


def _completed_steps(*, user_id: int, course_ids: list[int]) -> list[tuple[int, int]]:
    """(course id, step id) of the steps this learner completed in these courses. One query in
    plain SQL built once per process (the ORM's compiling of it cost more CPU than running it)."""
    with connection.cursor() as cursor:
        cursor.execute(_completed_steps_sql().format(ids=", ".join(["%s"] * len(course_ids))), [user_id, *course_ids])
        return cursor.fetchall()


def catalogue_search_hits(
    *,
    catalogue: CourseIndexPage,
    courses: list[CoursePage],
    user,
    request,
    query: str,
    match: CatalogueMatch | None = None,
) -> dict[int, list[StepHit]]:
    """For each course found (the first SEARCH_COURSES_WITH_STEPS), its live steps whose title or
    text matched, in outline order, with a short snippet around the first matched word. The steps
    are read as rows of the columns a snippet needs, the outlines from the cache in one call."""
    from search.segment import segment_query

    if not courses or not query.strip():
        return {}
    words = [word for word in {*segment_query(query).split(), *query.split()} if word]
    courses = courses[:SEARCH_COURSES_WITH_STEPS]
    found = (match or catalogue_match(catalogue=catalogue, query=query)).step_rows
    course_id_by_path = {course.path: course.pk for course in courses}
    step = Page.steplen
    # A common word finds most steps of the catalogue: only the shown courses' are sorted.
    shown = sorted((path, lesson_id) for lesson_id, path in found if path[:-step] in course_id_by_path)
    wanted: dict[int, list[int]] = defaultdict(list)
    for path, lesson_id in shown:
        ids = wanted[course_id_by_path[path[:-step]]]
        if len(ids) < SEARCH_STEPS_PER_COURSE:
            ids.append(lesson_id)
    by_course: dict[int, list[_StepRow]] = defaultdict(list)
    for lesson in _step_rows(lesson_ids=[pk for ids in wanted.values() for pk in ids]):
        by_course[course_id_by_path[lesson.path[:-step]]].append(lesson)
    restrictions = _view_restrictions_over(catalogue=catalogue, request=request) if by_course else []
    hits: dict[int, list[StepHit]] = {}
    # The learner's completions in these courses, in one query (the outlines come from the cache).
    completed: dict[int, set[int]] = defaultdict(set)
    if user.is_authenticated and by_course:
        for course_id, step_id in _completed_steps(user_id=user.pk, course_ids=list(by_course)):
            completed[course_id].add(step_id)
    outlines = course_outline_rows_many(courses=[course for course in courses if course.pk in by_course])
    for course in courses:
        lessons = by_course.get(course.pk)
        if not lessons:
            continue
        outline = outlines[course.pk]
        statuses = step_statuses([row[0] for row in outline], completed[course.pk], sequential=course.sequential)
        url_paths = {step_id: url_path for step_id, _title, url_path in outline}
        step_url, _course_url = _step_url_maker(course=course, request=request)
        hits[course.pk] = []
        for lesson in lessons:
            if lesson.id not in url_paths or not _view_restrictions_pass(
                restrictions, request=request, path=lesson.path
            ):
                continue
            locked = statuses[lesson.id] == StepStatus.LOCKED
            hits[course.pk].append(
                StepHit(
                    title=lesson.title,
                    url=None if locked else step_url(url_paths[lesson.id]),
                    parts=[] if locked else snippet_parts(_lesson_text(lesson.intro, lesson.body), words),
                    locked=locked,
                )
            )
    return hits


@lru_cache(maxsize=1024)
def _lesson_text(intro: str, body_json: str) -> str:
    """A step's plain text, for its snippet. Keyed by the stored text itself, so an edited step is
    simply another key (nothing to invalidate); cached per process because reading the blocks'
    text (rich text parsed as HTML) cost more than the rest of a search page's snippets."""
    body = LessonPage._meta.get_field("body").to_python(json.loads(body_json) if body_json else [])
    content = body.stream_block.get_searchable_content(body)
    return " ".join(html.unescape(strip_tags(str(text))) for text in [intro, *content] if text)


def snippet_parts(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """A short window of ``text`` around its first matched word, as (text, matched) parts; the
    template escapes each part and marks the matched ones."""
    from search.segment import highlight_spans

    text = " ".join(text.split())
    spans = highlight_spans(text, words)
    if not spans:
        return [(text[: SNIPPET_BEFORE + SNIPPET_AFTER], False)] if text else []
    start = max(0, spans[0][0] - SNIPPET_BEFORE)
    end = min(len(text), spans[0][0] + SNIPPET_AFTER)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    position = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        if span_start < position:
            continue
        parts.append((text[position:span_start], False))
        parts.append((text[span_start:span_end], True))
        position = span_end
    parts.append((text[position:end], False))
    if end < len(text):
        parts.append(("…", False))
    return [part for part in parts if part[0]]


def catalogue_suggested_topics() -> list[tuple[str, str]]:
    """Topics to suggest when a search finds nothing: (value, label) of each topic."""
    return list(Topic.choices)


def learner_progress_rows(*, user) -> QuerySet[CourseProgress]:
    """The learner's courses, most recently active first (one query). "Active" is the stored
    CourseProgress.last_activity_at: the latest of starting the course, completing a step, opening
    an attempt at one of its quizzes and submitting one (passed or not); see courses.services and
    courses.receivers, which keep it in the transaction of each event."""
    return (
        CourseProgress.objects.filter(user=user)
        .select_related("course", "resume_step")
        .order_by("-last_activity_at", "-pk")
    )


def learner_resume_row(*, user) -> CourseProgress | None:
    """The course to "continue where you left off": the most recently active one the learner has not
    completed and can still open (live), or None when every started course is done. One query,
    served by the (user, -last_activity_at) index whatever the number of rows."""
    return learner_progress_rows(user=user).filter(completed_at__isnull=True, course__live=True).first()


class QuizStanding(NamedTuple):
    """A learner's standing in a course's quizzes, from their graded attempts."""

    best_percent: Decimal | None  # the best current grade, in percent
    attempts: int  # graded attempts
    last_submitted_at: datetime | None
    makeup_passed: bool  # a make-up attempt (补考) passes by its current grade


NO_QUIZ_STANDING = QuizStanding(best_percent=None, attempts=0, last_submitted_at=None, makeup_passed=False)


def quiz_standing_by_learner(*, course: CoursePage, user_id: int | None = None) -> dict[int, QuizStanding]:
    """{learner id: QuizStanding} over the course's live quiz steps, for the learners with a graded
    attempt (NO_QUIZ_STANDING for the others). An attempt counts by its current grade, its latest
    AttemptGrade (a regrade or override replaces the first, and can turn a make-up attempt either
    way). One query; for one learner when user_id is given. The one home of these rules: the stored
    CourseProgress figures, their recompute and records_verify all read them here."""
    from django.db.models import Count, Max

    from quizzes.models import Attempt
    from quizzes.selectors import current_grade_of

    from .models import QuizStepPage

    quiz_ids = QuizStepPage.objects.live().child_of(course).values("quiz_id")
    attempts = Attempt.objects.filter(status=Attempt.Status.GRADED, quiz_id__in=quiz_ids)
    if user_id is not None:
        attempts = attempts.filter(user_id=user_id)
    rows = attempts.annotate(
        current_percent=Subquery(current_grade_of().values("percent")[:1]),
        current_passed=Subquery(current_grade_of().values("passed")[:1]),
    ).values("user_id")
    rows = rows.annotate(
        best=Max("current_percent"),
        attempts=Count("id"),
        submitted=Max("submitted_at"),
        makeup_passes=Count("id", filter=Q(is_makeup=True, current_passed=True)),
    )
    return {
        row["user_id"]: QuizStanding(row["best"], row["attempts"], row["submitted"], row["makeup_passes"] > 0)
        for row in rows
    }


# A person's own rows, for their data archive (privacy): {kind: (columns, rows as dicts)}.
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    enrolment_columns = ("course_id", "course__title", "enrolled_at")
    completion_columns = ("course_id", "course__title", "step_id", "step__title", "completed_at")
    progress_columns = (
        "course_id",
        "course__title",
        "steps_done",
        "steps_total",
        "percent",
        "started_at",
        "completed_at",
        "last_activity_at",
        "best_score_percent",
        "quiz_attempts",
        "makeup_passed",
    )
    return {
        "enrolments": (
            enrolment_columns,
            list(Enrolment.objects.filter(user=user).order_by("enrolled_at", "pk").values(*enrolment_columns)),
        ),
        "step_completions": (
            completion_columns,
            list(StepCompletion.objects.filter(user=user).order_by("completed_at", "pk").values(*completion_columns)),
        ),
        "course_progress": (
            progress_columns,
            list(CourseProgress.objects.filter(user=user).order_by("started_at", "pk").values(*progress_columns)),
        ),
    }
