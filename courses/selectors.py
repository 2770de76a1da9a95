"""Reads for courses and learner progress: a fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from wagtail.models import Page, PageViewRestriction

from .models import CourseIndexPage, CoursePage, CourseProgress, LessonPage, StepCompletion
from .progress import StepStatus, progress_figures, step_statuses


def live_step_ids(*, course: CoursePage) -> list[int]:
    """Ids of the course's live steps in outline order (one query)."""
    return list(Page.objects.child_of(course).live().order_by("path").values_list("id", flat=True))


def course_for_step(*, step: Page) -> CoursePage | None:
    parent = step.get_parent()  # cached on the page when Wagtail routed to it
    parent = parent.specific if parent is not None else None
    return parent if isinstance(parent, CoursePage) else None


def _department_restriction_exists(course_ref) -> Exists:
    return Exists(CoursePage.restricted_to_departments.through.objects.filter(coursepage_id=course_ref))


def live_lesson_by_url_path(*, url_path: str) -> LessonPage | None:
    """The live lesson at this URL path with its course attached as its parent: two queries,
    where Wagtail's level-by-level routing takes two per level. Lessons are the hot path."""
    lesson = LessonPage.objects.filter(url_path=url_path, live=True).first()
    if lesson is None:
        return None
    course = (
        CoursePage.objects.filter(path=lesson.path[: -Page.steplen])
        .annotate(has_department_restriction=_department_restriction_exists(OuterRef("pk")))
        .first()
    )
    if course is None:
        return None
    lesson._cached_parent_obj = course  # treebeard's get_parent() returns it without a query
    return lesson


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
    if restricted_paths and not (user.is_city_admin or user.is_superuser):
        department = user.department
        if department is None or not any(department.path.startswith(path) for path in restricted_paths):
            return "department"
    return None


def page_view_restriction_passes(*, request, page: Page) -> bool:
    """Wagtail's privacy settings (login/password/group restrictions) on the page or its ancestors."""
    restrictions = PageViewRestriction.objects.filter(page__in=page.get_ancestors(inclusive=True))
    return all(restriction.accept_request(request) for restriction in restrictions)


@dataclass(frozen=True)
class OutlineEntry:
    page: Page
    position: int
    status: StepStatus
    is_current: bool

    @property
    def id(self) -> int:
        return self.page.id


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
    Two queries: the live steps with this learner's completion flag, and the progress row."""
    steps = Page.objects.child_of(course).live().order_by("path")
    progress = None
    if user.is_authenticated:
        steps = steps.annotate(done_by_learner=Exists(StepCompletion.objects.filter(user=user, step_id=OuterRef("pk"))))
        progress = CourseProgress.objects.filter(user=user, course=course).first()
    pages = list(steps)
    step_ids = [page.id for page in pages]
    completed = {page.id for page in pages if getattr(page, "done_by_learner", False)}
    statuses = step_statuses(step_ids, completed, sequential=course.sequential)
    current_id = current_step.id if current_step is not None else None
    outline = [
        OutlineEntry(page=page, position=index, status=statuses[page.id], is_current=page.id == current_id)
        for index, page in enumerate(pages, start=1)
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
    )


def catalogue_courses(
    *, catalogue: CourseIndexPage, user, topic: str = "", level: str = "", query: str = ""
) -> QuerySet[CoursePage]:
    """Live courses of the catalogue, filtered, each annotated with this learner's percent.

    Search is substring matching over title, summary, objectives and audience: Wagtail's database
    backend splits on whitespace, which finds nothing inside a Chinese sentence."""
    courses = CoursePage.objects.live().child_of(catalogue).select_related("cover_image").order_by("path")
    if topic:
        courses = courses.filter(topic=topic)
    if level:
        courses = courses.filter(level=level)
    for word in query.split():
        courses = courses.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(objectives__icontains=word)
            | Q(audience__icontains=word)
        )
    if user.is_authenticated:
        mine = CourseProgress.objects.filter(user=user, course=OuterRef("pk"))
        courses = courses.annotate(
            my_percent=Subquery(mine.values("percent")[:1]), my_completed_at=Subquery(mine.values("completed_at")[:1])
        )
    return courses


def learner_progress_rows(*, user) -> QuerySet[CourseProgress]:
    """The learner's courses, most recently active first (one query)."""
    return (
        CourseProgress.objects.filter(user=user).select_related("course", "resume_step").order_by("-last_activity_at")
    )


def learner_resume_row(*, user) -> CourseProgress | None:
    """The unfinished course the learner touched last: "continue where you left off"."""
    return learner_progress_rows(user=user).filter(completed_at__isnull=True).first()
