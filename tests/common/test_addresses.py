import pytest
from django.test import RequestFactory

from common.addresses import UNKNOWN, client_address


def request_from(remote="10.0.0.254", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_without_proxy_is_the_peer_whatever_the_header(settings):
    settings.BEHIND_PROXY = False
    assert client_address(request_from(forwarded="203.0.113.7")) == "10.0.0.254"


def test_client_address_behind_one_proxy_is_its_entry(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded="203.0.113.7")) == "203.0.113.7"


def test_client_address_behind_one_proxy_ignores_spoofed_entries_on_the_left(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = "1.2.3.4, 5.6.7.8,203.0.113.7"
    assert client_address(request_from(forwarded=spoofed)) == "203.0.113.7"


def test_client_address_behind_two_proxies_is_the_outer_proxys_entry(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 2
    chain = "1.2.3.4, 203.0.113.7, 10.0.0.3"
    assert client_address(request_from(forwarded=chain)) == "203.0.113.7"


def test_client_address_ipv6_entry_is_kept(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded="2001:db8::7")) == "2001:db8::7"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", " , ", "not-an-address", "203.0.113.7<script>", "\x00", "9" * 5000],
    ids=repr,
)
def test_client_address_missing_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(forwarded=forwarded)) == "10.0.0.254"


def test_client_address_fewer_entries_than_trusted_proxies_falls_back_to_the_peer(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from(forwarded="203.0.113.7")) == "10.0.0.254"


def test_client_address_without_peer_is_unknown(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == UNKNOWN == "0.0.0.0"  # noqa: S104


def test_client_address_of_a_peer_that_is_no_address_is_unknown(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="unix-socket")
    assert client_address(request) == UNKNOWN == "0.0.0.0"  # noqa: S104
