"""The register's sign-off section: the current sign-off, what changed since it, and every
voided sign-off with who voided it, when and why; read back from the preview, the PDF (pypdf)
and the workbook (openpyxl). Final only while every agent's sign-off is valid and unchanged."""

import datetime
import html
from io import BytesIO

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import Agent
from reports import exporters
from targets import services as target_services
from targets.models import FinanceSignOff
from tests import factories

from .conftest import sign_off

VOIDED_AT = datetime.datetime(2026, 12, 10, 15, 45, tzinfo=datetime.UTC)
SIGNED_AGAIN = datetime.datetime(2026, 12, 10, 16, 0, tzinfo=datetime.UTC)
REASON = "Table revises the stretch target"


def pdf_text(workshop) -> str:
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(workshop).content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def signoff_rows(workshop) -> list[list]:
    book = load_workbook(BytesIO(exporters.register_xlsx_export(workshop).content))
    return [[cell.value for cell in row] for row in book["Sign-offs"].iter_rows()][1:]


@pytest.fixture
def resigned_workshop(signed_workshop):
    """Beta Foods: signed off, reopened by Ben Host with a reason, signed off again."""
    agent = signed_workshop.agents.get()
    ben = signed_workshop.facilitators.get()
    target_services.signoff_reopen(agent=agent, reason=REASON, voided_by=ben, now=VOIDED_AT)
    carla = signed_workshop.finance_reviewers.get()
    sign_off(agent, carla, title="CFO", now=SIGNED_AGAIN)
    return signed_workshop


@pytest.mark.slow
def test_register_pdf_lists_voided_signoffs(resigned_workshop):
    text = pdf_text(resigned_workshop)
    assert "Status Final: every agent signed off by finance" in text
    assert (
        "Voided sign-offs Signed by Signed at Voided by Voided at Why "
        f"Carla Cash, CFO 10 Dec 2026, 15:30 UTC Ben Host 10 Dec 2026, 15:45 UTC {REASON}"
    ) in text


def test_register_xlsx_lists_voided_signoffs(resigned_workshop):
    valid, void = FinanceSignOff.objects.order_by("-signed_at")
    assert signoff_rows(resigned_workshop) == [
        [
            "Order Entry Agent",
            "Signed off",
            "Carla Cash",
            "CFO",
            datetime.datetime(2026, 12, 10, 16, 0),
            valid.values_sha256,
            None,
            None,
            None,
            None,
        ],
        [
            "Order Entry Agent",
            "Void",
            "Carla Cash",
            "CFO",
            datetime.datetime(2026, 12, 10, 15, 30),
            void.values_sha256,
            None,
            "Ben Host",
            datetime.datetime(2026, 12, 10, 15, 45),
            REASON,
        ],
    ]


def test_register_preview_lists_voided_signoffs(client, resigned_workshop):
    client.force_login(resigned_workshop.facilitators.get())
    response = client.get(reverse("reports:register", args=[resigned_workshop.pk]))
    page = html.unescape(response.content.decode())
    assert "<h4>Voided sign-offs</h4>" in page
    assert f"<td>Ben Host</td><td>10 Dec 2026, 15:45 UTC</td><td>{REASON}</td>" in page


@pytest.mark.slow
def test_register_without_a_voider_says_so(signed_workshop):
    agent = signed_workshop.agents.get()
    target_services.signoff_reopen(agent=agent, reason=REASON, voided_by=None, now=VOIDED_AT)
    rows = signoff_rows(signed_workshop)
    assert rows[1][1] == "Void"
    assert rows[1][7:] == ["Not recorded", datetime.datetime(2026, 12, 10, 15, 45), REASON]
    assert "Status Draft: 0 of 1 agent signed off" in pdf_text(signed_workshop)


@pytest.mark.slow
def test_register_changed_since_signoff_names_the_change_and_is_a_draft(signed_workshop):
    Agent.objects.filter(workshop=signed_workshop).update(name="Order Keying Agent")
    text = pdf_text(signed_workshop)
    assert "Status Draft: 0 of 1 agent signed off" in text
    assert "Changed value Signed Now Agent name Order Entry Agent Order Keying Agent" in text
    rows = signoff_rows(signed_workshop)
    assert rows[0][1] == "Changed since sign-off"
    assert rows[0][6] == "Agent name: Order Entry Agent → Order Keying Agent"


@pytest.mark.slow
def test_register_no_comparable_evidence_in_pdf_and_xlsx(signed_workshop):
    text = pdf_text(signed_workshop)
    assert (
        "Orders keyed twice per week: no comparable evidence. "
        "No similar organisation has automated this yet."
    ) in text
    book = load_workbook(BytesIO(exporters.register_xlsx_export(signed_workshop).content))
    rows = [[cell.value for cell in row] for row in book["Benchmarks"].iter_rows()]
    assert [
        "Order Entry Agent",
        "Orders keyed twice per week",
        "No comparable evidence",
        "No similar organisation has automated this yet.",
        None,
        None,
        None,
        None,
        None,
        None,
    ] in rows


@pytest.mark.slow
def test_register_is_final_only_when_every_agent_is_signed_and_unchanged(signed_workshop):
    factories.make_agent(workshop=signed_workshop, name="Second Agent")
    assert "Status Draft: 1 of 2 agents signed off" in pdf_text(signed_workshop)
