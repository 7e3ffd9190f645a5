"""A new workshop takes the facilitator's browser time zone."""

import pytest

from tests import factories
from tests.e2e.conftest import sign_in
from workshops.models import Workshop

pytestmark = pytest.mark.e2e


def test_a_new_workshop_takes_the_browsers_zone(live_server, browser):
    factories.make_facilitator(username="fac")
    context = browser.new_context(timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "fac")
        page.goto(f"{live_server.url}/workshops/new/")
        assert page.input_value("#id_time_zone") == "Asia/Tokyo"
        page.fill("#id_client_organisation", "Tokyo Freight")
        page.fill("#id_date", "2026-12-10")
        page.fill("#id_start_time", "13:30")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/workshops/*/")
        saved = Workshop.objects.get(client_organisation="Tokyo Freight")
        assert (saved.time_zone, saved.start_time.isoformat()) == ("Asia/Tokyo", "13:30:00")
        assert "13:30 Asia/Tokyo (JST)" in " ".join(page.inner_text("main").split())
    finally:
        context.close()


def test_editing_keeps_the_saved_zone(live_server, browser):
    facilitator = factories.make_facilitator(username="fac")
    workshop = factories.make_workshop(facilitator=facilitator, time_zone="Europe/Berlin")
    context = browser.new_context(timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "fac")
        page.goto(f"{live_server.url}/workshops/{workshop.pk}/edit/")
        assert page.input_value("#id_time_zone") == "Europe/Berlin"
    finally:
        context.close()
