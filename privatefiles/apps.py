from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivateFilesConfig(AppConfig):
    name = "privatefiles"
    verbose_name = _("Private files")

    def ready(self):
        from . import checks  # noqa: F401  (register the system check)
