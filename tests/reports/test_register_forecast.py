"""The register's cost forecast: per agent and for the portfolio, as a chart and a table in the
PDF and the preview, and as a sheet with live formulas (recomputed with `formulas`)."""

import warnings
from decimal import Decimal as D
from io import BytesIO

import pypdf
import pytest
from django.urls import reverse

from reports import exporters, forecasts
from targets import forecast

from .test_register_additions import with_workload  # noqa: F401 (a fixture)


def _text(content: bytes) -> str:
    reader = pypdf.PdfReader(BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\x00", "").split())


def test_options_from_query():
    assert forecasts.Options.from_query({}) == forecasts.Options("none", 24)
    assert forecasts.Options.from_query({"decline": "published_floor", "months": "12"}) == (
        forecasts.Options("published_floor", 12)
    )
    for bad in ({"decline": "<script>"}, {"months": "36"}, {"months": "-1"}, {"months": "١٢"}):
        options = forecasts.Options.from_query(bad)
        assert options.decline in dict(forecast.DECLINE_CHOICES) and options.months in (12, 24)


def test_forecast_of_the_register_workshop(register_workshop):
    # Run cost entered directly (800 a month model, 200 other), adoption 50 % / 80 %.
    from reports import selectors

    register = selectors.register_for(register_workshop)
    result = forecasts.register_forecast(register, forecasts.Options("published_floor", 24))
    assert [a.name for a in result.agents] == ["Invoice Triage Agent"]
    agent = result.agents[0]
    assert (agent.full_volume_cost, agent.other_cost, agent.decline_percent) == (
        D("800.00"),
        D("200.00"),
        D("27.45"),
    )
    assert agent.rows[0].total == D("264.88")  # 800 x 8.33 % x 0.973613 + 200
    assert agent.rows[11].total == D("664.32")  # 800 x 80 % x 0.7255 + 200
    assert result.skipped == [("Upsell Lead Finder", "no AI workload or run cost yet")]
    assert result.totals[0] == D("264.88")


def test_forecast_uses_the_workload(with_workload):  # noqa: F811
    from reports import selectors

    register = selectors.register_for(with_workload)
    result = forecasts.register_forecast(register, forecasts.Options("none", 12))
    agent = result.agents[0]
    # 1,000 tasks a month at 0.011 EUR a task.
    assert agent.full_volume_cost == D("11.00")
    assert agent.model == "Acme AI Test Model"
    assert [r.model_cost for r in agent.rows][:3] == [D("0.92"), D("1.83"), D("2.75")]


def test_catalogue_decline_per_tier(with_workload):  # noqa: F811
    from reports import selectors

    register = selectors.register_for(with_workload)
    declines = forecasts.catalogue_declines(with_workload.pricing_date)
    # The seeded 2026-08-21 price list: the cheapest frontier price fell 50.14 % a year over
    # the 24 months before the day; the cheapest mid-tier and efficient prices did not fall.
    assert declines == {"efficient": D("0.00"), "frontier": D("50.14"), "mid-tier": D("0.00")}
    result = forecasts.register_forecast(register, forecasts.Options("catalogue", 24))
    assert result.agents[0].tier == "mid-tier"
    assert result.agents[0].decline_percent == declines["mid-tier"]


def test_catalogue_decline_of_one_tier_by_its_prices(db):
    import datetime

    from foundation.models import LLMModel, PricePoint
    from tests import factories

    PricePoint.objects.all().delete()
    LLMModel.objects.all().delete()
    factories.make_llm_model(
        name="Only One",
        tier="efficient",
        prices=(("2024-01-01", "3.00", "15.00"), ("2025-12-01", "1.00", "5.00")),
    )
    declines = forecasts.catalogue_declines(datetime.date(2026, 1, 1))
    # Blended 6.00 two years before, 2.00 now: 3x cheaper in 24 months.
    assert declines == {"efficient": D("42.26")} == {"efficient": forecast.annual_decline(D(3), 24)}


@pytest.mark.slow
def test_register_pdf_shows_the_forecast(register_workshop):
    options = forecasts.Options("published_frontier", 12)
    text = _text(exporters.register_pdf(register_workshop, options).content)
    assert "Cost forecast Monthly AI run cost for the next 12 months, in EUR" in text
    assert "Cheapest frontier-tier model: 8.0x cheaper over 24 months" in text
    assert "Not forecast: Upsell Lead Finder (no AI workload or run cost yet)." in text
    assert "prices −64.64 % a year" in text


def test_register_preview_offers_the_options(client, register_workshop):
    client.force_login(register_workshop.facilitators.get())
    url = reverse("reports:register", args=[register_workshop.pk])
    html = client.get(url, {"decline": "published_floor", "months": "12"}).content.decode()
    assert '<option value="published_floor" selected>' in html
    assert "?decline=published_floor&amp;months=12" in html
    assert 'class="forecast-chart"' in html


def _recompute(tmp_path, content: bytes) -> dict:
    warnings.simplefilter("ignore", SyntaxWarning)
    import formulas

    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, cell in solution.items():
        if "!" in key and ":" not in key and "COST FORECAST" in key.upper():
            ref = key.split("!", 1)[1].upper()
            values[ref] = cell.value[0][0]
    return values


@pytest.mark.parametrize("decline", ["none", "published_floor", "published_frontier"])
def test_register_xlsx_forecast_recomputes_to_the_same_months(register_workshop, tmp_path, decline):
    from openpyxl import load_workbook

    from reports import selectors

    options = forecasts.Options(decline, 24)
    content = exporters.register_xlsx_export(register_workshop, options).content
    sheet = load_workbook(BytesIO(content))["Cost forecast"]
    assert sheet["H2"].value.startswith("=ROUND(IF(B2<=6")
    assert sheet["K26"].value == "=SUMIF($B$2:$B$25,B26,$K$2:$K$25)"
    values = _recompute(tmp_path, content)
    result = forecasts.register_forecast(selectors.register_for(register_workshop), options)
    rows = result.agents[0].rows
    for index, row in enumerate(rows, start=2):
        assert D(str(values[f"K{index}"])).quantize(D("0.01")) == row.total, index
    for index, total in enumerate(result.totals, start=26):
        assert D(str(values[f"K{index}"])).quantize(D("0.01")) == total
