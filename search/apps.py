from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from .signals import connect_index_upkeep, disable_wagtail_index_handlers

        disable_wagtail_index_handlers()
        connect_index_upkeep()
