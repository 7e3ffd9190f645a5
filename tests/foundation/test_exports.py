"""The calculator spreadsheet (recomputed with `formulas`: the same numbers as the web page)
and the cost evolution infographic PDF (text extracted, fetcher refusing all but static)."""

import datetime
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from foundation.models import LLMModel
from tests import factories
from tests.documents import download

# `formulas` is imported inside the tests; its own modules raise SyntaxWarnings when compiled.
pytestmark = [
    pytest.mark.usefixtures("seeded"),
    pytest.mark.filterwarnings("ignore::SyntaxWarning"),
]

XLSX = reverse("foundation:calculator_xlsx")
CALCULATOR = reverse("foundation:calculator")

WORKLOADS = [
    {
        "model": "mid-tier",
        "input_tokens": "3000",
        "output_tokens": "500",
        "tasks_per_month": "20000",
        "calls_per_task": "4",
        "context_growth_per_call": "800",
        "cached_percent": "40",
        "batch_percent": "0",
        "multiplier": "3",
    },
    {
        "model": "frontier",
        "input_tokens": "12000",
        "output_tokens": "1500",
        "tasks_per_month": "1500",
        "calls_per_task": "1",
        "context_growth_per_call": "0",
        "cached_percent": "0",
        "batch_percent": "50",
        "multiplier": "2",
    },
    {
        "model": "efficient",
        "input_tokens": "800",
        "output_tokens": "60",
        "tasks_per_month": "1000000",
        "calls_per_task": "7",
        "context_growth_per_call": "350",
        "cached_percent": "75",
        "batch_percent": "20",
        "multiplier": "5",
    },
]


@pytest.fixture
def catalogue(db):
    LLMModel.objects.all().delete()
    factories.make_llm_model(
        provider="Acme", name="mid", tier="mid-tier", prices=(("2025-01-01", "3", "15"),)
    )
    factories.make_llm_model(
        provider="Acme",
        name="big",
        tier="frontier",
        prices=(("2025-01-01", "10", "40"),),
        cached="2.5",
    )
    factories.make_llm_model(
        provider="Acme", name="small", tier="efficient", prices=(("2025-01-01", "0.15", "0.60"),)
    )


def _named_cells(workbook) -> dict[str, str]:
    """Defined name -> 'SHEET!B12' style address."""
    cells = {}
    for name, defined in workbook.defined_names.items():
        sheet, ref = next(iter(defined.destinations))
        cells[name] = f"{sheet.upper()}!{ref.replace('$', '')}"
    return cells


def _recompute(tmp_path, content: bytes) -> tuple[dict, dict]:
    import formulas

    path = tmp_path / "calc.xlsx"
    path.write_bytes(content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, cell in solution.items():
        if "!" in key and ":" not in key:
            sheet_ref = key.split("]", 1)[1].strip("'").replace("'!", "!")
            values[sheet_ref.upper()] = cell.value[0][0]
    return values, _named_cells(load_workbook(path))


@pytest.mark.slow
@pytest.mark.parametrize("query", WORKLOADS)
def test_spreadsheet_recomputes_to_the_web_calculator_numbers(client, catalogue, tmp_path, query):
    result = client.get(CALCULATOR, query).context["result"]
    response = client.get(XLSX, query)
    assert (
        response["Content-Disposition"] == 'attachment; filename="token-economics-calculator.xlsx"'
    )
    values, names = _recompute(tmp_path, response.content)

    def value(name):
        return D(str(values[names[name]]))

    cost = result.chosen.cost
    assert value("CostPerTask") == pytest.approx(cost.per_task, rel=D("1e-9"))
    assert value("CostPerMonth") == pytest.approx(cost.per_month, rel=D("1e-9"))
    assert value("CostPerYear") == pytest.approx(cost.per_year, rel=D("1e-9"))
    assert value("InputCost") == pytest.approx(cost.task.input_cost, rel=D("1e-9"))
    assert value("TaskInputTokens") == cost.task.input_tokens
    drivers = [value("CostContextDoubles"), value("CostLoopTimesN"), value("CostOutputTimesN")]
    for got, driver in zip(drivers, result.drivers, strict=True):
        assert got == pytest.approx(driver.per_month, rel=D("1e-9"))


def test_spreadsheet_structure(client, catalogue):
    workbook = load_workbook(io.BytesIO(client.get(XLSX, WORKLOADS[0]).content))
    calc, prices = workbook["Calculator"], workbook["Prices"]
    names = _named_cells(workbook)
    for name in ["Model", "InputTokens", "OutputTokens", "TasksPerMonth", "CallsPerTask"]:
        assert name in names
    for name in ["ContextGrowth", "CachedShare", "BatchShare", "Multiplier", "ModelList"]:
        assert name in names
    # The chosen tier's cheapest model is filled in, from the dropdown's list.
    assert calc["B5"].value == "Acme mid"
    assert [c.value for c in prices["A"][1:]] == ["Acme big", "Acme mid", "Acme small"]
    validations = {str(v.sqref): v for v in calc.data_validations.dataValidation}
    assert validations["B5"].type == "list"
    assert validations["B5"].formula1 == "=ModelList"
    # Inputs unlocked, formulas locked, sheet protected.
    assert calc.protection.sheet is True
    assert calc["B6"].protection.locked is False
    cost_cell = names["CostPerMonth"].split("!")[1]
    assert calc[cost_cell].protection.locked is True
    assert calc[cost_cell].value == "=CostPerTask*TasksPerMonth"
    assert prices.protection.sheet is True


def test_spreadsheet_with_bad_query_falls_back_to_defaults(client, catalogue):
    response = client.get(XLSX, {"input_tokens": "-4"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Calculator"]["B6"].value == 3000


def test_spreadsheet_carries_the_workshop_rate(facilitator_client, workshop, catalogue):
    workshop.usd_exchange_rate = D("0.92")
    workshop.save()
    response = facilitator_client.get(XLSX, {**WORKLOADS[0], "workshop": workshop.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Calculator"]["B15"].value == 0.92


# --- Infographic PDF -------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC), tick=False)
def test_evolution_pdf_has_the_headline_and_sources(client, catalogue):
    from pypdf import PdfReader

    LLMModel.objects.filter(name="big").delete()
    factories.make_llm_model(
        provider="Acme",
        name="old",
        tier="frontier",
        prices=(("2023-01-01", "30", "60"),),
        source="Acme 2023 price sheet",
    )
    factories.make_llm_model(
        provider="Acme", name="new", tier="frontier", prices=(("2025-06-01", "3", "12"),)
    )
    response = download(
        client,
        reverse("foundation:evolution_pdf"),
        {**WORKLOADS[1], "months": "24", "tier": "frontier"},
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(page.extract_text() for page in reader.pages)
    # then: 1,500 x (12,000 x 30 + 1,500 x 60) / M x 0.75 = 506.25
    # now: 1,500 x (12,000 x 3 + 1,500 x 12) / M x 0.75 = 60.75
    # Told as of 1 Jun 2025, the newest price of this catalogue.
    text = " ".join(text.split())
    assert "24 months earlier (1 Jun 2023) this workload cost $506 a month" in text
    assert "on 1 Jun 2025 $60.75 (8.3x cheaper)" in text
    assert "$506 ÷ $60.75 = 8.3x" in text
    assert "Acme 2023 price sheet" in text
