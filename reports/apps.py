from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Department reports")

    def ready(self):
        from . import receivers  # noqa: F401  (connect the handlers)
