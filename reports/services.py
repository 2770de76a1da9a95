"""Writes for the reports: the stored department summaries and report exports.

summary_refresh rewrites one department × course from CourseProgress (reports.receivers enqueues
it after a progress row changes and the transaction commits); summaries_compute recomputes every
row from the raw progress and required-learning rows for `manage.py reports_recompute`."""

import datetime
import logging
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, FilteredRelation, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.selectors import assigned_counts, overdue_counts
from courses.models import CoursePage, CourseProgress
from departments.models import Department
from outbox.services import enqueue_on_commit
from privatefiles.jobs import jobs_expire_finished, jobs_expire_stalled

from .models import DepartmentCourseSummary, DepartmentMonthlyCompletions, ReportExport, SummaryRefreshDue

logger = logging.getLogger(__name__)
User = get_user_model()

SUMMARY_FIELDS = ("members", "started", "completed", "score_sum", "score_count", "overdue", "makeup_passed")


def _month():
    return TruncMonth("completed_at", output_field=DateField())


def summary_figures(*, department_id: int, course_id: int) -> dict:
    """The figures of the department's active direct members in the course: one query (each
    member joined to at most one progress row of the course)."""
    figures = (
        User.objects.filter(department_id=department_id, is_active=True)
        .annotate(p=FilteredRelation("course_progress", condition=Q(course_progress__course_id=course_id)))
        .aggregate(
            members=Count("pk"),
            started=Count("p__id"),
            completed=Count("p__completed_at"),
            score_sum=Coalesce(Sum("p__best_score_percent"), Decimal("0")),
            score_count=Count("p__best_score_percent"),
            makeup_passed=Count("p__id", filter=Q(p__makeup_passed=True)),
        )
    )
    figures["overdue"] = overdue_counts(department_id=department_id, course_id=course_id).get(
        (department_id, course_id), 0
    )
    return figures


# A mark older than this is taken for a refresh that was lost (a worker killed with the job in
# hand and never redelivered): the next change enqueues one again rather than waiting forever.
REFRESH_DUE_LOST_AFTER = datetime.timedelta(minutes=5)


def summary_refresh_mark_due(*, user_id: int, course_id: int) -> int | None:
    """Mark the summary of the learner's department in this course as due, after a change to
    their progress committed. Returns the department id when a refresh must be enqueued: the
    pair had no mark (or only a lost one's); None when a queued refresh will read the change
    anyway, or the learner has no department. One statement, so two marks at once cannot both
    see "no mark"."""
    now = timezone.now()
    due = connection.ops.quote_name(SummaryRefreshDue._meta.db_table)
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {due} (department_id, course_id, due_since)"  # noqa: S608 - table names only
            f" SELECT u.department_id, %s, %s FROM {users} u WHERE u.id = %s AND u.department_id IS NOT NULL"
            " ON CONFLICT (department_id, course_id) DO UPDATE SET due_since = excluded.due_since"
            f" WHERE {due}.due_since < %s"
            " RETURNING department_id",
            [course_id, now, user_id, now - REFRESH_DUE_LOST_AFTER],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def summary_refresh_due(*, department_id: int, course_id: int) -> DepartmentCourseSummary | None:
    """The queued refresh of a marked pair: the mark goes first, then the refresh reads. A change
    that commits after the mark is gone marks the pair again and enqueues another refresh; one
    that committed before is read by this one."""
    SummaryRefreshDue.objects.filter(department_id=department_id, course_id=course_id).delete()
    return summary_refresh(department_id=department_id, course_id=course_id)


