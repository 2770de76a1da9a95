"""The client's address, one rule for login throttling (django-axes, through
AXES_CLIENT_IP_CALLABLE) and the sign-in entries of the audit trail.

Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it received the request
from to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), the client is the
TRUSTED_PROXY_COUNT-th address from the right: the last proxy is REMOTE_ADDR, the ones before it
appended the addresses they saw. Everything to the left of that was sent by the client and can be
made up, so it is never read (django-ipware's default, the left-most address, can be). When
TRUSTED_PROXY_IPS is set, the header is read only on requests whose REMOTE_ADDR is one of those
addresses or networks; a request that reaches us around the proxy keeps its own address."""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def _trusted(remote: str) -> bool:
    trusted = getattr(settings, "TRUSTED_PROXY_IPS", [])
    if not trusted:
        return True
    try:
        remote_ip = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(remote_ip in ipaddress.ip_network(network, strict=False) for network in trusted)


def client_ip(request) -> str:
    """The address of the client that sent `request` ("" when there is none)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0 or not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return _valid(forwarded[-proxies]) or remote
