"""The address a request came from, the one every throttle counts against."""

import ipaddress
import os

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


# --- Addresses other machines can open --------------------------------------------------------

# The LAN address `serve` found and printed first (e.g. "http://192.168.1.20:8000"); set by
# `serve` before it starts the web server, in its environment too, so that worker processes
# started afresh (not forked) know it as well.
LAN_URL_VARIABLE = "FINOPS_LAN_URL"


def lan_url_set(url: str) -> None:
    """Remember the LAN address `serve` prints, for links made from a loopback request."""
    if url:
        os.environ[LAN_URL_VARIABLE] = url.rstrip("/")
    else:
        os.environ.pop(LAN_URL_VARIABLE, None)


def _lan_url() -> str:
    return os.environ.get(LAN_URL_VARIABLE, "")


def _host_name(request: HttpRequest) -> str:
    host = request.get_host()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.index("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_url(request: HttpRequest, path: str) -> str:
    """The address of `path` that the other laptops, phones and QR codes in the room can open:
    FINOPS_PUBLIC_URL when set; otherwise the address this page was opened at, unless that
    is this machine's loopback (127.0.0.1, localhost), in which case the LAN address `serve`
    found."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    if _lan_url() and is_loopback(_host_name(request)):
        return _lan_url() + path
    return request.build_absolute_uri(path)


def reachability_problem(request: HttpRequest) -> str | None:
    """Why the links this page gives the room may not open on other machines, in words a
    facilitator understands; None when nothing is known to be wrong."""
    if settings.PUBLIC_URL:
        return None
    host = _host_name(request)
    if is_loopback(host):
        if _lan_url():
            return (
                f"You opened this page at {host}, an address that works on this laptop only. "
                f"The join screen, QR codes and invite links use {_lan_url()} instead, which other "
                "laptops on the same Wi-Fi can open."
            )
        return (
            f"You opened this page at {host}, an address that works on this laptop only, and "
            "no network address was found: other laptops cannot join. Connect this laptop to "
            "the venue's Wi-Fi (or a phone hotspot) and restart the server."
        )
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if "." not in host or host.lower().endswith(".local"):
            return (
                f"The join links use the name {host}, which many phones and laptops cannot "
                "look up. Open this page at the numeric address the server printed (like "
                "http://192.168.1.20:8000) so the links use it."
            )
    return None
