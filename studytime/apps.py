from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyTimeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "studytime"
    verbose_name = _("Study time")
