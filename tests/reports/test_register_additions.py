"""The register's additions: the AI workload behind the run cost (PDF and XLSX), the value KPI
with its value per unit and basis (XLSX), "good enough" and "transformational" beside floor
and stretch, and a time zone on every sign-off time."""

import datetime
from io import BytesIO

import pypdf
import pytest
from openpyxl import load_workbook

from agents import block2_services
from agents.models import Agent
from kpis.models import AgentKpi
from reports import exporters
from tests import factories


@pytest.fixture
def with_workload(register_workshop):
    llm = factories.make_llm_model(
        name="Test Model",
        prices=(("2025-01-01", "3.00", "15.00"), ("2026-06-01", "1.00", "5.00")),
    )
    agent = Agent.objects.get(workshop=register_workshop, name="Invoice Triage Agent")
    block2_services.agent_workload_set(
        agent=agent,
        version=agent.version,
        values={
            "workload_model": llm,
            "input_tokens_per_call": 3000,
            "output_tokens_per_call": 500,
            "model_calls_per_task": 2,
            "tasks_per_month": 1000,
        },
    )
    AgentKpi.objects.filter(agent=agent, name__startswith="Hours").update(
        good_enough="Clerks stop working overtime at month end",
        transformational="<b>No manual matching</b> at all",
    )
    return register_workshop


def _book(workshop):
    return load_workbook(BytesIO(exporters.register_xlsx_export(workshop).content))


def _pdf_text(workshop) -> str:
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(workshop).content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_register_xlsx_value_and_workload_sheet(with_workload):
    rows = [[c.value for c in row] for row in _book(with_workload)["Value and workload"].rows]
    assert rows[0] == [
        "Agent", "Value KPI", "Unit", "Counted", "Value per unit", "Basis of the value per unit",
        "Model", "List price as of", "Tokens per task", "Tasks per month", "Cost per task",
        "Monthly run cost", "One-off build cost",
    ]  # fmt: skip
    assert rows[1] == [
        "Invoice Triage Agent",
        "Hours spent matching invoices per week",
        "hours per week",
        "Per week",
        45,
        "Loaded clerk cost per hour",
        "Acme AI Test Model",
        datetime.datetime(2026, 6, 1),
        7000,
        1000,
        0.011,
        1000,
        25000,
    ]
    assert rows[2] == ["Upsell Lead Finder", *[None] * 12]


def test_register_xlsx_targets_carry_good_enough_and_transformational(with_workload):
    rows = [[c.value for c in row] for row in _book(with_workload)["Targets"].rows]
    assert rows[1][-2:] == [
        "Clerks stop working overtime at month end",
        "<b>No manual matching</b> at all",
    ]


def test_register_xlsx_signoff_times_name_their_zone(signed_workshop):
    rows = [[c.value for c in row] for row in _book(signed_workshop)["Sign-offs"].rows]
    assert rows[0][4] == "Signed at (UTC)"
    assert rows[0][8] == "Voided at (UTC)"


@pytest.mark.slow
def test_register_pdf_shows_the_workload_and_the_ambition(with_workload):
    text = _pdf_text(with_workload)
    assert (
        "AI workload Model Acme AI Test Model List price as of 1 Jun 2026 Tokens per task "
        "7,000 Tasks per month 1,000 Cost per task 0.011 EUR Monthly run cost"
    ) in text
    assert "Good enough: Clerks stop working overtime at month end" in text
    assert "Transformational: <b>No manual matching</b> at all" in text


def test_register_preview_escapes_the_ambition(client, with_workload):
    client.force_login(with_workload.facilitators.get())
    html = client.get(f"/reports/workshops/{with_workload.pk}/register/").content.decode()
    assert "&lt;b&gt;No manual matching&lt;/b&gt; at all" in html
    assert "<b>No manual matching</b>" not in html


@pytest.mark.slow
def test_register_pdf_says_when_there_is_no_workload(register_workshop):
    assert "No AI workload entered (the run cost is entered directly)." in _pdf_text(
        register_workshop
    )
