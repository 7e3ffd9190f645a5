"""A table's laptop loses the Wi-Fi: a save that cannot reach the server says so, keeps the
text and saves by itself when the connection is back; leaving with unsaved text asks first."""

import pytest
from playwright.sync_api import expect

from agents.models import Agent


@pytest.fixture
def on_agent_page(seated, live_server):
    """Ana's laptop on the table's agent page: (page, agent)."""
    page, _table, agent = seated
    page.goto(f"{live_server.url}/t/agents/{agent.pk}/")
    return page, agent


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_save_while_offline_is_kept_and_saved_when_the_connection_is_back(on_agent_page):
    page, agent = on_agent_page
    page.fill("#id_owner_name", "Priya Offline")
    page.context.set_offline(True)
    page.click("text=Save details")
    expect(page.locator("#agent-form [data-save-status]")).to_have_text(
        "Not saved: no connection. Your text is kept; it will be saved when the connection is back."
    )
    expect(page.locator("#connection-status")).to_contain_text("Offline")
    expect(page.locator("#id_owner_name")).to_have_value("Priya Offline")
    assert Agent.objects.get(pk=agent.pk).owner_name != "Priya Offline"

    page.context.set_offline(False)
    expect(page.locator("#connection-status")).to_contain_text(
        "after the connection came back", timeout=8000
    )
    expect(page.locator("#agent-form")).to_contain_text("Saved.")
    saved = Agent.objects.get(pk=agent.pk)
    assert (saved.owner_name, saved.version) == ("Priya Offline", 2)
    # The only errors are the failed send itself, as the browser and htmx log it.
    expected = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest")
    assert all(any(word in error for word in expected) for error in page.console_errors)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_leaving_with_unsaved_text_asks_first(on_agent_page):
    page, _agent = on_agent_page
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.fill("#id_owner_name", "Typed, not saved")
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_leaving_after_saving_does_not_ask(on_agent_page):
    page, _agent = on_agent_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.fill("#id_owner_name", "Typed and saved")
    page.click("text=Save details")
    expect(page.locator("#agent-form")).to_contain_text("Saved.")
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == []
