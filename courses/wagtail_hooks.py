"""Admin hooks of courses: the history entry that lists the steps a course's review carries
(courses.review)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .review import STEPS_INCLUDED_ACTION


@hooks.register("register_log_actions")
def register_course_review_log_actions(actions):
    @actions.register_action(STEPS_INCLUDED_ACTION)
    class StepsIncludedFormatter(LogFormatter):
        label = _("Course review: steps included")

        def format_message(self, log_entry):
            steps = log_entry.data.get("steps", [])
            titles = pgettext("list separator", ", ").join(step["title"] for step in steps)
            return ngettext(
                "Reviewed with the course: %(count)d step (%(titles)s)",
                "Reviewed with the course: %(count)d steps (%(titles)s)",
                len(steps),
            ) % {"count": len(steps), "titles": titles}
