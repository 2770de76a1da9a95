"""Reads for the department reports. Every function takes a Scope (accounts.scope) and returns only
rows inside it. Overview figures are sums of the stored DepartmentCourseSummary rows; nothing here
reads quiz attempts or step completions except the one-person learner drill-down. Each function
runs a fixed number of queries whatever the number of learners."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.models import Page

from accounts.scope import Scope, Unit, unit_member_filter
from courses.models import CoursePage, CourseProgress, StepCompletion
from departments.models import Department
from quizzes.models import Attempt
from quizzes.selectors import current_grade_of
from studytime.selectors import verified_minutes_by_course, verified_minutes_of_people

from .models import DepartmentCourseSummary, DepartmentMonthlyCompletions

User = get_user_model()

MONTHS_SHOWN = 12
PAGE_SIZE = 50


@dataclass
class Figures:
    """Counts for a course or a unit. assigned: every course is open to every active member, so
    assigned = members (× courses for a unit); overdue: people past the due date of a course
    required of them (assignments.LearnerAssignment)."""

    assigned: int = 0
    started: int = 0
    completed: int = 0
    score_sum: Decimal = Decimal("0")
    score_count: int = 0
    overdue: int = 0
    makeup_passed: int = 0  # learners who passed in a make-up sitting (补考)

    @property
    def completion_rate(self) -> Decimal | None:
        if not self.assigned:
            return None
        return (Decimal(self.completed) * 100 / self.assigned).quantize(Decimal("0.1"))

    @property
    def average_score(self) -> Decimal | None:
        if not self.score_count:
            return None
        return (Decimal(self.score_sum) / self.score_count).quantize(Decimal("0.1"))


@dataclass
class CourseRow:
    course_id: int
    title: str
    figures: Figures


@dataclass
class UnitRow:
    department: Department
    members: int
    figures: Figures
    direct: bool = False  # the unit's own members, not a sub-unit

    @property
    def label(self) -> str:
        if self.direct:
            return _("%(unit)s (direct members)") % {"unit": self.department.display_name}
        return self.department.display_name


@dataclass
class MonthPoint:
    month: datetime.date
    completed: int


@dataclass
class Overview:
    unit: Unit
    members: int
    courses: list[CourseRow]
    units: list[UnitRow]
    months: list[MonthPoint]
    course_id: int | None = None
    course_choices: list[tuple[int, str]] = field(default_factory=list)


SUMS = {
    "started": Coalesce(Sum("started"), 0),
    "completed": Coalesce(Sum("completed"), 0),
    "score_sum": Coalesce(Sum("score_sum"), Decimal("0")),
    "score_count": Coalesce(Sum("score_count"), 0),
    "overdue": Coalesce(Sum("overdue"), 0),
    "makeup_passed": Coalesce(Sum("makeup_passed"), 0),
}


def live_courses() -> list[tuple[int, str]]:
    """(id, title) of the live courses in catalogue order: one query."""
    return list(CoursePage.objects.live().order_by("path").values_list("id", "title"))


def course_in_reports_or_404(course_id) -> CoursePage:
    course = CoursePage.objects.live().filter(pk=course_id).first() if str(course_id).isdigit() else None
    if course is None:
        raise Http404(_("No such course."))
    return course


def _summaries(unit: Unit) -> QuerySet[DepartmentCourseSummary]:
    rows = DepartmentCourseSummary.objects.all()
    if unit.department is not None:
        rows = rows.filter(department__path__startswith=unit.path)
    return rows


def _group_key(unit: Unit, field_name: str) -> Substr:
    """The path of the direct sub-unit (or the unit itself) a row's department lies in."""
    return Substr(field_name, 1, len(unit.path) + Department.steplen)


