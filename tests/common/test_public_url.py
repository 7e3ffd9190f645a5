"""Links the room can open: FINOPS_PUBLIC_URL wins; a page opened at 127.0.0.1 gives the room
the LAN address `serve` found; the presenter warns when other laptops may not reach it."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from common import addresses
from common.addresses import public_url, reachability_problem
from tests import factories
from workshops import live


@pytest.fixture
def lan():
    addresses.lan_url_set("http://192.168.1.20:8000/")
    yield "http://192.168.1.20:8000"
    addresses.lan_url_set("")


def request_at(host: str):
    return RequestFactory(HTTP_HOST=host).get("/")


def test_public_url_setting_wins_over_every_host(settings, lan):
    settings.PUBLIC_URL = "https://workshops.example.com"
    for host in ("127.0.0.1:8000", "192.168.1.20:8000", "laptop.local:8000"):
        assert public_url(request_at(host), "/join") == "https://workshops.example.com/join"
        assert reachability_problem(request_at(host)) is None


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.1.1"])
def test_loopback_page_gives_the_room_the_lan_address(settings, lan, host):
    settings.PUBLIC_URL = ""
    assert public_url(request_at(host), "/join") == "http://192.168.1.20:8000/join"
    problem = reachability_problem(request_at(host))
    assert "works on this laptop only" in problem
    assert "http://192.168.1.20:8000" in problem


def test_loopback_without_a_lan_address_says_nobody_can_join(settings):
    settings.PUBLIC_URL = ""
    addresses.lan_url_set("")
    assert public_url(request_at("127.0.0.1:8000"), "/join") == "http://127.0.0.1:8000/join"
    problem = reachability_problem(request_at("127.0.0.1:8000"))
    assert "other laptops cannot join" in problem
    assert "phone hotspot" in problem


def test_lan_address_page_keeps_its_own_address_and_no_warning(settings, lan):
    settings.PUBLIC_URL = ""
    assert public_url(request_at("192.168.1.20:8000"), "/join") == "http://192.168.1.20:8000/join"
    assert reachability_problem(request_at("192.168.1.20:8000")) is None
    assert reachability_problem(request_at("workshops.example.com")) is None


@pytest.mark.parametrize("host", ["laptop:8000", "Dana-MacBook.local:8000"])
def test_names_phones_cannot_look_up_are_warned(settings, host):
    settings.PUBLIC_URL = ""
    assert "cannot look up" in reachability_problem(request_at(host))


@pytest.mark.django_db
def test_presenter_and_projector_over_loopback_show_the_lan_address(client, settings, lan):
    settings.PUBLIC_URL = ""
    facilitator = factories.make_facilitator(username="host")
    workshop = factories.make_workshop(facilitator=facilitator)
    factories.make_table(workshop=workshop, name="Table A")
    client.force_login(facilitator)
    presenter = client.get(f"/workshops/{workshop.pk}/presenter/", HTTP_HOST="127.0.0.1:8000")
    assert "Other laptops may not reach this address." in presenter.text
    assert "http://192.168.1.20:8000" in presenter.text
    live.projector_show(workshop=workshop, view="join")
    projector = client.get(f"/workshops/{workshop.pk}/projector/", HTTP_HOST="127.0.0.1:8000")
    assert 'Join your table: <span class="pj-url">http://192.168.1.20:8000/join</span>' in (
        projector.text
    )
    assert "127.0.0.1" not in projector.text
    at_lan = client.get(f"/workshops/{workshop.pk}/presenter/", HTTP_HOST="192.168.1.20:8000")
    assert "Other laptops may not reach this address." not in at_lan.text


@pytest.mark.django_db
def test_finance_invite_link_uses_the_public_url(client, settings):
    settings.PUBLIC_URL = "https://workshops.example.com"
    facilitator = factories.make_facilitator(username="host")
    workshop = factories.make_workshop(facilitator=facilitator)
    client.force_login(facilitator)
    client.post(
        reverse("targets:invite_create", args=[workshop.pk]),
        {"name": "Ana Ruiz", "title": "Finance director", "valid_days": "3"},
        HTTP_HOST="127.0.0.1:8000",
    )
    page = client.get(
        reverse("targets:finance_status", args=[workshop.pk]), HTTP_HOST="127.0.0.1:8000"
    )
    assert "https://workshops.example.com/targets/finance/invite/" in page.text


@pytest.mark.slow
def test_public_url_without_a_scheme_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "FINOPS_PUBLIC_URL": "workshops.example.com",
            "DJANGO_SETTINGS_MODULE": "finops_workshop.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FINOPS_PUBLIC_URL must start with http:// or https://" in result.stderr


def test_serve_remembers_the_lan_address_it_prints(capsys):
    from workshops.management.commands.serve import Command

    try:
        Command().print_urls("10.1.2.3", 8000)
        request = request_at("127.0.0.1:8000")
        assert public_url(request, "/join") == "http://10.1.2.3:8000/join"
    finally:
        addresses.lan_url_set("")
