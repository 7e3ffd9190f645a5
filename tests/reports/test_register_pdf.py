"""The register PDF, read back with pypdf: every section, the fixture's exact values,
bookmarks, metadata, the DRAFT mark, and user text printed as text."""

from io import BytesIO

import pypdf
import pytest

from common import pdf
from foundation.models import GlossaryTerm
from reports import exporters, selectors
from targets import services as target_services
from targets.models import FinanceSignOff
from tests import factories

from .conftest import THESIS_MECHANISM, THESIS_SUBJECT

HOSTILE_NAME = '<img src="file:///etc/passwd"><script>alert(1)</script>'


def _read(content: bytes) -> pypdf.PdfReader:
    assert content.startswith(b"%PDF-")
    return pypdf.PdfReader(BytesIO(content))


def _text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    titles = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((depth, item.title))

    walk(reader.outline, 1)
    return titles


_rendered: dict[str, exporters.Export] = {}


@pytest.fixture
def register_pdf(register_workshop):
    """The fixture workshop's register, rendered once for this module (rendering is the slow
    part; the data is rebuilt the same way for every test)."""
    if "export" not in _rendered:
        _rendered["export"] = exporters.register_pdf(register_workshop)
    export = _rendered["export"]
    return export, _read(export.content)


def test_register_pdf_export_names_the_file(register_pdf):
    export, _ = register_pdf
    assert export.filename == "agent-economics-register-acme-freight-2026-12-10.pdf"
    assert export.content_type == "application/pdf"


def test_register_pdf_cover_shows_the_workshop(register_pdf):
    _, reader = register_pdf
    cover = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "Agent Economics Register",
        "Client Acme Freight",
        "Workshop AI FinOps Workshop",
        "Date 10 December 2026",
        "Venue Head office, Room 4.01",
        "Facilitators Ana Facilitator",
        "Fiona Finance",
        "Status Draft: 0 of 2 agents signed off",
        "Currency EUR",
    ]:
        assert expected in cover


def test_register_pdf_has_every_section_with_the_fixture_values(register_pdf):
    _, reader = register_pdf
    text = _text(reader)
    thesis = f"This agent exists to reduce the cost of {THESIS_SUBJECT} by {THESIS_MECHANISM}."
    for expected in [
        "Contents",
        "Portfolio summary",
        "2 agents; 0 signed off by finance.",
        "Invoice Triage Agent",
        "Upsell Lead Finder",
        "Bottom line (cost reduction)",
        "Labour savings",
        thesis,
        "Not classified",
        "Hours spent matching invoices per week",
        "Efficiency (Bottom Line)",
        "Lower is better",
        "SAP invoice log",
        "Owner: AP team lead",
        "Measurable today",
        "120.5 hours per week",
        "as of 1 Nov 2026; October AP report",
        "Invoices needing rework per month",
        "Quality (Both)",
        "Needs instrumentation",
        "No baseline yet",
        "Value targets",
        "Level 6 months 12 months Baseline 120.5 Floor 110 95 Target 100 80 Stretch 90 65",
        "Invoices needing rework per month (invoices per month, lower is better) "
        "No targets set yet.",
        "Benchmark evidence",
        "Vendor case study: global shipper Vendor case study 60 % 40 % 36 % "
        "Vendor white paper 2025",
        "Peer logistics firm Similar organisation 25 % none 25 % Industry round table",
        "Expected improvement for Hours spent matching invoices per week: 30.5 %.",
        "Constraints and adoption",
        "Change management, Data readiness AP clerks need retraining 50 % 80 %",
        "Assumptions",
        "Invoice volume stays near 4,000 a month. Clerks adopt the exception queue by March.",
        "Economics",
        "Value per unit 45.00 EUR",
        "Run cost per month 1,000.00 EUR",
        "One-off build cost 25,000.00 EUR",
        "Target 3,997.50 7,897.50 71,370.00 37,000.00 1.93× 7 months",
        "Finance sign-off",
        "Not signed off",
        "Open actions",
        "Establish baseline for Invoices needing rework per month (Invoice Triage Agent)",
        "Action register",
        "Compile Agent Economics Register",
        "Validate targets with leadership",
        "Client Finance",
        "13 Dec 2026",
        "Assumptions log",
        "Knowledge-check summary",
        "Appendix: Glossary",
    ]:
        assert expected in text, expected


def test_register_pdf_knowledge_check_summary(register_pdf):
    _, reader = register_pdf
    text = _text(reader)
    assert (
        "Knowledge-check summary 1 question asked; 2 participants in the room. "
        "Question Right answer Answers Right "
        "Which tokens usually cost more per million? B. Output tokens 2 1 (50%) "
        "Scores by table Table People Answers Right Table A 2 2 1 (50%) "
        "Concepts to revisit Input vs output tokens: 1 of 2 answers wrong (50%)"
    ) in text


@pytest.mark.slow
def test_register_pdf_prints_the_glossary(register_pdf):
    _, reader = register_pdf
    text = _text(reader)
    terms = list(GlossaryTerm.objects.all())
    assert terms
    for term in terms:
        assert term.term in text


def test_register_pdf_has_bookmarks_for_every_section(register_pdf):
    _, reader = register_pdf
    agent_parts = [
        "Classification and thesis",
        "KPIs",
        "Value targets",
        "Benchmark evidence",
        "Constraints and adoption",
        "Assumptions",
        "Economics",
        "Finance sign-off",
        "Open actions",
    ]
    assert _outline(reader) == [
        (1, "Cover"),
        (1, "Contents"),
        (1, "Portfolio summary"),
        (1, "Agents"),
        (2, "Invoice Triage Agent"),
        *[(3, part) for part in agent_parts],
        (2, "Upsell Lead Finder"),
        *[(3, part) for part in agent_parts],
        (1, "Cost forecast"),
        (1, "Action register"),
        (1, "Assumptions log"),
        (1, "Knowledge-check summary"),
        (1, "Appendix: Glossary"),
    ]


