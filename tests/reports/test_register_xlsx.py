"""The register workbook, read back: sheets, typed cells, frozen headers, filters, and text that
looks like a formula stored as text."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import exporters
from targets.models import FinanceSignOff
from tests import factories
from workshops import services

from .conftest import ASSUMPTIONS, THESIS_MECHANISM, THESIS_SUBJECT


def _book(workshop):
    export = exporters.register_xlsx_export(workshop)
    assert export.content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return export, load_workbook(BytesIO(export.content))


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_register_xlsx_has_a_sheet_per_kind(register_workshop):
    export, book = _book(register_workshop)
    assert export.filename == "agent-economics-register-acme-freight-2026-12-10.xlsx"
    assert book.sheetnames == [
        "Workshop",
        "Agents",
        "KPIs",
        "Targets",
        "Benchmarks",
        "Constraints",
        "Economics",
        "Value and workload",
        "Cost forecast",
        "Actions",
        "Sign-offs",
    ]
    assert book.properties.title == "Agent Economics Register: Acme Freight"
    assert book.properties.creator == "Ana Facilitator"


def test_register_xlsx_headers_are_frozen_and_filtered(register_workshop):
    _, book = _book(register_workshop)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in sheet[1])
        assert all(
            8 <= sheet.column_dimensions[cell.column_letter].width <= 72 for cell in sheet[1]
        )
    assert book["KPIs"].auto_filter.ref == "A1:N3"


def test_register_xlsx_agents_sheet_values(register_workshop):
    _, book = _book(register_workshop)
    thesis = f"This agent exists to reduce the cost of {THESIS_SUBJECT} by {THESIS_MECHANISM}."
    assert _rows(book["Agents"]) == [
        [
            "Priority",
            "Agent",
            "Table",
            "Business process",
            "Owner",
            "Classification",
            "Value driver",
            "Economic thesis",
            "KPIs",
            "Targets",
            "Sign-off",
            "ROI at target",
            "Open actions",
        ],
        [
            1,
            "Invoice Triage Agent",
            "Table A",
            "Accounts payable",
            "Dana Whitfield",
            "Bottom line (cost reduction)",
            "Labour savings",
            thesis,
            2,
            "Partly set",
            "Not signed off",
            1.93,
            1,
        ],
        [
            2,
            "Upsell Lead Finder",
            "Table A",
            "Account management",
            "Dana Whitfield",
            None,
            None,
            None,
            0,
            "Not set",
            "Not signed off",
            None,
            0,
        ],
    ]


def test_register_xlsx_kpis_keep_numbers_and_dates_typed(register_workshop):
    _, book = _book(register_workshop)
    sheet = book["KPIs"]
    row = list(sheet[2])
    assert [c.value for c in row] == [
        "Invoice Triage Agent",
        "Hours spent matching invoices per week",
        "Efficiency (Bottom Line)",
        "hours per week",
        "Lower is better",
        "SAP invoice log",
        "AP team lead",
        "Weekly",
        "Measurable today",
        None,
        120.5,
        datetime.datetime(2026, 11, 1, 0, 0),
        "October AP report",
        "No",
    ]
    assert row[10].data_type == "n"
    assert row[11].is_date
    assert row[11].number_format == "yyyy-mm-dd"
    missing = [cell.value for cell in sheet[3]]
    assert missing[1] == "Invoices needing rework per month"
    assert missing[10:13] == [None, None, None]


def test_register_xlsx_actions_sheet(register_workshop):
    _, book = _book(register_workshop)
    rows = _rows(book["Actions"])
    assert rows[0] == ["Due", "Owner", "Action", "Kind", "Status"]
    assert rows[1] == [
        datetime.datetime(2026, 12, 13),
        "OAIO Team",
        "Compile Agent Economics Register",
        "Post-workshop action",
        "Open",
    ]
    assert len(rows) == 6
    assert book["Actions"]["A2"].is_date


def test_register_xlsx_workshop_sheet(register_workshop):
    _, book = _book(register_workshop)
    rows = {row[0]: row[1:] for row in _rows(book["Workshop"])[1:]}
    assert rows["Client"] == ["Acme Freight", None, None]
    assert rows["Date"] == [None, datetime.datetime(2026, 12, 10), None]
    assert rows["Agents"] == [None, None, 2]
    assert rows["Status"] == ["Draft: 0 of 2 agents signed off", None, None]
    assert rows["Finance representative"] == ["Fiona Finance", None, None]


def test_register_xlsx_sign_offs_sheet_lists_every_agent(register_workshop):
    _, book = _book(register_workshop)
    assert _rows(book["Sign-offs"])[1:] == [
        ["Invoice Triage Agent", "Not signed off", *[None] * 8],
        ["Upsell Lead Finder", "Not signed off", *[None] * 8],
    ]


def test_register_xlsx_sign_offs_sheet_of_a_signed_workshop(signed_workshop):
    _, book = _book(signed_workshop)
    signoff = FinanceSignOff.objects.get()
    sheet = book["Sign-offs"]
    assert _rows(sheet)[1] == [
        "Order Entry Agent",
        "Signed off",
        "Carla Cash",
        "CFO",
        datetime.datetime(2026, 12, 10, 15, 30),
        signoff.values_sha256,
        None,
        None,
        None,
        None,
    ]
    assert sheet["E2"].is_date
    assert len(signoff.values_sha256) == 64
    assert book["Workshop"]["B9"].value == "Final: every agent signed off by finance"


def test_register_xlsx_targets_sheet(register_workshop):
    _, book = _book(register_workshop)
    assert _rows(book["Targets"]) == [
        [
            "Agent",
            "KPI",
            "Unit",
            "Direction",
            "Baseline",
            "Horizon (months)",
            "Floor",
            "Target",
            "Stretch",
            "Assumptions",
            "Good enough",
            "Transformational",
        ],
        [
            "Invoice Triage Agent",
            "Hours spent matching invoices per week",
            "hours per week",
            "Lower is better",
            120.5,
            6,
            110,
            100,
            90,
            ASSUMPTIONS,
            None,
            None,
        ],
        [
            "Invoice Triage Agent",
            "Hours spent matching invoices per week",
            "hours per week",
            "Lower is better",
            120.5,
            12,
            95,
            80,
            65,
            ASSUMPTIONS,
            None,
            None,
        ],
    ]
    assert all(cell.data_type == "n" for cell in book["Targets"][2][4:9])


def test_register_xlsx_benchmarks_constraints_and_economics(register_workshop):
    _, book = _book(register_workshop)
    assert _rows(book["Benchmarks"])[1:] == [
        [
            "Invoice Triage Agent",
            "Hours spent matching invoices per week",
            "Vendor case study",
            "Vendor case study: global shipper",
            60,
            40,
            36,
            "Vendor white paper 2025",
            None,
            None,
        ],
        [
            "Invoice Triage Agent",
            "Hours spent matching invoices per week",
            "Similar organisation",
            "Peer logistics firm",
            25,
            None,
            25,
            "Industry round table",
            None,
            None,
        ],
    ]
    assert _rows(book["Constraints"])[1:] == [
        [
            "Invoice Triage Agent",
            "Hours spent matching invoices per week",
            "Change management, Data readiness",
            "AP clerks need retraining",
            50,
            80,
        ]
    ]
    assert _rows(book["Economics"])[1:] == [
        ["Invoice Triage Agent", "Floor", 2047.5, 4972.5, 1000, 25000, 42120, 37000, 1.14, 10.7],
        ["Invoice Triage Agent", "Target", 3997.5, 7897.5, 1000, 25000, 71370, 37000, 1.93, 7],
        ["Invoice Triage Agent", "Stretch", 5947.5, 10822.5, 1000, 25000, 100620, 37000, 2.72, 5.1],
    ]


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1:A3)", "-2+3", "@cmd", '=HYPERLINK("x")'])
def test_register_xlsx_stores_formula_like_text_as_text(register_workshop, text):
    agent = factories.make_agent(
        workshop=register_workshop, name=f"{text} agent", owner_name=text, priority_rank=9
    )
    factories.make_agent_kpi(agent=agent, name=f"{text} invoices per week", baseline_source=text)
    services.action_create(
        workshop=register_workshop,
        owner=text,
        action=text,
        due_date=datetime.date(2026, 12, 20),
    )
    _, book = _book(register_workshop)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    # Only the cost forecast computes, with the formulas the app writes (columns H to K).
    formulas = [c for c in cells if c.data_type == "f"]
    assert {c.parent.title for c in formulas} == {"Cost forecast"}
    assert {c.column_letter for c in formulas} == {"H", "I", "J", "K"}
    assert not any(text in c.value for c in formulas)
    texts = [
        c
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(text[0]) and c.data_type != "f"
    ]
    assert {c.value for c in texts} >= {text, f"{text} agent", f"{text} invoices per week"}
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)


def test_register_xlsx_shows_an_imported_signoff_as_not_verified(signed_workshop):
    FinanceSignOff.objects.update(verification="unverified")
    _, book = _book(signed_workshop)
    assert _rows(book["Sign-offs"])[1][:4] == [
        "Order Entry Agent",
        "Imported sign-off, not verified",
        "Carla Cash",
        "CFO",
    ]
    assert book["Workshop"]["B9"].value == "Draft: 0 of 1 agent signed off"
