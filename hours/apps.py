from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = _("Credit hours")

    def ready(self):
        from . import receivers  # noqa: F401  (connect the handlers)
