import pytest

from courses.progress import StepStatus, is_step_locked, progress_figures, step_statuses

DONE, AVAILABLE, LOCKED = StepStatus.DONE, StepStatus.AVAILABLE, StepStatus.LOCKED


@pytest.mark.parametrize(
    ("step_ids", "completed", "expected"),
    [
        ([], set(), (0, 0, 0, None, False)),
        ([1, 2, 3], set(), (0, 3, 0, 1, False)),
        ([1, 2, 3], {1}, (1, 3, 33, 2, False)),
        ([1, 2, 3], {1, 3}, (2, 3, 66, 2, False)),
        ([1, 2, 3], {1, 2, 3}, (3, 3, 100, None, True)),
        # A completion of a step that is no longer live does not count.
        ([1, 2], {1, 2, 99}, (2, 2, 100, None, True)),
        ([1, 2, 3, 4], {99}, (0, 4, 0, 1, False)),
    ],
)
def test_progress_figures(step_ids, completed, expected):
    figures = progress_figures(step_ids, completed)
    assert (
        figures.steps_done,
        figures.steps_total,
        figures.percent,
        figures.resume_step_id,
        figures.all_done,
    ) == expected


@pytest.mark.parametrize(
    ("completed", "sequential", "expected"),
    [
        (set(), True, [AVAILABLE, LOCKED, LOCKED]),
        ({1}, True, [DONE, AVAILABLE, LOCKED]),
        ({1, 2}, True, [DONE, DONE, AVAILABLE]),
        ({2}, True, [AVAILABLE, DONE, LOCKED]),
        (set(), False, [AVAILABLE, AVAILABLE, AVAILABLE]),
        ({3}, False, [AVAILABLE, AVAILABLE, DONE]),
    ],
)
def test_step_statuses(completed, sequential, expected):
    statuses = step_statuses([1, 2, 3], completed, sequential=sequential)
    assert [statuses[step] for step in (1, 2, 3)] == expected


def test_a_done_step_is_never_locked_even_after_a_gap():
    assert not is_step_locked([1, 2, 3], {3}, 3, sequential=True)
    assert is_step_locked([1, 2, 3], {3}, 2, sequential=True)
