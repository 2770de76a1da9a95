from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction, Task, Workflow
        from wagtail.workflows import get_task_types

        from . import completion, receivers, review_notifications, signals, workflow_names  # noqa: F401
        from .selectors import forget_view_restrictions_flag

        for signal in (post_save, post_delete):
            signal.connect(
                forget_view_restrictions_flag,
                sender=PageViewRestriction,
                dispatch_uid=f"courses.forget_view_restrictions_flag.{signal is post_save}",
            )

        workflow_names.connect([Workflow, Task, *get_task_types()])
        review_notifications.connect()