def summary_refresh(*, department_id: int, course_id: int) -> DepartmentCourseSummary | None:
    """Recompute the stored summary (and monthly completions) of one department and course.
    Idempotent. Refreshes of the same department run one after the other (the department row is
    locked), so a slower, older refresh can never overwrite a newer one."""
    with transaction.atomic():
        if not list(Department.objects.select_for_update().filter(pk=department_id).values_list("pk", flat=True)):
            return None
        if not CoursePage.objects.filter(pk=course_id).exists():
            return None
        figures = summary_figures(department_id=department_id, course_id=course_id)
        months = DepartmentMonthlyCompletions.objects.filter(department_id=department_id, course_id=course_id)
        if not figures["started"] and not figures["overdue"]:
            DepartmentCourseSummary.objects.filter(department_id=department_id, course_id=course_id).delete()
            months.delete()
            return None
        summary, _created = DepartmentCourseSummary.objects.update_or_create(
            department_id=department_id, course_id=course_id, defaults=figures
        )
        counts = (
            CourseProgress.objects.filter(
                course_id=course_id,
                user__department_id=department_id,
                user__is_active=True,
                completed_at__isnull=False,
            )
            .annotate(month=_month())
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
            .order_by()
        )
        months.delete()
        DepartmentMonthlyCompletions.objects.bulk_create(
            DepartmentMonthlyCompletions(department_id=department_id, course_id=course_id, month=month, completed=n)
            for month, n in counts
        )
    return summary


def summary_pairs_for_department(*, department_id: int) -> set[tuple[int, int]]:
    """Every (department, course) whose summary may change when the department's membership
    does: the stored rows, the courses its current members have started and those required of them."""
    stored = DepartmentCourseSummary.objects.filter(department_id=department_id).values_list("course_id", flat=True)
    started = CourseProgress.objects.filter(user__department_id=department_id).values_list("course_id", flat=True)
    required = [course_id for _department_id, course_id in assigned_counts(department_id=department_id)]
    return {(department_id, course_id) for course_id in {*stored, *started, *required}}


def summary_pairs_for_course(*, course_id: int) -> set[tuple[int, int]]:
    stored = DepartmentCourseSummary.objects.filter(course_id=course_id).values_list("department_id", flat=True)
    started = (
        CourseProgress.objects.filter(course_id=course_id, user__department__isnull=False)
        .values_list("user__department_id", flat=True)
        .distinct()
    )
    required = [department_id for department_id, _course_id in assigned_counts(course_id=course_id)]
    return {(department_id, course_id) for department_id in {*stored, *started, *required}}


def summary_pairs_with_stale_overdue(*, today: datetime.date | None = None) -> set[tuple[int, int]]:
    """The (department, course) pairs whose stored overdue figure differs from today's: people
    become overdue when a date passes, with no row changing. Two grouped queries."""
    expected = overdue_counts(today=today)
    stored = {
        (department_id, course_id): overdue
        for department_id, course_id, overdue in DepartmentCourseSummary.objects.filter(overdue__gt=0).values_list(
            "department_id", "course_id", "overdue"
        )
    }
    return {pair for pair in expected.keys() | stored.keys() if expected.get(pair, 0) != stored.get(pair, 0)}


# ---------------------------------------------------------------------------- recompute and check

SummaryKey = tuple[int, int]
MonthKey = tuple[int, int, object]


@dataclass
class SummaryState:
    summaries: dict[SummaryKey, dict]
    months: dict[MonthKey, int]