def _month_start(today: datetime.date, months_back: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def department_overview(*, scope: Scope, unit: Unit, course_id: int | None = None) -> Overview:
    """Per course and per direct sub-unit (subtree totals) for a unit inside the scope; six queries."""
    if not scope.contains(unit.department):
        raise Http404(_("No such department."))
    courses = live_courses()
    course_ids = [pk for pk, _title in courses]
    selected = None
    if course_id is not None:
        if course_id not in course_ids:
            raise Http404(_("No such course."))
        selected = course_id
    # The whole city opens on its departments. The tree usually has a single root (the city
    # itself), whose one row would say nothing: then group by the root's children, as if the
    # root unit had been chosen. The top two levels are one small query.
    top_levels = (
        list(Department.objects.current().filter(depth__lte=2).order_by("path")) if unit.department is None else []
    )
    roots = [department for department in top_levels if department.depth == 1]
    grouping = Unit(department=roots[0]) if len(roots) == 1 else unit
    members_by_group = dict(
        User.objects.filter(unit_member_filter(unit), is_active=True)
        .annotate(group=_group_key(grouping, "department__path"))
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    members = sum(members_by_group.values())
    summaries = _summaries(unit).filter(course_id__in=[selected] if selected else course_ids)
    per_course = {row["course_id"]: row for row in summaries.values("course_id").annotate(**SUMS)}
    per_group = {
        row["group"]: row
        for row in summaries.annotate(group=_group_key(grouping, "department__path"))
        .values("group")
        .annotate(**SUMS)
        .order_by()
    }
    if unit.department is not None:
        children = list(
            Department.objects.current().filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
        )
    else:
        children = [department for department in top_levels if department.depth == grouping.depth + 1]
    months_start = _month_start(timezone.localdate(), MONTHS_SHOWN - 1)
    monthly_rows = DepartmentMonthlyCompletions.objects.filter(month__gte=months_start)
    if unit.department is not None:
        monthly_rows = monthly_rows.filter(department__path__startswith=unit.path)
    monthly_rows = monthly_rows.filter(course_id__in=[selected] if selected else course_ids)
    per_month = dict(monthly_rows.values("month").annotate(n=Sum("completed")).values_list("month", "n"))

    def figures(row: dict | None, assigned: int) -> Figures:
        row = row or {}
        return Figures(
            assigned=assigned,
            started=row.get("started", 0),
            completed=row.get("completed", 0),
            score_sum=row.get("score_sum", Decimal("0")),
            score_count=row.get("score_count", 0),
            overdue=row.get("overdue", 0),
            makeup_passed=row.get("makeup_passed", 0),
        )

    shown_courses = [(pk, title) for pk, title in courses if selected in (None, pk)]
    per_unit_courses = len(shown_courses)
    units = []
    top = grouping.department
    if top is not None and (members_by_group.get(top.path) or per_group.get(top.path)):
        direct = members_by_group.get(top.path, 0)
        units.append(UnitRow(top, direct, figures(per_group.get(top.path), direct * per_unit_courses), True))
    for child in children:
        child_members = members_by_group.get(child.path, 0)
        units.append(
            UnitRow(child, child_members, figures(per_group.get(child.path), child_members * per_unit_courses))
        )
    return Overview(
        unit=unit,
        members=members,
        courses=[CourseRow(pk, title, figures(per_course.get(pk), members)) for pk, title in shown_courses],
        units=units,
        months=[
            MonthPoint(month, per_month.get(month, 0))
            for month in (_month_start(months_start, -offset) for offset in range(MONTHS_SHOWN))
        ],
        course_id=selected,
        course_choices=courses,
    )


# ---------------------------------------------------------------------------- course drill-down


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CHOICES = [
        (NOT_STARTED, pgettext_lazy("course progress", "Not started")),
        (IN_PROGRESS, pgettext_lazy("course progress", "In progress")),
        (COMPLETED, gettext_lazy("Completed")),
    ]
    LABELS = dict(CHOICES)


# ?sort= values accepted; anything else is ignored. "-" in front sorts descending.
SORTS = {
    "name": ("display_name", "username"),
    "department": ("department__path",),
    "status": ("status_rank",),
    "percent": ("p_percent",),
    "score": ("p_best_score",),
    "attempts": ("p_attempts",),
    "activity": ("p_last_activity",),
}
DEFAULT_SORT = "name"


def clean_sort(raw: str | None) -> str:
    raw = raw or ""
    return raw if raw.lstrip("-") in SORTS and raw.count("-") <= 1 else DEFAULT_SORT


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")]
    ordering = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_first=True) for name in fields]
    return [*ordering, "pk"]


LEARNER_COLUMNS = (
    "pk",
    "username",
    "display_name",
    "employee_id",
    "department__name",
    "department__name_en",
    "p_percent",
    "p_best_score",
    "p_attempts",
    "p_started",
    "p_completed",
    "p_last_activity",
    "status_rank",
)


