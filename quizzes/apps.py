from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """Question banks and graded attempts. Knows nothing of courses: a course step links to a quiz."""

    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the published receiver
