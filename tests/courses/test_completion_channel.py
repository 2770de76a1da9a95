"""One channel for completion: a completion written by a single step and one written by a bulk
recompute reach every consumer (required learning, hours, certificates) the same way, once, in
the writing transaction; a consumer that fails takes the whole event back with it (issue 11)."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import LearnerAssignment
from assignments.services import assignment_create
from certificates.models import Certificate
from courses.completion import course_completed
from courses.models import CourseProgress, StepCompletion
from courses.services import course_outline_refresh, course_progress_recompute, step_complete
from hours.models import HourEntry
from tests.factories import DepartmentFactory, UserFactory, course_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def assigned(course):
    unit = DepartmentFactory()
    learner = UserFactory(department=unit)
    admin = UserFactory(department=unit, is_city_admin=True)
    assignment_create(
        course=course, department=unit, due_date=timezone.localdate() - datetime.timedelta(days=3), created_by=admin
    )
    course_outline_refresh(course=course)
    return learner


def consumers_heard(learner, course) -> dict:
    return {
        "required": LearnerAssignment.objects.filter(user=learner, completed_at__isnull=False).count(),
        "hours": HourEntry.objects.filter(user=learner, course=course, source="course_completion").count(),
        "certificates": Certificate.objects.filter(user=learner, course=course).count(),
    }


def test_a_completion_from_a_bulk_recompute_reaches_required_learning(course, assigned):
    first, second, third = course_steps(course)
    step_complete(user=assigned, step=first)
    step_complete(user=assigned, step=second)
    assert consumers_heard(assigned, course) == {"required": 0, "hours": 0, "certificates": 0}

    third.unpublish()  # the outline shrinks: the recompute completes the course in bulk

    assert CourseProgress.objects.get(user=assigned, course=course).completed_at is not None
    assert consumers_heard(assigned, course) == {"required": 1, "hours": 1, "certificates": 1}
    # Running the recompute again announces nothing twice.
    assert course_progress_recompute(course_id=course.pk) == 0
    assert consumers_heard(assigned, course) == {"required": 1, "hours": 1, "certificates": 1}


def test_a_completion_from_a_step_reaches_the_same_consumers_once(course, assigned):
    heard = []
    course_completed.connect(lambda **kwargs: heard.append(kwargs["progress"].pk), weak=False, dispatch_uid="t1")
    try:
        for step in course_steps(course):
            step_complete(user=assigned, step=step)
        step_complete(user=assigned, step=course_steps(course)[-1])  # again: nothing new
    finally:
        course_completed.disconnect(dispatch_uid="t1")
    assert len(heard) == 1
    assert consumers_heard(assigned, course) == {"required": 1, "hours": 1, "certificates": 1}


class ConsumerFailed(Exception):
    pass


def failing_consumer(**kwargs):
    raise ConsumerFailed


@pytest.mark.parametrize("road", ["step", "recompute"])
def test_a_failing_consumer_takes_the_whole_completion_back(course, assigned, road):
    first, second, third = course_steps(course)
    step_complete(user=assigned, step=first)
    step_complete(user=assigned, step=second)
    course_completed.connect(failing_consumer, weak=False, dispatch_uid="failing")
    try:
        with pytest.raises(ConsumerFailed):
            if road == "step":
                step_complete(user=assigned, step=third)
            else:
                third.unpublish()
    finally:
        course_completed.disconnect(dispatch_uid="failing")
    progress = CourseProgress.objects.get(user=assigned, course=course)
    assert progress.completed_at is None
    if road == "step":
        assert not StepCompletion.objects.filter(user=assigned, step_id=third.pk).exists()
        assert progress.steps_done == 2
    assert consumers_heard(assigned, course) == {"required": 0, "hours": 0, "certificates": 0}
