"""Behind a reverse proxy, login throttling and the audit trail read the client's address from
X-Forwarded-For (the proxy's own address is the same for everyone)."""

import pytest
from django.test import Client, RequestFactory
from wagtail.models import ModelLogEntry

from accounts.audit import LOGIN_ACTION
from accounts.client_address import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _reset_axes():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def behind_proxy(address: str) -> Client:
    # nginx's $proxy_add_x_forwarded_for: what the client sent, then the address nginx saw.
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.66, {address}")


def test_failures_from_one_address_behind_the_proxy_do_not_lock_out_another(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="zhou")
    attacker = behind_proxy("198.51.100.7")
    # Failures on many usernames: only the address throttle (AXES_LOCKOUT_PARAMETERS lists
    # "username" and "ip_address" as separate parameters, each locking on its own) can see them.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": f"guess{attempt}", "password": "wrong-password"})
    assert attacker.post(LOGIN, {"username": "zhou", "password": PASSWORD}).status_code == 429
    # A colleague behind the same proxy signs in.
    assert behind_proxy("198.51.100.8").post(LOGIN, {"username": "zhou", "password": PASSWORD}).status_code == 302


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_address(settings):
    # What the issue reported: the proxy's address is the only one axes sees.
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="zhou")
    attacker = behind_proxy("198.51.100.7")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": f"guess{attempt}", "password": "wrong-password"})
    assert behind_proxy("198.51.100.8").post(LOGIN, {"username": "zhou", "password": PASSWORD}).status_code == 429


def test_the_audit_trail_records_the_address_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(username="wang")
    assert behind_proxy("198.51.100.9").post(LOGIN, {"username": "wang", "password": PASSWORD}).status_code == 302
    entry = ModelLogEntry.objects.get(action=LOGIN_ACTION, object_id=str(user.pk))
    assert entry.data["ip_address"] == "198.51.100.9"


@pytest.mark.parametrize(
    ("count", "trusted", "remote", "forwarded", "expected"),
    [
        (0, [], PROXY, "198.51.100.1", PROXY),  # no proxy configured: the header is ignored
        (1, [], PROXY, "198.51.100.1", "198.51.100.1"),
        (1, [], PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client's own header is not read
        (2, [], PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, [], PROXY, "198.51.100.1", PROXY),  # fewer hops than proxies: not through them
        (1, [], PROXY, "not-an-address", PROXY),
        (1, ["10.0.0.0/24"], PROXY, "198.51.100.1", "198.51.100.1"),
        (1, ["10.0.0.0/24"], "192.0.2.5", "198.51.100.1", "192.0.2.5"),  # around the proxy: own address
        (1, [], PROXY, "", PROXY),
    ],
)
def test_client_address_rule(settings, count, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_IPS = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
