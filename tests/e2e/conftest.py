"""What every browser test does the same way: a facilitator signs in, a laptop joins its
table. (The browser itself and `new_page` are in tests/conftest.py.)"""

import pytest

from tests import factories


def sign_in(page, base, username):
    """Sign `username` in on the sign-in page, as a facilitator or finance reviewer would."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workshops/**")


def join(page, base, code, name):
    """Join a table with its code under `name`, as a laptop at the table would."""
    page.goto(f"{base}/join?code={code}")
    page.fill("#id_display_name", name)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/t/")


@pytest.fixture
def seated(live_server, new_page):
    """A running workshop with one table and one agent, and a laptop (Ana's) joined to the
    table, on its workspace: (page, table, agent)."""
    from workshops import live

    workshop = factories.make_workshop(client_organisation="Seated Co")
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.make_agent(table=table, name="Invoice Triage Agent")
    live.run_start(workshop=workshop)
    page = new_page()
    join(page, live_server.url, table.join_code, "Ana")
    return page, table, agent
