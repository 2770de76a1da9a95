from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city: departments, people and courses from the origin document."""

    name = "demo"
    verbose_name = _("Demo city")
