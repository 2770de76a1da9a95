"""`records_verify`: every derived record recomputed from the raw facts (step completions,
attempts and grades, assignments, offline declarations and decisions, revocations), each app
checking its own records (`<app>/verify.py`) and repairing them through its own services.

records sits above the apps it checks and imports their verify modules and services; none of them
imports records. The checks run in the order the records derive from one another: a repaired
progress row announces its completion, and the consumers (required learning, hours, certificates)
may have nothing left to repair when their turn comes."""

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.log_actions import log

from assignments.services import assignments_completion_repair, assignments_members_repair
from assignments.verify import assignment_member_problems, assignment_record_problems
from certificates.services import certificate_record_repair
from certificates.verify import certificate_record_problems
from courses.services import course_records_repair
from courses.verify import course_record_problems
from hours.services import hours_records_repair
from hours.verify import hours_record_problems
from reports.services import (
    summaries_compute,
    summaries_mismatches,
    summaries_store,
    summaries_stored,
    summary_pairs_mismatched,
    summary_repair,
)

from .models import RecordRepair

logger = logging.getLogger(__name__)

REPAIRED_ACTION = "records.repaired"
SUMMARIES = "all"


@dataclass(frozen=True)
class RecordCheck:
    name: str
    find: Callable[[], dict[Hashable, list[str]]]  # {unit of repair: problems}
    repair: Callable[[Hashable], int]  # returns the rows changed


def _summary_problems() -> dict[Hashable, list[str]]:
    problems = summaries_mismatches(summaries_compute(), summaries_stored())
    return {SUMMARIES: problems} if problems else {}


def _summary_repair(_key) -> int:
    expected = summaries_compute()
    summaries_store(expected)
    return len(expected.summaries) + len(expected.months)


RECORD_CHECKS = [
    RecordCheck("progress", course_record_problems, lambda course_id: course_records_repair(course_id=course_id)),
    # Who owes required learning before whether they did it: a repaired member's first row is
    # written closed when they completed the course already.
    RecordCheck(
        "required_learning_members",
        assignment_member_problems,
        lambda assignment_id: assignments_members_repair(assignment_id=assignment_id),
    ),
    RecordCheck(
        "required_learning",
        assignment_record_problems,
        lambda key: assignments_completion_repair(user_id=key[0], course_id=key[1]),
    ),
    RecordCheck("hours", hours_record_problems, lambda key: hours_records_repair(key=key)),
    RecordCheck(
        "certificates",
        certificate_record_problems,
        lambda key: certificate_record_repair(user_id=key[0], course_id=key[1]),
    ),
    RecordCheck("department_summaries", _summary_problems, _summary_repair),
]


@dataclass
class VerifyResult:
    problems: list[str] = field(default_factory=list)  # what was found (before any repair)
    repairs: list[RecordRepair] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)  # found again after the repairs

    @property
    def clean(self) -> bool:
        return not (self.remaining if self.repairs else self.problems)


def records_verify(*, repair: bool = False) -> VerifyResult:
    """Run every check; with repair, bring each wrong record back in line (one transaction and one
    audit entry per unit of repair) and then check everything again."""
    result = VerifyResult()
    for check in RECORD_CHECKS:
        found = check.find()
        for key, problems in found.items():
            result.problems += [f"[{check.name}] {problem}" for problem in problems]
            if repair:
                result.repairs.append(_repair(check, key, problems))
    if repair and result.repairs:
        result.remaining = [
            f"[{check.name}] {p}" for check in RECORD_CHECKS for ps in check.find().values() for p in ps
        ]
    return result


def _repair(check: RecordCheck, key: Hashable, problems: list[str]) -> RecordRepair:
    with transaction.atomic():
        changed = check.repair(key)
        entry = RecordRepair.objects.create(
            check_name=check.name, record=str(key)[:200], problems=problems, rows_changed=changed
        )
        log(
            instance=entry,
            action=REPAIRED_ACTION,
            data={"check": check.name, "record": entry.record, "problems": problems},
        )
    return entry


def summaries_reconcile() -> list[RecordRepair]:
    """The periodic part of the record check, scoped to what a lost task leaves wrong: department
    summaries (a refresh whose worker died before Redis gave it back). Recomputes them all from the
    raw rows (the grouped queries of `reports_recompute --check`) and refreshes only the pairs that
    differ, each through reports' own refresh with the department locked, writing a RecordRepair and
    a Wagtail log entry. A pair a queued refresh put right in the meantime is not logged. Idempotent:
    a second run finds nothing. Logs what it repaired."""
    pairs = summary_pairs_mismatched(summaries_compute(), summaries_stored())
    repairs = []
    for department_id, course_id in sorted(pairs):
        with transaction.atomic():
            changed = summary_repair(department_id=department_id, course_id=course_id)
            if changed is None or changed[0] == changed[1]:
                continue
            before, after = changed
            problems = [f"summary department={department_id} course={course_id}: stored {before}, recomputed {after}"]
            entry = RecordRepair.objects.create(
                check_name="department_summaries",
                record=f"department={department_id} course={course_id}",
                problems=problems,
                rows_changed=1 + len(after[1]),
            )
            log(
                instance=entry,
                action=REPAIRED_ACTION,
                data={"check": entry.check_name, "record": entry.record, "problems": problems},
            )
        repairs.append(entry)
    if repairs:
        logger.warning(
            "reconcile: repaired %d department summaries: %s", len(repairs), ", ".join(r.record for r in repairs)
        )
    else:
        logger.info("reconcile: department summaries agree with the raw rows")
    return repairs
