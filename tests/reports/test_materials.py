"""Printable materials: KPI worksheets (one page per agent) and the framework cards."""

from io import BytesIO

import pypdf
import pytest
from django.urls import reverse

from reports import materials
from tests import factories
from tests.documents import download


def _pdf(response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(BytesIO(response.content))


def _text(page) -> str:
    return " ".join(page.extract_text().split())


def _worksheets_url(workshop, query=""):
    return reverse("reports:kpi_worksheets", args=[workshop.pk]) + query


@pytest.fixture
def facilitator_of(client):
    def login(workshop):
        client.force_login(workshop.facilitators.get())
        return client

    return login


def test_kpi_worksheets_one_page_per_agent_prefilled(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    reader = _pdf(download(client, _worksheets_url(register_workshop)))
    assert len(reader.pages) == 2
    first, second = (_text(page) for page in reader.pages)
    for expected in [
        "Invoice Triage Agent",
        "Accounts payable",
        "Dana Whitfield",
        "Table A",
        "☑ Bottom line (cost reduction)",
        "Labour savings",
        "Hours spent matching invoices per week",
        "SAP invoice log · AP team lead",
        "120.5 · 1 Nov 2026 · October AP report",
        "Invoices needing rework per month",
        "No baseline yet: task to establish it",
        "Worksheet 1 of 2",
    ]:
        assert expected in first, expected
    assert "Upsell Lead Finder" in second
    assert "Finds customers whose volumes suggest a premium service tier." in second
    assert (
        "This agent exists to [reduce the cost of ______ / generate revenue from ______] "
        "by [______]." in second
    )
    assert "☐ Bottom line (cost reduction)" in second
    assert reader.outline[0].title == "Invoice Triage Agent"


def test_kpi_worksheet_for_one_agent(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    agent = register_workshop.agents.get(name="Upsell Lead Finder")
    reader = _pdf(download(client, _worksheets_url(register_workshop, f"?agent={agent.pk}")))
    assert len(reader.pages) == 1
    assert "Upsell Lead Finder" in _text(reader.pages[0])


@pytest.mark.parametrize("query", ["?agent=abc", "?agent=", "?agent=999999"])
def test_kpi_worksheet_for_an_unknown_agent_is_404(facilitator_of, register_workshop, query):
    client = facilitator_of(register_workshop)
    assert client.get(_worksheets_url(register_workshop, query)).status_code == 404


def test_kpi_worksheet_for_another_workshops_agent_is_404(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    stranger = factories.make_agent(workshop=factories.make_workshop(), name="Secret Agent")
    response = client.get(_worksheets_url(register_workshop, f"?agent={stranger.pk}"))
    assert response.status_code == 404


@pytest.mark.slow
def test_blank_kpi_worksheets(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    response = download(client, _worksheets_url(register_workshop, "?blank=3"))
    reader = _pdf(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="kpi-worksheet-blank-acme-freight-2026-12-10.pdf"'
    )
    assert len(reader.pages) == 3
    text = _text(reader.pages[0])
    assert "Invoice Triage Agent" not in text
    assert "Efficiency (Bottom Line)" in text
    assert "Hours saved per week/month" in text
    assert '"improve efficiency" is not a KPI' in text


@pytest.mark.parametrize(
    ("raw", "count"),
    [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-5", 1), ("7", 7), ("1000000", 40), ("٣", 3)],
)
def test_blank_count_is_clamped(raw, count):
    assert materials.blank_count(raw) == count


def test_kpi_worksheets_without_agents_print_one_blank(facilitator_client, workshop):
    reader = _pdf(download(facilitator_client, _worksheets_url(workshop)))
    assert len(reader.pages) == 1


def test_target_cards_carry_the_framework(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    response = download(client, reverse("reports:target_cards", args=[register_workshop.pk]))
    reader = _pdf(response)
    assert len(reader.pages) == 4
    text = " ".join(_text(page) for page in reader.pages)
    for expected in [
        "Establish the baseline",
        "Industry benchmarking",
        "Discount vendor claims by 30-50% before using them.",
        "Constraint analysis",
        "Value thresholds",
        "Floor: minimum acceptable. Use for the go/no-go decision.",
        "Target: expected outcome. Use for planning & budgeting.",
        "Stretch: optimistic upside. Use for incentive alignment.",
        "Use for: go/no-go decision.",
        "Use for: planning & budgeting.",
        "Use for: incentive alignment.",
    ]:
        assert expected in text, expected
    assert [item.title for item in reader.outline] == [
        "Ambitious but credible",
        "Establish the baseline",
        "Industry benchmarking",
        "Constraint analysis",
        "Value thresholds",
        "Floor",
        "Target",
        "Stretch",
    ]


def test_materials_page_links_every_download(facilitator_of, register_workshop):
    client = facilitator_of(register_workshop)
    html = client.get(reverse("reports:materials", args=[register_workshop.pk])).content.decode()
    assert _worksheets_url(register_workshop) in html
    assert reverse("reports:target_cards", args=[register_workshop.pk]) in html
    assert reverse("reports:actions_ics", args=[register_workshop.pk]) in html
    agent = register_workshop.agents.get(name="Invoice Triage Agent")
    assert f"{_worksheets_url(register_workshop)}?agent={agent.pk}" in html
    assert 'style="' not in html


@pytest.mark.parametrize("extra", [0, 8])
def test_materials_page_query_count(
    facilitator_of, register_workshop, django_assert_num_queries, extra
):
    client = facilitator_of(register_workshop)
    for n in range(extra):
        factories.make_agent(workshop=register_workshop, name=f"Extra {n}", priority_rank=5 + n)
    with django_assert_num_queries(5):
        client.get(reverse("reports:materials", args=[register_workshop.pk]))
