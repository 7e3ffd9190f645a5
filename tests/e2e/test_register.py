"""The facilitator downloads the Agent Economics Register in a real browser."""

from io import BytesIO

import pypdf
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_register_download_from_the_workshop_page(live_server, document_worker, new_page, tmp_path):
    host = factories.make_user(username="host", first_name="Ana", last_name="Facilitator")
    workshop = factories.make_workshop(facilitator=host, client_organisation="Acme Freight")
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.make_agent(workshop=workshop, table=table, name="Invoice Triage Agent")
    factories.classify_agent(agent)
    factories.make_agent_kpi(agent=agent, name="Hours spent matching invoices per week")
    base = live_server.url

    page = new_page()
    sign_in(page, base, "host")
    page.goto(f"{base}/workshops/{workshop.pk}/")
    page.get_by_role("link", name="Preview the register").click()
    expect(page.locator("h1").first).to_have_text("Agent Economics Register")
    expect(page.locator(".register-preview")).to_contain_text("Invoice Triage Agent")
    expect(page.locator("svg.target-chart")).to_have_count(0)

    # The link opens the progress page; the worker renders the file, the page offers it.
    page.get_by_role("link", name="Download PDF").click()
    expect(page.locator("h1")).to_have_text("The register")
    expect(page.locator("#document-status")).to_contain_text("Preparing the register")
    assert document_worker() == 1
    ready = page.get_by_role("link", name="Download agent-economics-register-acme-freight")
    with page.expect_download() as pdf_download:
        ready.click()
    download = pdf_download.value
    assert download.suggested_filename == "agent-economics-register-acme-freight-2026-12-10.pdf"
    pdf_path = tmp_path / "register.pdf"
    download.save_as(pdf_path)
    reader = pypdf.PdfReader(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Hours spent matching invoices per week" in text
    assert reader.metadata.title == "Agent Economics Register: Acme Freight"

    page.go_back()
    page.get_by_role("link", name="Download spreadsheet (XLSX)").click()
    expect(page.locator("#document-status")).to_contain_text("Preparing the register")
    assert document_worker() == 1
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download agent-economics-register-acme-freight").click()
    xlsx_path = tmp_path / "register.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    book = load_workbook(BytesIO(xlsx_path.read_bytes()))
    assert book["Agents"]["B2"].value == "Invoice Triage Agent"
    # The preview keeps to the strict Content-Security-Policy (no inline script or style).
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