def summaries_compute() -> SummaryState:
    """Every summary and monthly count computed from the raw progress and required-learning rows
    (four grouped queries)."""
    members = dict(
        User.objects.filter(is_active=True, department__isnull=False)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
        .order_by()
    )
    progress = CourseProgress.objects.filter(user__is_active=True, user__department__isnull=False)
    summaries = {}
    for row in (
        progress.values("user__department_id", "course_id")
        .annotate(
            started=Count("pk"),
            completed=Count("completed_at"),
            score_sum=Coalesce(Sum("best_score_percent"), Decimal("0")),
            score_count=Count("best_score_percent"),
            makeup_passed=Count("pk", filter=Q(makeup_passed=True)),
        )
        .order_by()
    ):
        department_id = row.pop("user__department_id")
        course_id = row.pop("course_id")
        summaries[(department_id, course_id)] = {"members": members.get(department_id, 0), **row, "overdue": 0}
    # Required learning: overdue people, also in courses nobody of the department has started.
    for (department_id, course_id), overdue in overdue_counts().items():
        if department_id is None:
            continue
        figures = summaries.setdefault(
            (department_id, course_id),
            {
                "members": members.get(department_id, 0),
                "started": 0,
                "completed": 0,
                "score_sum": Decimal("0"),
                "score_count": 0,
                "makeup_passed": 0,
            },
        )
        figures["overdue"] = overdue
    months = {
        (row["user__department_id"], row["course_id"], row["month"]): row["n"]
        for row in progress.filter(completed_at__isnull=False)
        .annotate(month=_month())
        .values("user__department_id", "course_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return SummaryState(summaries=summaries, months=months)


def summaries_stored() -> SummaryState:
    return SummaryState(
        summaries={
            (row.pop("department_id"), row.pop("course_id")): row
            for row in DepartmentCourseSummary.objects.values("department_id", "course_id", *SUMMARY_FIELDS)
        },
        months={
            (department_id, course_id, month): completed
            for department_id, course_id, month, completed in DepartmentMonthlyCompletions.objects.values_list(
                "department_id", "course_id", "month", "completed"
            )
        },
    )


def _normalised(figures: dict) -> dict:
    return {name: Decimal(figures[name]).quantize(Decimal("0.01")) for name in SUMMARY_FIELDS}


def summaries_mismatches(expected: SummaryState, stored: SummaryState) -> list[str]:
    """Human-readable differences between two states; empty when they agree."""
    problems = []
    for key in sorted(expected.summaries.keys() | stored.summaries.keys()):
        want, have = expected.summaries.get(key), stored.summaries.get(key)
        if want is None or have is None or _normalised(want) != _normalised(have):
            problems.append(f"summary department={key[0]} course={key[1]}: stored {have}, recomputed {want}")
    for key in sorted(expected.months.keys() | stored.months.keys(), key=str):
        if expected.months.get(key) != stored.months.get(key):
            problems.append(
                f"monthly department={key[0]} course={key[1]} month={key[2]}: "
                f"stored {stored.months.get(key)}, recomputed {expected.months.get(key)}"
            )
    return problems


def summary_pairs_mismatched(expected: SummaryState, stored: SummaryState) -> set[SummaryKey]:
    """The (department, course) pairs whose summary or monthly counts differ between two states."""
    pairs = {
        key
        for key in expected.summaries.keys() | stored.summaries.keys()
        if key not in expected.summaries
        or key not in stored.summaries
        or _normalised(expected.summaries[key]) != _normalised(stored.summaries[key])
    }
    pairs |= {
        (department_id, course_id)
        for (department_id, course_id, month) in expected.months.keys() | stored.months.keys()
        if expected.months.get((department_id, course_id, month))
        != stored.months.get((department_id, course_id, month))
    }
    return pairs


def summary_repair(*, department_id: int, course_id: int) -> tuple[tuple, tuple] | None:
    """Refresh one pair with its department locked and return its stored figures (summary, months)
    before and after; None when the department is gone. Run inside the caller's transaction, so
    the before is not changed by a concurrent refresh."""
    if not list(Department.objects.select_for_update().filter(pk=department_id).values_list("pk", flat=True)):
        return None
    before = summary_stored_figures(department_id=department_id, course_id=course_id)
    summary_refresh(department_id=department_id, course_id=course_id)
    return before, summary_stored_figures(department_id=department_id, course_id=course_id)


def summary_stored_figures(*, department_id: int, course_id: int) -> tuple[dict | None, dict]:
    """One pair's stored summary figures (None without a row) and monthly counts {month: n}."""
    summary = (
        DepartmentCourseSummary.objects.filter(department_id=department_id, course_id=course_id)
        .values(*SUMMARY_FIELDS)
        .first()
    )
    months = dict(
        DepartmentMonthlyCompletions.objects.filter(department_id=department_id, course_id=course_id).values_list(
            "month", "completed"
        )
    )
    return (_normalised(summary) if summary else None), months


def summaries_store(state: SummaryState) -> None:
    """Replace every stored summary and monthly count with the given state, in one transaction."""
    with transaction.atomic():
        DepartmentCourseSummary.objects.all().delete()
        DepartmentMonthlyCompletions.objects.all().delete()
        DepartmentCourseSummary.objects.bulk_create(
            (
                DepartmentCourseSummary(department_id=department_id, course_id=course_id, **figures)
                for (department_id, course_id), figures in state.summaries.items()
            ),
            batch_size=2000,
        )
        DepartmentMonthlyCompletions.objects.bulk_create(
            (
                DepartmentMonthlyCompletions(department_id=department_id, course_id=course_id, month=month, completed=n)
                for (department_id, course_id, month), n in state.months.items()
            ),
            batch_size=2000,
        )


# ---------------------------------------------------------------------------- exports


class ExportRefused(Exception):
    pass


def export_request(*, user, report: str, file_format: str, params: dict) -> ReportExport:
    """Queue a background export. At most one export per person and report may wait or run
    (a partial unique constraint); the task is enqueued once the row is committed."""
    from .exports import EXPORT_REPORTS
    from .tasks import run_export

    if report not in EXPORT_REPORTS:
        raise ValueError(report)
    refusal = _("An export of this report is already being prepared. Wait for it to finish, then try again.")
    with transaction.atomic():
        # One lost with its worker no longer blocks a new one (privatefiles.jobs).
        jobs_expire_stalled(ReportExport.objects.filter(user=user, report=report))
        if ReportExport.objects.filter(user=user, report=report, status__in=ReportExport.ACTIVE).exists():
            raise ExportRefused(refusal)
        export = ReportExport(user=user, report=report, file_format=file_format, params=params)
        export.full_clean(exclude=["file"])
        try:
            with transaction.atomic():
                export.save()
        except IntegrityError:
            raise ExportRefused(refusal) from None
        export_id = export.pk
        enqueue_on_commit(run_export, export_id)
    return export


def export_run(*, export_id: int) -> ReportExport | None:
    """Write the export's file, updating its progress as rows are written. Idempotent: only a
    queued export runs. The scope is rebuilt from the requester's roles as they are now."""
    from accounts.scope import user_scope

    from .exports import build_table, write_table

    claimed = ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.QUEUED).update(
        status=ReportExport.Status.RUNNING, progress_at=timezone.now()
    )
    if not claimed:
        return None
    export = ReportExport.objects.select_related("user").get(pk=export_id)
    try:
        scope = user_scope(export.user)
        table = build_table(report=export.report, scope=scope, params=export.params, for_file=True)
        step = max(table.count // 100, 1000)

        def progress(written: int) -> None:
            if written % step == 0 and table.count:
                percent = min(99, written * 100 // table.count)
                ReportExport.objects.filter(pk=export_id).update(progress=percent, progress_at=timezone.now())

        with tempfile.TemporaryFile() as handle:
            written = write_table(table, export.file_format, handle, on_row=progress)
            handle.seek(0)
            # Stored under a random name (ReportExport.file's upload_to); only the suffix is kept.
            export.file.save(f"export.{export.file_format}", File(handle), save=False)
        export.rows = written
        export.progress = 100
        export.status = ReportExport.Status.DONE
    except Exception as error:  # noqa: BLE001  (recorded on the row; the requester sees "failed")
        logger.exception("export %s failed", export_id)
        export.status = ReportExport.Status.FAILED
        export.error = str(error)[:2000]
    export.finished_at = timezone.now()
    export.save(update_fields=["rows", "progress", "status", "file", "error", "finished_at"])
    return export


def export_expire_if_stalled(*, export: ReportExport) -> ReportExport:
    """Mark the export failed if it made no progress for FILE_JOB_STALE_MINUTES (its worker died);
    its page then says so and the person may export again. Returns the export as it is now."""
    if jobs_expire_stalled(ReportExport.objects.filter(pk=export.pk)):
        export.refresh_from_db()
    return export


def exports_expire(*, older_than: datetime.datetime) -> int:
    """Delete the files of exports finished before `older_than` and mark their rows expired (the
    export's page then says the file was deleted, instead of failing). Idempotent: an expired
    export is not touched again. Returns the number of exports expired."""
    return jobs_expire_finished(ReportExport.objects.all(), older_than=older_than)
