"""Credit hours for pages of lower apps (courses, reports, assignments): a template can load a tag
from any app, so those apps never import hours. Every figure of a learner's hours for a course
comes from hours.selectors.earned_course_hours; a course's hours before completion from
hours.selectors.course_hours_on_offer, shown as what completing it will earn."""

from decimal import Decimal

from django import template

from courses.selectors import course_has_final_exam

from .. import selectors

register = template.Library()


@register.simple_tag
def earned_hours_by_course(user) -> dict[int, Decimal]:
    """course id → the hours this person has earned for it; one query."""
    if getattr(user, "pk", None) is None:  # anonymous
        return {}
    return selectors.learner_course_hours(user_id=user.pk)


@register.simple_tag
def earned_hours_for_course(user, course) -> Decimal | None:
    """The hours this person has earned for one course (None: nothing earned); one query."""
    if getattr(user, "pk", None) is None or course is None:
        return None
    return selectors.learner_course_hours(user_id=user.pk, course_ids=[course.pk]).get(course.pk)


@register.filter
def hours_for(earned: dict, course_id):
    return earned.get(course_id) if earned else None


@register.simple_tag
def course_hours_on_offer(course) -> selectors.CourseHoursOnOffer:
    """What completing the course will earn (and the final-exam bonus, if it has a final exam).
    No query when the course comes annotated with has_final_exam (the catalogue), one otherwise."""
    return selectors.course_hours_on_offer(course=course, has_final_exam=course_has_final_exam(course=course))
