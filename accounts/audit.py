"""The account events of the audit trail: sign-ins, failed sign-ins, lockouts (django-axes) and
unlocks, written as Wagtail log entries (`ModelLogEntry`) on the account.

A failed sign-in or a lockout for a username that belongs to nobody is still recorded, without
creating anyone: its entry has the user model's content type, `object_id` NO_ACCOUNT ("0", which
no row has; Wagtail's listings then show the label without a link) and the typed username as
its label. The receivers are connected in AccountsConfig.ready()."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .client_address import client_ip

LOGIN_ACTION = "accounts.login"
LOGIN_FAILED_ACTION = "accounts.login_failed"
LOCKED_OUT_ACTION = "accounts.locked_out"
UNLOCKED_ACTION = "accounts.unlocked"

NO_ACCOUNT = "0"
USERNAME_MAX_LENGTH = 150  # what is typed into the form is cut to the longest username


def _client_ip(request) -> str:
    # The same rule as login throttling (AXES_CLIENT_IP_CALLABLE).
    return client_ip(request)


def account_event_log(*, action: str, username: str, request=None, account=None, actor=None, data=None):
    """One audit entry for an event of the account `username` (or `account`). `actor` is who
    did it (the person signing in, the admin who unlocked); none for a failed sign-in."""
    username = (username or "")[:USERNAME_MAX_LENGTH]
    data = {"username": username, "ip_address": _client_ip(request), **(data or {})}
    User = get_user_model()
    if account is None and username:
        account = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if account is not None:
        return log(instance=account, action=action, user=actor, data=data)
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=NO_ACCOUNT,
        label=username or "—",
        action=action,
        timestamp=timezone.now(),
        data=data,
        user=actor,
    )


def user_logged_in_receiver(sender, request, user, **kwargs):
    account_event_log(action=LOGIN_ACTION, username=user.get_username(), request=request, account=user, actor=user)


def user_login_failed_receiver(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    account_event_log(action=LOGIN_FAILED_ACTION, username=username, request=request)


def user_locked_out_receiver(sender, request=None, username=None, ip_address=None, **kwargs):
    account_event_log(
        action=LOCKED_OUT_ACTION, username=str(username or ""), request=request, data={"ip_address": ip_address or ""}
    )
