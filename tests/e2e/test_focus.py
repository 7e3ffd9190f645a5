"""Keyboard use across swaps: a save moves focus to the form's status message, and a live
region that re-renders keeps the focused link focused."""

import pytest
from playwright.sync_api import expect

from tests import factories
from workshops import changes
from workshops.services import workshop_touch


def active(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_saving_with_the_keyboard_moves_focus_to_the_saved_message(seated, live_server):
    page, _table, agent = seated
    page.goto(f"{live_server.url}/t/agents/{agent.pk}/")
    page.locator("#id_owner_name").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Keyboard Kim")
    page.locator("#agent-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#agent-form")).to_contain_text("Saved.")
    page.wait_for_function("document.activeElement !== document.body")
    assert active(page)["text"] == "Saved."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_focused_link_keeps_focus_when_its_live_region_changes(seated, live_server):
    page, table, agent = seated
    link = page.locator(f'#table-live a[href="/t/agents/{agent.pk}/"]')
    link.focus()
    # Someone else joins the table: the workspace's region re-renders with its people.
    factories.make_participant(table=table, display_name="Ben")
    workshop_touch(workshop_id=table.workshop_id, scopes=changes.PEOPLE, table_ids=[table.pk])
    expect(page.locator("#table-live")).to_contain_text("Ben", timeout=6000)
    assert active(page) == {
        "tag": "A",
        "text": "Invoice Triage Agent",
        "href": f"/t/agents/{agent.pk}/",
    }
