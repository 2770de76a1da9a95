from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.models import Task, Workflow
        from wagtail.workflows import get_task_types

        from . import completion, receivers, review_notifications, signals, workflow_names  # noqa: F401

        workflow_names.connect([Workflow, Task, *get_task_types()])
        review_notifications.connect()
