"""Pure progress arithmetic over plain ids: no ORM, table-tested."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class StepStatus(StrEnum):
    DONE = "done"
    AVAILABLE = "available"
    LOCKED = "locked"


@dataclass(frozen=True)
class ProgressFigures:
    steps_done: int
    steps_total: int
    percent: int
    resume_step_id: int | None
    all_done: bool


def progress_figures(step_ids: Sequence[int], completed_ids: Collection[int]) -> ProgressFigures:
    """Figures for one learner: only live steps count, so a removed step neither helps nor blocks."""
    done = sum(1 for step_id in step_ids if step_id in completed_ids)
    total = len(step_ids)
    percent = (100 * done) // total if total else 0
    resume = next((step_id for step_id in step_ids if step_id not in completed_ids), None)
    return ProgressFigures(
        steps_done=done, steps_total=total, percent=percent, resume_step_id=resume, all_done=total > 0 and done == total
    )


def step_statuses(
    step_ids: Sequence[int], completed_ids: Collection[int], *, sequential: bool
) -> dict[int, StepStatus]:
    """In a sequential course a step is open only when every step before it is done."""
    statuses: dict[int, StepStatus] = {}
    earlier_unfinished = False
    for step_id in step_ids:
        if step_id in completed_ids:
            statuses[step_id] = StepStatus.DONE
        elif sequential and earlier_unfinished:
            statuses[step_id] = StepStatus.LOCKED
        else:
            statuses[step_id] = StepStatus.AVAILABLE
        if step_id not in completed_ids:
            earlier_unfinished = True
    return statuses


def is_step_locked(step_ids: Sequence[int], completed_ids: Collection[int], step_id: int, *, sequential: bool) -> bool:
    return step_statuses(step_ids, completed_ids, sequential=sequential).get(step_id) == StepStatus.LOCKED
