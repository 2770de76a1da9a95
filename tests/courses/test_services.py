import pytest
from django.utils import timezone

from courses.models import CourseProgress, Enrolment, StepCompletion
from courses.services import CourseNotAccessible, StepLocked, StepUnavailable, course_start, step_complete
from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps

pytestmark = pytest.mark.django_db


def test_completing_a_step_writes_completion_and_progress(course, learner):
    first, *_ = course_steps(course)
    result = step_complete(user=learner, step=first)
    assert result.created
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert (progress.steps_done, progress.steps_total, progress.percent) == (1, 3, 33)
    assert progress.resume_step_id == course_steps(course)[1].id
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_completing_a_step_twice_gives_one_record(course, learner):
    first = course_steps(course)[0]
    step_complete(user=learner, step=first)
    second = step_complete(user=learner, step=first)
    assert not second.created
    assert StepCompletion.objects.filter(user=learner, step=first).count() == 1
    assert CourseProgress.objects.get(user=learner, course=course).steps_done == 1


def test_sequential_course_refuses_a_step_after_an_unfinished_one(course, learner):
    third = course_steps(course)[2]
    with pytest.raises(StepLocked):
        step_complete(user=learner, step=third)
    assert not StepCompletion.objects.filter(user=learner).exists()


def test_free_order_course_accepts_any_step(catalogue, learner):
    free = build_course(catalogue, steps=3, sequential=False, slug="free")
    step_complete(user=learner, step=course_steps(free)[2])
    assert CourseProgress.objects.get(user=learner, course=free).steps_done == 1


def test_completing_the_last_step_completes_the_course(course, learner):
    moment = timezone.now()
    results = [step_complete(user=learner, step=step, now=moment) for step in course_steps(course)]
    assert [r.course_completed_now for r in results] == [False, False, True]
    progress = CourseProgress.objects.get(user=learner, course=course)
    assert progress.percent == 100 and progress.completed_at == moment and progress.resume_step_id is None


def test_learner_cannot_complete_a_step_of_a_course_restricted_to_another_department(catalogue):
    city = DepartmentFactory(code="city")
    finance = DepartmentFactory(code="finance", parent=city)
    police = DepartmentFactory(code="police", parent=city)
    restricted = build_course(catalogue, steps=2, slug="finance-only")
    restricted.restricted_to_departments.set([finance])
    restricted.save()
    outsider = UserFactory(department=police)
    with pytest.raises(CourseNotAccessible):
        step_complete(user=outsider, step=course_steps(restricted)[0])
    with pytest.raises(CourseNotAccessible):
        course_start(user=outsider, course=restricted)
    assert not StepCompletion.objects.exists() and not Enrolment.objects.exists()
    # A member of a section under the department may take it.
    section = DepartmentFactory(code="finance-budget", parent=finance)
    insider = UserFactory(department=section)
    assert step_complete(user=insider, step=course_steps(restricted)[0]).created


def test_unpublished_step_cannot_be_completed(course, learner):
    first = course_steps(course)[0]
    first.unpublish()
    first.refresh_from_db()
    with pytest.raises(StepUnavailable):
        step_complete(user=learner, step=first)


def test_course_start_is_idempotent(course, learner):
    first = course_start(user=learner, course=course)
    again = course_start(user=learner, course=course)
    assert first.pk == again.pk
    assert CourseProgress.objects.filter(user=learner).count() == 1
