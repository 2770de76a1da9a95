"""Editor panels of course pages."""

from django.utils.functional import cached_property
from wagtail.admin.panels import Panel


class CourseReviewStepsPanel(Panel):
    """What a course's review covers besides the course page itself: the steps it carries (with
    a preview of the revision in review and a comparison with the live step), or, before
    submission, the steps that submitting the course will bring along (courses.review)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/course_review_steps_panel.html"

        @cached_property
        def course_review(self):
            if not self.instance.pk:
                return None
            return self.instance.current_workflow_state

        @cached_property
        def reviewed_steps(self):
            from courses.review import course_review_steps

            return course_review_steps(course_review=self.course_review) if self.course_review else []

        @cached_property
        def steps_to_submit(self):
            from courses.review import steps_with_unpublished_changes

            if not self.instance.pk or self.course_review is not None:
                return []
            return steps_with_unpublished_changes(course=self.instance)

        def is_shown(self):
            return bool(self.reviewed_steps or self.steps_to_submit)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["reviewed_steps"] = self.reviewed_steps
            context["steps_to_submit"] = self.steps_to_submit
            return context