def course_learners(
    *,
    scope: Scope,
    unit: Unit,
    course: CoursePage,
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet:
    """Active learners of the unit (inside the scope) with their stored progress in the course,
    as dictionaries (LEARNER_COLUMNS). One query per page, plus the paginator's count."""
    from django.db.models import Case, IntegerField, Value, When

    if not scope.contains(unit.department):
        raise Http404(_("No such department."))
    rows = (
        User.objects.filter(unit_member_filter(unit), is_active=True)
        .annotate(p=FilteredRelation("course_progress", condition=Q(course_progress__course_id=course.pk)))
        .annotate(
            p_percent=F("p__percent"),
            p_best_score=F("p__best_score_percent"),
            p_attempts=F("p__quiz_attempts"),
            p_started=F("p__started_at"),
            p_completed=F("p__completed_at"),
            p_last_activity=F("p__last_activity_at"),
            status_rank=Case(
                When(p__id__isnull=True, then=Value(0)),
                When(p__completed_at__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
    )
    if status == Status.NOT_STARTED:
        rows = rows.filter(p__id__isnull=True)
    elif status == Status.IN_PROGRESS:
        rows = rows.filter(p__id__isnull=False, p__completed_at__isnull=True)
    elif status == Status.COMPLETED:
        rows = rows.filter(p__completed_at__isnull=False)
    if date_from:
        rows = rows.filter(p__last_activity_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(p__last_activity_at__date__lte=date_to)
    return rows.order_by(*_ordering(clean_sort(sort))).values(*LEARNER_COLUMNS)


def learners_active_minutes(*, course: CoursePage, rows) -> dict[int, int]:
    """{learner id: verified active minutes on the course} for a page of course_learners rows, one query."""
    ids = [row["pk"] for row in rows]
    return verified_minutes_of_people(course_id=course.pk, user_ids=ids) if ids else {}


def status_of(row: dict) -> str:
    return (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETED)[row["status_rank"]]


def department_label(row: dict, prefix: str = "department__") -> str:
    from django.utils.translation import get_language

    name_en = row.get(f"{prefix}name_en")
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return row.get(f"{prefix}name") or ""


def scope_unit_choices(*, scope: Scope) -> list[tuple[int, str, int, str]]:
    """(id, name, depth, path) of every unit in the scope, in tree order: the sub-unit filter list."""
    return [
        (department.pk, department.display_name, department.depth, department.path)
        for department in scope.departments().order_by("path").only("pk", "name", "name_en", "depth", "path")
    ]


# ---------------------------------------------------------------------------- learner drill-down


@dataclass
class StepRow:
    id: int
    title: str
    completed_at: datetime.datetime | None


@dataclass
class LearnerCourse:
    progress: CourseProgress
    steps: list[StepRow]

    @property
    def status(self) -> str:
        return Status.COMPLETED if self.progress.completed_at else Status.IN_PROGRESS


@dataclass
class LearnerReport:
    person: object
    courses: list[LearnerCourse]
    attempts: list
    # {course id: verified active minutes} (studytime, flushed time).
    active_minutes: dict = field(default_factory=dict)


def learner_or_404(*, scope: Scope, user_id) -> object:
    person = User.objects.select_related("department").filter(pk=user_id).first() if str(user_id).isdigit() else None
    if person is None or not scope.contains(person.department):
        raise Http404(_("No such learner."))
    return person


def learner_report(*, scope: Scope, user_id) -> LearnerReport:
    """One person's courses (stored progress), each course's live steps with the person's
    completions, their verified active minutes per course and their quiz attempts with the current
    grade: six queries. Only for the
    person's heads (their scope contains the person's department) and admins."""
    person = learner_or_404(scope=scope, user_id=user_id)
    progress_rows = list(CourseProgress.objects.filter(user=person).select_related("course").order_by("course__path"))
    steps_by_course: dict[str, list[StepRow]] = {}
    if progress_rows:
        condition = Q()
        for row in progress_rows:
            condition |= Q(path__startswith=row.course.path, depth=row.course.depth + 1)
        done = dict(StepCompletion.objects.filter(user=person).values_list("step_id", "completed_at"))
        for step_id, title, path in (
            Page.objects.live().filter(condition).order_by("path").values_list("id", "title", "path")
        ):
            steps_by_course.setdefault(path[: -Page.steplen], []).append(StepRow(step_id, title, done.get(step_id)))
    current = current_grade_of()
    attempts = list(
        Attempt.objects.filter(user=person)
        .select_related("quiz")
        .annotate(
            current_percent=Subquery(current.values("percent")[:1]), passed=Subquery(current.values("passed")[:1])
        )
        .order_by("quiz__title", "quiz_id", "number")
    )
    return LearnerReport(
        person=person,
        courses=[LearnerCourse(row, steps_by_course.get(row.course.path, [])) for row in progress_rows],
        attempts=attempts,
        active_minutes=verified_minutes_by_course(user_id=person.pk) if progress_rows else {},
    )
