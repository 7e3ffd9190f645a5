"""The address a request came from, the one every throttle counts against."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Stands for a peer that gave no usable address (a test client, a Unix socket): a real
# address, since sign-in attempts store it in an IP address column (inet on PostgreSQL).
UNKNOWN = "0.0.0.0"  # noqa: S104  (never bound: only counted against)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket's peer, or behind `BEHIND_PROXY` the entry of
    X-Forwarded-For written by the outermost of the `TRUSTED_PROXY_COUNT` trusted proxies.

    Each proxy appends the address it received the request from, so only the last
    `TRUSTED_PROXY_COUNT` entries are trustworthy; anything further left was written by the
    client and is ignored. A header with fewer entries than trusted proxies, or one that is not
    an address, falls back to the peer address.
    """
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN
    if not _valid(remote):
        remote = UNKNOWN
    if not settings.BEHIND_PROXY:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or len(forwarded) < count:
        return remote
    address = forwarded[-count]
    return address if _valid(address) else remote
