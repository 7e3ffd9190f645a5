"""A facilitator prepares a workshop in the browser: sign in, create it, import the Pillar 1
template filled with five agents, seat them at two tables, and read the agenda."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from agents.models import Agent
from tests import factories
from workshops.models import Workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENTS = [
    ("Invoice Triage Agent", "Matches invoices to purchase orders", "Accounts payable", 1),
    ("Service Copilot", "Drafts answers to shipment enquiries", "Customer service", 2),
    ("Quote Generator", "Prices ad-hoc freight requests", "Sales", 3),
    ("Customs Checker", "Checks declarations before filing", "Trade compliance", 4),
    ("Upsell Finder", "Finds customers for a premium tier", "Account management", 5),
]


def test_facilitator_sets_up_a_workshop_from_the_pillar_1_template(live_server, new_page, tmp_path):
    factories.make_facilitator(username="lead")
    page = new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()

    page.get_by_role("link", name="New workshop").first.click()
    page.get_by_label("Client organisation").fill("Globex Shipping")
    page.get_by_label("Date").fill("2026-12-14")
    page.get_by_label("Venue").fill("Harbour House")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.get_by_text("Globex Shipping").first).to_be_visible()
    workshop = Workshop.objects.get(client_organisation="Globex Shipping")

    # Two tables.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/tables/")
    for name in ("Table North", "Table South"):
        page.get_by_label("Table name").fill(name)
        page.get_by_role("button", name="Add table").click()
        expect(page.get_by_text(name).first).to_be_visible()

    # The template, filled with five agents.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/agents/import/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("template", re.I)).first.click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]][:7] == [
        "Name", "Description", "Business process", "Priority rank", "Owner", "Owner email", "Table",
    ]  # fmt: skip
    for row, (name, description, process, rank) in enumerate(AGENTS, start=2):
        values = [name, description, process, rank, "Ola Berg", "ola@globex.example", ""]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    filled = tmp_path / "agents.xlsx"
    filled.write_bytes(buffer.getvalue())

    page.locator("input[type=file]").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and check").click()
    for name, *_ in AGENTS:
        expect(page.get_by_text(name).first).to_be_visible()
    page.get_by_role("button", name="Import 5 agents").click()
    expect(page.get_by_text("Imported 5 agents (5 new, 0 updated)")).to_be_visible()
    assert Agent.objects.filter(workshop=workshop).count() == 5

    # Seat the first three at North and the rest at South, in bulk.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/agents/")
    for name, *_ in AGENTS[:3]:
        page.get_by_label(f"Tick {name}").check()
    page.locator("#bulk-table").select_option(label="Table North")
    page.get_by_role("button", name="Assign", exact=True).click()
    for name, *_ in AGENTS[3:]:
        page.get_by_label(f"Tick {name}").check()
    page.locator("#bulk-table").select_option(label="Table South")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("tr.unassigned")).to_have_count(0)
    seats = dict(Agent.objects.filter(workshop=workshop).values_list("name", "table__name"))
    assert seats == {
        "Invoice Triage Agent": "Table North",
        "Service Copilot": "Table North",
        "Quote Generator": "Table North",
        "Customs Checker": "Table South",
        "Upsell Finder": "Table South",
    }

    # The agenda, with the guide's blocks and computed times.
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Block 1"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Block 4"))).to_be_visible()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Agent Classification Exercise")
    )
    expect(row).to_contain_text("1:45")
    assert page.console_errors == []
