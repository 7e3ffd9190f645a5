"""The run sheet, the floor / target / stretch sheet per KPI, and the physical materials on
the materials page."""

from io import BytesIO

import pypdf
import pytest
from django.urls import reverse

from kpis.models import AgentKpi
from reports import materials
from tests import factories
from tests.documents import download
from workshops.models import AgendaItem


def _pdf(response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(BytesIO(response.content))


def _text(page) -> str:
    return " ".join(page.extract_text().replace("\x00", "").split())


@pytest.fixture
def facilitator_of(client):
    def login(workshop):
        client.force_login(workshop.facilitators.get())
        return client

    return login


# --- Run sheet ---------------------------------------------------------------------------------
def test_run_sheet_rows_follow_the_agenda(register_workshop):
    rows = materials.run_sheet(register_workshop)
    assert len(rows) == 13
    assert (rows[0].start, rows[0].end, rows[0].minutes, rows[0].title) == (
        "0:00",
        "0:15",
        15,
        "Welcome & Context Setting",
    )
    assert rows[0].notes == ["Connect to the overall OAIO journey; why FinOps matters now."]
    assert rows[0].tips == [
        "This workshop requires completed Pillar 1 outputs (prioritised agent opportunities)."
    ]
    assert (rows[5].start, rows[5].title) == ("1:30", "Bottom Line vs. Top Line Framework")
    assert (rows[-1].start, rows[-1].end, rows[-1].title) == ("3:50", "4:00", "Commitment & Close")
    # The agenda's notes already push back on vague KPIs: the tip is not repeated.
    assert rows[8].tips == []
    assert rows[12].tips == [
        "Finance stakeholder presence in Block 4 is non-negotiable for target validation."
    ]


def test_run_sheet_pdf_lists_every_activity_with_notes_and_tips(facilitator_of, register_workshop):
    AgendaItem.objects.filter(workshop=register_workshop, position=1).update(
        facilitator_notes="Welcome <script>alert(1)</script> and Wünsche"
    )
    client = facilitator_of(register_workshop)
    response = download(client, reverse("reports:run_sheet", args=[register_workshop.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="run-sheet-acme-freight-2026-12-10.pdf"'
    )
    text = " ".join(_text(page) for page in _pdf(response).pages)
    assert "AI FinOps Workshop: run sheet" in text
    assert "the whole agenda takes 4:00" in text
    assert (
        "09:00-09:15 0:00-0:15 15 Welcome & Context Setting Welcome <script>alert(1)</script> "
        "and Wünsche" in text
    )
    assert (
        "10:00-10:15 1:00-1:15 15 Break-Even Economics API vs. self-hosted decision framework."
        in text
    )
    assert 'Push back on vague KPIs: "improve efficiency" is not a KPI.' in text
    assert "Tip: Document assumptions behind every target for future reference." in text
    assert "12:50-13:00 3:50-4:00 10 Commitment & Close" in text


def test_run_sheet_of_an_empty_agenda(facilitator_of, register_workshop):
    AgendaItem.objects.filter(workshop=register_workshop).delete()
    client = facilitator_of(register_workshop)
    response = download(client, reverse("reports:run_sheet", args=[register_workshop.pk]))
    assert "No activities on the agenda yet." in _text(_pdf(response).pages[0])


# --- Floor / target / stretch sheets -----------------------------------------------------------
def test_target_sheets_one_page_per_kpi_prefilled(facilitator_of, register_workshop):
    AgentKpi.objects.filter(name__startswith="Hours").update(
        good_enough="Month-end overtime stops", transformational="No manual matching"
    )
    client = facilitator_of(register_workshop)
    response = download(client, reverse("reports:target_sheets", args=[register_workshop.pk]))
    reader = _pdf(response)
    assert len(reader.pages) == 2
    first, second = (_text(page) for page in reader.pages)
    assert first.startswith(
        "VALUE TARGET SHEET · BLOCK 4 · ACME FREIGHT, 10 DECEMBER 2026 "
        "Hours spent matching invoices per week Agent Invoice Triage Agent Table Table A"
    )
    assert "Baseline 120.5 hours per week, measured 1 Nov 2026" in first
    assert "Good enough Month-end overtime stops Transformational No manual matching" in first
    # Evidence 36 % and 25 % (mean 30.5 %), adoption 50 % and 80 %.
    assert "Floor Go/no-go decision 111.31 105.8" in first
    assert "Target Planning & budgeting 102.12 91.1" in first
    assert "Stretch Incentive alignment 92.94 76.4" in first
    assert first.endswith("AI FinOps Workshop · printed materials Page 1 of 2")
    assert second.startswith(
        "VALUE TARGET SHEET · BLOCK 4 · ACME FREIGHT, 10 DECEMBER 2026 "
        "Invoices needing rework per month"
    )
    assert "No baseline yet: establish it before confirming targets." in second


def test_target_sheets_blank_without_kpis(db, facilitator_of):
    workshop = factories.make_workshop(client_organisation="Empty Co")
    client = facilitator_of(workshop)
    reader = _pdf(download(client, reverse("reports:target_sheets", args=[workshop.pk])))
    assert len(reader.pages) == 1
    assert "KPI:" in _text(reader.pages[0])


def test_paper_materials_refused_to_others(client, register_workshop):
    other = factories.make_facilitator(username="other")
    client.force_login(other)
    for name in ("run_sheet", "target_sheets"):
        assert client.get(reverse(f"reports:{name}", args=[register_workshop.pk])).status_code in (
            403,
            404,
        )


# --- The materials page ------------------------------------------------------------------------
def test_materials_page_lists_the_physical_materials(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    html = client.get(reverse("reports:materials", args=[register_workshop.pk])).content.decode()
    assert "Flip charts or a whiteboard, with markers" in html
    assert "Projector and screen" in html
    assert "Name cards for every participant" in html
    assert reverse("reports:run_sheet", args=[register_workshop.pk]) in html
    assert reverse("reports:target_sheets", args=[register_workshop.pk]) in html
