"""Admin hooks of courses: names for the editor's rich-text boxes and the admin's dialogs, the history entry that lists the steps a course's review carries
(courses.review), and workflow history entries that show workflow and task names in the admin's
language (courses.workflow_names); and the check that sends a CMS document only to people who may
open a page that uses it (courses.selectors.cms_file_sendable)."""

from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .review import STEPS_INCLUDED_ACTION
from .selectors import cms_file_sendable
from .workflow_names import translated_log_entry

WORKFLOW_LOG_ACTIONS = [
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.cancel",
]


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


class TranslatedNamesFormatter(LogFormatter):
    """Wagtail's formatter for a workflow action, given the entry with its names translated."""

    def __init__(self, wrapped: LogFormatter):
        self.wrapped = wrapped
        self.label = wrapped.label

    def format_message(self, log_entry):
        return self.wrapped.format_message(translated_log_entry(log_entry))

    def format_comment(self, log_entry):
        return self.wrapped.format_comment(log_entry)


# After Wagtail's own registrations (order 0), whose formatters these wrap. The formatter is
# replaced in place: registering it again would list the action twice in the history filter.
@hooks.register("register_log_actions", order=1)
def translate_workflow_names_in_history(actions):
    for action in WORKFLOW_LOG_ACTIONS:
        if action in actions.formatters:
            actions.formatters[action] = TranslatedNamesFormatter(actions.formatters[action])


@hooks.register("insert_editor_js")
def editor_textbox_labels():
    return format_html('<script src="{}" defer></script>', static("js/admin_editor_labels.js"))


# Every admin page, not only editors: choosers and confirmations open dialogs everywhere.
@hooks.register("insert_global_admin_js")
def admin_dialog_names():
    return format_html('<script src="{}" defer></script>', static("js/admin_dialog_names.js"))


@hooks.register("before_serve_document")
def serve_documents_to_who_may_open_their_pages(document, request):
    """A document used only in steps of a restricted course (or pages behind Wagtail's privacy
    settings) goes only to people who may open one of them; everyone else gets a 404, as if it
    did not exist. Editors who may change or choose it in the admin always get it (previews,
    drafts). Wagtail's collection privacy hook still runs after this one. Images: the same
    check in courses.views.cms_image_view."""
    if cms_file_sendable(request=request, obj=document):
        return None
    raise Http404
