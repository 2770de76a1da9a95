from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users import apps as wagtail_users_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import audit, receivers  # noqa: F401  (receivers connects the leavers' handlers)

        user_logged_in.connect(audit.user_logged_in_receiver, dispatch_uid="accounts.audit.login")
        user_login_failed.connect(audit.user_login_failed_receiver, dispatch_uid="accounts.audit.login_failed")
        user_locked_out.connect(audit.user_locked_out_receiver, dispatch_uid="accounts.audit.locked_out")


class AccountsUsersAppConfig(wagtail_users_apps.WagtailUsersAppConfig):
    """Wagtail's users app with our user views (profile, department, role flags). Listed in
    INSTALLED_APPS in place of "wagtail.users"."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
