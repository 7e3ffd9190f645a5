"""The live room as the facilitator and two people at one table use it, in real browsers."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import join, sign_in
from workshops import live


def seconds_shown(page) -> int:
    """The remaining seconds the page's countdown shows (drawn by room.js)."""
    shown = page.wait_for_function(
        "() => document.querySelector('[data-countdown]')?.getAttribute('data-seconds')"
    )
    return int(shown.json_value())


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_live_room_edit_reaches_board_and_table_within_seconds(live_server, new_page):
    facilitator = factories.make_user(username="host")
    workshop = factories.make_workshop(facilitator=facilitator, client_organisation="Acme")
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.make_agent(table=table, name="Invoice Triage Agent")
    base = live_server.url

    presenter = new_page()
    sign_in(presenter, base, "host")
    presenter.goto(f"{base}/workshops/{workshop.pk}/presenter/")
    presenter.click("#control-start")
    expect(presenter.locator("#run-state")).to_have_text("Running")
    projector = presenter.context.new_page()
    projector.console_errors = []
    projector.on(
        "console",
        lambda msg: projector.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    projector.goto(f"{base}/workshops/{workshop.pk}/projector/")
    expect(projector.locator(".pj-title")).to_have_text("Welcome & Context Setting")
    expect(projector.locator(".site-header")).to_have_count(0)
    presenter.click("#show-board")
    expect(projector.locator("#projector-live")).to_have_attribute(
        "data-view", "board", timeout=3000
    )

    ana = new_page()
    ben = new_page()
    join(ana, base, table.join_code, "Ana")
    join(ben, base, table.join_code, "Ben")
    expect(ana.locator("#people-heading + .people")).to_contain_text("Ben", timeout=3000)

    ana.click("text=Invoice Triage Agent")
    ana.fill("#id_name", "Invoice Triage Agent v2")
    ana.click("text=Save details")
    expect(ana.locator("#agent-form")).to_contain_text("Saved.")

    expect(projector.locator("#projector-live")).to_contain_text(
        "Invoice Triage Agent v2", timeout=3000
    )
    expect(ben.locator("#table-live")).to_contain_text("Invoice Triage Agent v2", timeout=3000)
    agent.refresh_from_db()
    assert agent.name == "Invoice Triage Agent v2"

    # Every screen draws the same second from the server's clock.
    presenter_seconds = seconds_shown(presenter)
    ana_seconds = seconds_shown(ana)
    ben_seconds = seconds_shown(ben)
    assert abs(ana_seconds - ben_seconds) <= 1
    assert abs(presenter_seconds - ben_seconds) <= 1
    assert 0 < ben_seconds <= 15 * 60

    # A reload loses nothing: the countdown comes back at the same second.
    ben.reload()
    assert abs(seconds_shown(ben) - seconds_shown(ana)) <= 1

    # Pausing freezes every screen at the same remaining time.
    live.run_pause(workshop=workshop)
    expect(ben.locator(".now-strip .badge")).to_have_text("Paused", timeout=3000)
    expect(ana.locator(".now-strip .badge")).to_have_text("Paused", timeout=3000)
    assert seconds_shown(ana) == seconds_shown(ben)

    # No script errors and no Content-Security-Policy violations (the favicon's 404 aside).
    for page in (presenter, projector, ana, ben):
        assert [e for e in page.console_errors if "status of 404" not in e] == []
