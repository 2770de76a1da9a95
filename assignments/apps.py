from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Required learning")

    def ready(self):
        from . import receivers  # noqa: F401  (connect the handlers)
