"""Required learning on My learning (a page of courses, which does not import assignments),
and the audit-log labels of assignments."""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from accounts.roles import is_city_admin
from courses.facets import MY_LEARNING_SECTIONS_HOOK, learner_course_facts

from . import admin_urls
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


@hooks.register("register_admin_urls")
def register_departments_admin_urls():
    return [path("departments/", include(admin_urls, namespace="departments_admin"))]


class CityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_departments_menu_item():
    return CityAdminMenuItem(
        _("Departments"), reverse("departments_admin:index"), name="departments", icon_name="site", order=8990
    )
