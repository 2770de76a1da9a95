from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users import apps as wagtail_users_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self):
        from . import receivers  # noqa: F401  (connect the handlers)


class AccountsUsersAppConfig(wagtail_users_apps.WagtailUsersAppConfig):
    """Wagtail's users app with our user views (profile, department, role flags). Listed in
    INSTALLED_APPS in place of "wagtail.users"."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