def test_register_pdf_contents_carry_page_numbers(register_pdf):
    _, reader = register_pdf
    contents = " ".join(reader.pages[1].extract_text().replace(".", " ").split())

    def pages(items, depth=1):
        for item in items:
            if isinstance(item, list):
                yield from pages(item, depth + 1)
            elif depth <= 2 and item.title not in ("Cover", "Contents"):
                yield item.title, reader.get_destination_page_number(item) + 1

    listed = list(pages(reader.outline))
    assert [t for t, _ in listed] == [
        "Portfolio summary",
        "Agents",
        "Invoice Triage Agent",
        "Upsell Lead Finder",
        "Cost forecast",
        "Action register",
        "Assumptions log",
        "Knowledge-check summary",
        "Appendix: Glossary",
    ]
    for title, page in listed:
        assert f"{title} {page}" in contents
    assert ("Portfolio summary", 3) in listed
    assert ("Invoice Triage Agent", 4) in listed


def test_register_pdf_has_running_header_and_page_x_of_y(register_pdf):
    _, reader = register_pdf
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert f"Page {number} of {total}" in page.extract_text()
    assert "Acme Freight" in reader.pages[3].extract_text()


def test_register_pdf_metadata_and_language(register_pdf):
    _, reader = register_pdf
    assert reader.metadata.title == "Agent Economics Register: Acme Freight"
    assert reader.metadata.author == "Ana Facilitator"
    assert reader.trailer["/Root"]["/Lang"] == "en-gb"


def test_register_pdf_is_draft_on_every_page_while_agents_are_unsigned(register_pdf):
    _, reader = register_pdf
    assert all("DRAFT" in page.extract_text() for page in reader.pages)


def test_register_pdf_portfolio_summary_row(register_pdf):
    _, reader = register_pdf
    summary = " ".join(reader.pages[2].extract_text().split())
    assert "Agent Classification Thesis KPIs Targets Sign-off ROI at target" in summary
    assert "2 Partly set Not signed off 1.93×" in summary
    assert "0 Not set Not signed off Not calculated" in summary


def test_register_pdf_assumptions_log(register_pdf):
    _, reader = register_pdf
    text = _text(reader)
    assert (
        "Assumptions log The assumptions behind every target, kept for future reference. "
        "Agent KPI Assumptions Invoice Triage Agent Hours spent matching invoices per week "
        "Invoice volume stays near 4,000 a month. Clerks adopt the exception queue by March."
    ) in text


@pytest.mark.slow
def test_register_pdf_fully_signed_is_final(signed_workshop):
    reader = _read(exporters.register_pdf(signed_workshop).content)
    signoff = FinanceSignOff.objects.get()
    text = _text(reader)
    assert all("DRAFT" not in page.extract_text() for page in reader.pages)
    assert "Status Final: every agent signed off by finance" in text
    assert (
        "Finance sign-off Signed off Signed by Carla Cash, CFO "
        "Signed at 10 December 2026, 15:30 UTC "
        f"SHA-256 {signoff.values_sha256[:16]}…"
    ) in text
    assert "1 agent; 1 signed off by finance." in text


@pytest.mark.slow
def test_register_pdf_is_a_draft_again_once_a_sign_off_is_reopened(signed_workshop):
    agent = signed_workshop.agents.get()
    target_services.signoff_reopen(
        agent=agent, reason="The table revised the baseline", voided_by=None
    )
    reader = _read(exporters.register_pdf(signed_workshop).content)
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    assert "Status Draft: 0 of 1 agent signed off" in _text(reader)


@pytest.mark.slow
def test_register_pdf_without_agents_is_a_draft(db):
    workshop = factories.make_workshop(client_organisation="Empty Co")
    reader = _read(exporters.register_pdf(workshop).content)
    text = _text(reader)
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    assert "Draft: no agents yet" in text
    assert "The knowledge check was not run in this workshop." in text
    assert "No agents in this workshop yet." in text
    assert [title for depth, title in _outline(reader) if depth == 1] == [
        "Cover",
        "Contents",
        "Portfolio summary",
        "Agents",
        "Cost forecast",
        "Action register",
        "Assumptions log",
        "Knowledge-check summary",
        "Appendix: Glossary",
    ]


@pytest.mark.slow
def test_register_pdf_prints_html_in_user_text_as_text(register_workshop):
    agent = factories.make_agent(
        workshop=register_workshop,
        name=HOSTILE_NAME,
        description="<b>bold?</b> & <a href='http://evil.example'>link</a>",
        priority_rank=3,
    )
    factories.classify_agent(
        agent,
        thesis_subject="<script>x()</script> invoice hours",
        thesis_mechanism="<iframe src=x> routing exceptions",
    )
    register = selectors.register_for(register_workshop)
    fetcher = pdf.static_only_fetcher()
    reader = _read(pdf.html_to_pdf(exporters.register_html(register), fetcher=fetcher))
    text = _text(reader)
    assert HOSTILE_NAME in text
    assert "<b>bold?</b> & <a href='http://evil.example'>link</a>" in text
    assert "<script>x()</script> invoice hours" in text
    assert fetcher.refused == []
    assert sorted(set(fetcher.served)) == [
        "css/print.css",
        "fonts/DejaVuSans-Bold.ttf",
        "fonts/DejaVuSans-Oblique.ttf",
        "fonts/DejaVuSans.ttf",
        "fonts/DejaVuSansMono.ttf",
    ]
