"""Reads of the credit-hour ledger, each a constant number of queries whatever the data size."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, DecimalField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from reports.scope import Scope, Unit, unit_member_filter
from reports.selectors import department_label

from .models import HourEntry, OfflineTraining
from .rules import ZERO, target_percent

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))


def _hours_sum(year: int, kind: str | None = None):
    condition = Q(hour_entries__year=year, hour_entries__revoked_at__isnull=True)
    if kind:
        condition &= Q(hour_entries__kind=kind)
    return Coalesce(
        Sum("hour_entries__hours", filter=condition, output_field=DecimalField(max_digits=8, decimal_places=2)),
        ZERO_HOURS,
    )


@dataclass
class YearLedger:
    year: int
    target: Decimal
    entries: list[HourEntry]
    total: Decimal = ZERO
    required: Decimal = ZERO
    elective: Decimal = ZERO
    revoked: list[HourEntry] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return target_percent(self.total, self.target)

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.target - self.total)


def learner_year(*, user, year: int, target: Decimal) -> YearLedger:
    """A person's entries of one year (one query), the revoked ones apart."""
    rows = list(
        HourEntry.objects.filter(user=user, year=year)
        .select_related("course", "offline")
        .order_by("-created_at", "-id")
    )
    counted = [entry for entry in rows if entry.revoked_at is None]
    required = sum((e.hours for e in counted if e.kind == HourEntry.Kind.REQUIRED), ZERO)
    elective = sum((e.hours for e in counted if e.kind == HourEntry.Kind.ELECTIVE), ZERO)
    return YearLedger(
        year=year,
        target=target,
        entries=counted,
        total=required + elective,
        required=required,
        elective=elective,
        revoked=[entry for entry in rows if entry.revoked_at is not None],
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


def course_hours_earned(*, course_id: int, user_ids=None) -> dict[int, Decimal]:
    """{user id: hours} that completing one course earned each person (completion and final-exam
    bonus, revoked entries left out), for certificates. One query; user_ids=None means everyone."""
    entries = HourEntry.objects.filter(
        course_id=course_id,
        revoked_at__isnull=True,
        source__in=[HourEntry.Source.COURSE_COMPLETION, HourEntry.Source.QUIZ_BONUS],
    )
    if user_ids is not None:
        entries = entries.filter(user_id__in=list(user_ids))
    return dict(entries.values("user_id").annotate(total=Sum("hours")).values_list("user_id", "total"))
