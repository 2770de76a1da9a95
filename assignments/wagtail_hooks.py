"""Required learning on My learning (a page of courses, which does not import assignments),
and the audit-log labels of assignments."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from courses.facets import MY_LEARNING_SECTIONS_HOOK, learner_course_facts

from .selectors import learner_required
from .services import ASSIGNMENT_CHANGED_ACTION, ASSIGNMENT_CREATED_ACTION, ASSIGNMENT_WITHDRAWN_ACTION


@hooks.register(MY_LEARNING_SECTIONS_HOOK)
def required_learning_section(request) -> str | None:
    """The learner's required courses, open ones first; nothing when none is assigned."""
    items = learner_required(user=request.user)
    if not items:
        return None
    facts = learner_course_facts(user=request.user, courses=[item["course"] for item in items])
    return render_to_string(
        "assignments/_my_learning_section.html", {"items": items, "course_facts": facts}, request=request
    )


@hooks.register("register_log_actions")
def register_assignments_log_actions(actions):
    @actions.register_action(ASSIGNMENT_CREATED_ACTION)
    class AssignmentCreatedFormatter(LogFormatter):
        label = _("Assign a course")

        def format_message(self, log_entry):
            people = (log_entry.data or {}).get("people", 0)
            return ngettext("Course assigned to %(people)s person", "Course assigned to %(people)s people", people) % {
                "people": people
            }

    @actions.register_action(ASSIGNMENT_CHANGED_ACTION)
    class AssignmentChangedFormatter(LogFormatter):
        label = _("Change an assignment")

    @actions.register_action(ASSIGNMENT_WITHDRAWN_ACTION)
    class AssignmentWithdrawnFormatter(LogFormatter):
        label = _("Withdraw an assignment")
