"""Reads of the credit-hour ledger, each a constant number of queries whatever the data size."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, DecimalField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scope import Scope, Unit, unit_member_filter
from reports.selectors import department_label

from .models import HourEntry, OfflineTraining
from .rules import ZERO, course_completion_hours, final_exam_bonus, target_percent

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))


def _hours_sum(year: int, kind: str | None = None):
    condition = Q(
        hour_entries__year=year,
        hour_entries__revoked_at__isnull=True,
        hour_entries__review__in=HourEntry.COUNTED_REVIEWS,
    )
    if kind:
        condition &= Q(hour_entries__kind=kind)
    return Coalesce(
        Sum("hour_entries__hours", filter=condition, output_field=DecimalField(max_digits=8, decimal_places=2)),
        ZERO_HOURS,
    )


@dataclass
class LedgerLine:
    """One line of My hours: a course with its completion and final-exam bonus together (the
    hours earned_course_hours gives), or one offline training."""

    earned_on: datetime.date | None
    title: str
    kind_label: str
    hours: Decimal
    entries: list[HourEntry]


@dataclass
class YearLedger:
    year: int
    target: Decimal
    entries: list[HourEntry]
    total: Decimal = ZERO
    required: Decimal = ZERO
    elective: Decimal = ZERO
    revoked: list[HourEntry] = field(default_factory=list)
    # Completions whose verified time fell short: waiting for the head, or rejected by them.
    not_counted: list[HourEntry] = field(default_factory=list)
    lines: list[LedgerLine] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return target_percent(self.total, self.target)

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.target - self.total)


def _entry_day(entry: HourEntry) -> datetime.date:
    return entry.earned_on or timezone.localdate(entry.created_at)


def _ledger_lines(counted: list[HourEntry], course_hours: dict[int, Decimal]) -> list[LedgerLine]:
    by_course: dict[int, list[HourEntry]] = {}
    lines = []
    for entry in counted:
        if entry.course_id is not None and entry.source in COURSE_SOURCES:
            by_course.setdefault(entry.course_id, []).append(entry)
        else:
            title = entry.offline.course_name if entry.offline_id else ""
            lines.append(LedgerLine(_entry_day(entry), title, entry.get_kind_display(), entry.hours, [entry]))
    for course_id, entries in by_course.items():
        entries.sort(key=lambda entry: entry.source != HourEntry.Source.COURSE_COMPLETION)  # completion first
        lines.append(
            LedgerLine(
                max(_entry_day(entry) for entry in entries),
                entries[0].course.title,
                entries[0].get_kind_display(),
                course_hours.get(course_id, ZERO),
                entries,
            )
        )
    lines.sort(key=lambda line: line.earned_on, reverse=True)
    return lines


def learner_year(*, user, year: int, target: Decimal) -> YearLedger:
    """A person's entries of one year, the revoked ones apart, and the lines of My hours (one line
    per course). Two queries."""
    rows = list(
        HourEntry.objects.filter(user=user, year=year)
        .select_related("course", "offline")
        .order_by("-created_at", "-id")
    )
    counted = [entry for entry in rows if entry.is_counted]
    required = sum((e.hours for e in counted if e.kind == HourEntry.Kind.REQUIRED), ZERO)
    elective = sum((e.hours for e in counted if e.kind == HourEntry.Kind.ELECTIVE), ZERO)
    course_hours = learner_course_hours(user_id=user.pk, year=year) if counted else {}
    return YearLedger(
        year=year,
        target=target,
        entries=counted,
        total=required + elective,
        required=required,
        elective=elective,
        revoked=[entry for entry in rows if entry.revoked_at is not None],
        not_counted=[entry for entry in rows if entry.revoked_at is None and not entry.is_counted],
        lines=_ledger_lines(counted, course_hours),
    )


def learner_years(*, user, current: int) -> list[int]:
    """The years the person has entries or declarations in, and the current one, newest first."""
    years = set(HourEntry.objects.filter(user=user).values_list("year", flat=True).distinct())
    years.add(current)
    return sorted(years, reverse=True)


def learner_declarations(*, user) -> QuerySet[OfflineTraining]:
    return OfflineTraining.objects.filter(user=user).select_related("decided_by").order_by("-created_at", "-id")


def compliance_rows(*, scope: Scope, unit: Unit, year: int, target: Decimal, below_only: bool = False):
    """Every active learner of the unit (inside the scope) with their hours of the year: below
    target first, then by unit and name. One query (plus the paginator's count)."""
    User = get_user_model()
    people = (
        User.objects.filter(unit_member_filter(unit), is_active=True)
        .annotate(
            h_total=_hours_sum(year),
            h_required=_hours_sum(year, HourEntry.Kind.REQUIRED),
            h_elective=_hours_sum(year, HourEntry.Kind.ELECTIVE),
        )
        .annotate(below=Case(When(h_total__lt=target, then=Value(0)), default=Value(1), output_field=IntegerField()))
    )
    if below_only:
        people = people.filter(h_total__lt=target)
    return people.order_by("below", "h_total", "department__path", "display_name", "username", "id").values(
        "id",
        "username",
        "display_name",
        "employee_id",
        "department__name",
        "department__name_en",
        "h_total",
        "h_required",
        "h_elective",
    )


def compliance_export_rows(rows, target: Decimal) -> Iterator[list]:
    for row in rows.iterator(chunk_size=2000):
        yield [
            row["display_name"] or row["username"],
            row["employee_id"] or "",
            department_label(row),
            row["h_required"],
            row["h_elective"],
            row["h_total"],
            target,
            max(ZERO, target - row["h_total"]),
        ]


def pending_declarations(*, scope: Scope) -> QuerySet[OfflineTraining]:
    """Declarations waiting for a decision from people in the scope. One query."""
    declarations = OfflineTraining.objects.filter(status=OfflineTraining.Status.PENDING)
    if not scope.everything:
        if scope.root is None:
            return declarations.none()
        declarations = declarations.filter(user__department__path__startswith=scope.root.path)
    return declarations.select_related("user", "user__department").order_by("created_at", "id")


def declaration_for_decider_or_none(*, scope: Scope, declaration_id: int) -> OfflineTraining | None:
    """A declaration of someone inside the scope, or None (the caller answers 404)."""
    if not scope.allowed:
        return None
    declarations = OfflineTraining.objects.select_related("user", "user__department")
    if not scope.everything:
        declarations = declarations.filter(user__department__path__startswith=scope.root.path)
    return declarations.filter(pk=declaration_id).first()


COURSE_SOURCES = (HourEntry.Source.COURSE_COMPLETION, HourEntry.Source.QUIZ_BONUS)


def _in_scope(entries, scope: Scope):
    if scope.everything:
        return entries
    if scope.root is None:
        return entries.none()
    return entries.filter(user__department__path__startswith=scope.root.path)


def pending_reviews(*, scope: Scope) -> QuerySet[HourEntry]:
    """Course completions whose verified time fell short, waiting for a decision, of people in
    the scope. One query."""
    entries = HourEntry.objects.filter(review=HourEntry.Review.PENDING, revoked_at__isnull=True)
    return _in_scope(entries, scope).select_related("user", "user__department", "course").order_by("created_at", "id")


def review_for_decider_or_none(*, scope: Scope, entry_id: int) -> HourEntry | None:
    """A pending-review entry of someone inside the scope, or None (the caller answers 404)."""
    if not scope.allowed:
        return None
    entries = HourEntry.objects.select_related("user", "user__department", "course")
    return _in_scope(entries, scope).filter(pk=entry_id, source=HourEntry.Source.COURSE_COMPLETION).first()


def earned_course_hours(*, user_ids=None, course_ids=None, year: int | None = None) -> dict[tuple[int, int], Decimal]:
    """{(user id, course id): hours} a learner has earned for a course: their completion entry and
    final-exam bonus, revoked entries and those pending or refused on review left out (of one year when `year` is given). The one rule for
    every figure of a learner's hours for a course: My learning, the course page, My hours,
    certificates, the learner report. One query; None means no filter."""
    entries = HourEntry.objects.filter(
        course__isnull=False,
        revoked_at__isnull=True,
        review__in=HourEntry.COUNTED_REVIEWS,
        source__in=COURSE_SOURCES,
    )
    if user_ids is not None:
        entries = entries.filter(user_id__in=list(user_ids))
    if course_ids is not None:
        entries = entries.filter(course_id__in=list(course_ids))
    if year is not None:
        entries = entries.filter(year=year)
    rows = entries.values("user_id", "course_id").annotate(total=Sum("hours")).order_by()
    return {(row["user_id"], row["course_id"]): row["total"] for row in rows}


def learner_course_hours(*, user_id: int, course_ids=None, year: int | None = None) -> dict[int, Decimal]:
    """{course id: hours} one learner has earned (earned_course_hours). One query."""
    earned = earned_course_hours(user_ids=[user_id], course_ids=course_ids, year=year)
    return {course_id: hours for (_user_id, course_id), hours in earned.items()}


def course_hours_earned(*, course_id: int, user_ids=None) -> dict[int, Decimal]:
    """{user id: hours} that one course earned each person (earned_course_hours), for
    certificates. One query; user_ids=None means everyone."""
    earned = earned_course_hours(user_ids=user_ids, course_ids=[course_id])
    return {user_id: hours for (user_id, _course_id), hours in earned.items()}


@dataclass(frozen=True)
class CourseHoursOnOffer:
    """What a course will earn, before it is completed: its completion hours, and the bonus a
    passed final exam adds (zero when the course has no final exam)."""

    completion: Decimal
    final_exam_bonus: Decimal


def course_hours_on_offer(*, course, has_final_exam: bool) -> CourseHoursOnOffer:
    """The same rules the ledger applies when the hours are earned (hours.rules); no query."""
    from .services import hour_rules

    rules = hour_rules()
    return CourseHoursOnOffer(
        completion=course_completion_hours(
            credit_hours=course.credit_hours, estimated_minutes=course.estimated_minutes, rules=rules
        ),
        final_exam_bonus=final_exam_bonus(passed=True, rules=rules) if has_final_exam else ZERO,
    )


# A person's own ledger, for their data archive (privacy): {kind: (columns, rows as dicts)}.
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    entry_columns = (
        "year",
        "hours",
        "kind",
        "source",
        "course_id",
        "course__title",
        "offline__course_name",
        "earned_on",
        "created_at",
        "revoked_at",
        "revoke_reason",
        "review",
        "active_seconds",
        "expected_seconds",
        "share_percent",
        "reviewed_at",
        "review_reason",
    )
    declaration_columns = (
        "course_name",
        "start_date",
        "end_date",
        "hours",
        "status",
        "decided_at",
        "reason",
        "created_at",
    )
    return {
        "hour_entries": (
            entry_columns,
            list(HourEntry.objects.filter(user=user).order_by("year", "created_at", "pk").values(*entry_columns)),
        ),
        "offline_training": (
            declaration_columns,
            list(OfflineTraining.objects.filter(user=user).order_by("created_at", "pk").values(*declaration_columns)),
        ),
    }
