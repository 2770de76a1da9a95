"""Audit-log labels of the credit-hour ledger, and a learner's hours on the pages of courses."""

from functools import partial

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.facets import COURSE_FACTS_HOOK, provides
from courses.selectors import course_has_final_exam

from . import selectors
from .services import (
    INTEGRITY_ACTION,
    OFFLINE_APPROVED_ACTION,
    OFFLINE_REJECTED_ACTION,
    RESTORED_ACTION,
    REVIEW_APPROVED_ACTION,
    REVIEW_REJECTED_ACTION,
    REVOKED_ACTION,
)


@hooks.register("register_log_actions")
def register_hours_log_actions(actions):
    actions.register_action(REVOKED_ACTION, _("Revoke credit hours"), _("Credit hours revoked"))
    actions.register_action(RESTORED_ACTION, _("Restore credit hours"), _("Credit hours restored"))
    actions.register_action(OFFLINE_APPROVED_ACTION, _("Approve offline training"), _("Offline training approved"))
    actions.register_action(OFFLINE_REJECTED_ACTION, _("Reject offline training"), _("Offline training rejected"))
    actions.register_action(REVIEW_APPROVED_ACTION, _("Approve course hours"), _("Course hours approved on review"))
    actions.register_action(INTEGRITY_ACTION, _("Decide on an integrity finding"), _("Integrity finding decided"))
    actions.register_action(REVIEW_REJECTED_ACTION, _("Reject course hours"), _("Course hours rejected on review"))


def _hours_on_offer(course) -> selectors.CourseHoursOnOffer:
    return selectors.course_hours_on_offer(course=course, has_final_exam=course_has_final_exam(course=course))


@hooks.register(COURSE_FACTS_HOOK)
@provides("earned_hours")
def learner_hours_facts(user, courses):
    """earned_hours: what the learner earned for each course (None: nothing yet), the one figure
    of hours.selectors.earned_course_hours (one query, asked only by a page that shows it: a
    completed course's card, My learning)."""
    earned = selectors.learner_course_hours(user_id=user.pk, course_ids=[course.pk for course in courses])
    return {course.pk: {"earned_hours": earned.get(course.pk)} for course in courses}


@hooks.register(COURSE_FACTS_HOOK)
@provides("hours_on_offer")
def course_hours_on_offer_facts(user, courses):
    """hours_on_offer: what completing each course will earn, called by a template only where it
    is shown (no query when the course is annotated with has_final_exam, as the catalogue's are).
    A provider of its own so that a page of courses nobody completed asks the ledger nothing."""
    return {course.pk: {"hours_on_offer": partial(_hours_on_offer, course)} for course in courses}
