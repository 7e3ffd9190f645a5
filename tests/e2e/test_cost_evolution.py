"""The cost evolution story in a real browser: the default workload, told as of the newest date
the bundled prices reach, shows where its cost fell and by how much."""

import datetime
import os

import pytest
import time_machine
from playwright.sync_api import expect


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_evolution_page_shows_a_drop_for_the_default_workload(live_server, new_page):
    moment = datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=True):
        page = new_page()
        page.goto(f"{live_server.url}/foundation/evolution/")
        expect(page.locator(".prices-as-of")).to_contain_text(
            "Prices as of 21 Aug 2026 (newest price in the catalogue)."
        )
        expect(page.locator(".stale-prices")).to_contain_text("108 days older than today")
        expect(page.locator(".story-anchor")).to_contain_text("Told as of 21 Aug 2026")
        card = page.locator(".lens-class")
        expect(card).to_contain_text("GPT-4 class")
        # gemini-2.0-flash 18 months earlier, gpt-5-nano now: $39.52 and $26.75 a month.
        expect(card.locator(".headline")).to_contain_text("$39.52")
        expect(card.locator(".headline")).to_contain_text("$26.75")
        expect(card.locator(".headline-factor")).to_have_text("(1.5x cheaper)")
        expect(card.locator(".arithmetic")).to_contain_text("$39.52 ÷ $26.75 = 1.5x")
        expect(page.locator(".evolution-tables tr", has_text="24 (")).to_contain_text(
            "2.4x cheaper"
        )
        shot = os.environ.get("FINOPS_SCREENSHOT_DIR")
        if shot:
            page.screenshot(path=os.path.join(shot, "evolution.png"), full_page=True)
        assert page.console_errors == []
