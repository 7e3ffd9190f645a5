"""The register says what day its model prices are as of: cover (preview and PDF) and the
workbook's Workshop sheet."""

import datetime
import re
from decimal import Decimal as D
from html import unescape
from io import BytesIO

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from foundation.models import LLMModel, PricePoint
from reports import exporters
from workshops.models import Workshop


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_register_preview_cover_says_prices_as_of(client, register_workshop):
    client.force_login(register_workshop.facilitators.get())
    html = client.get(reverse("reports:register", args=[register_workshop.pk])).content.decode()
    text = _text(html)
    assert (
        "Prices as of 21 August 2026 (newest price in the catalogue); priced for 10 December "
        "2026, the workshop's pricing date" in text
    )
    assert "These prices may be out of date." in text
    assert "111 days older than the workshop's date (10 Dec 2026)" in text


def test_register_preview_fresh_catalogue_has_no_warning(client, register_workshop):
    model = LLMModel.objects.get(name="gpt-5-nano")
    PricePoint.objects.create(
        model=model,
        effective_date=datetime.date(2026, 9, 12),
        input_usd_per_mtok=D("0.05"),
        output_usd_per_mtok=D("0.40"),
        source="Checked on the vendor page",
        listed_on=datetime.date(2026, 9, 12),  # 89 days before 10 Dec 2026
    )
    client.force_login(register_workshop.facilitators.get())
    text = _text(
        client.get(reverse("reports:register", args=[register_workshop.pk])).content.decode()
    )
    assert "Prices as of 12 September 2026 (newest price in the catalogue)" in text
    assert "may be out of date" not in text


@pytest.mark.slow
def test_register_pdf_cover_says_prices_as_of(register_workshop):
    Workshop.objects.filter(pk=register_workshop.pk).update(
        pricing_date=datetime.date(2026, 11, 30)
    )
    register_workshop.refresh_from_db()
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(register_workshop).content))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert (
        "Model prices Prices as of 21 August 2026 (newest price in the catalogue); priced for "
        "30 November 2026, the workshop's pricing date" in cover
    )
    assert "These prices may be out of date." in cover


def test_register_xlsx_workshop_sheet_says_prices_as_of(register_workshop):
    book = load_workbook(BytesIO(exporters.register_xlsx_export(register_workshop).content))
    rows = {row[0].value: row[2].value for row in book["Workshop"].iter_rows(min_row=2)}
    texts = {row[0].value: row[1].value for row in book["Workshop"].iter_rows(min_row=2)}
    assert rows["Prices as of"] == datetime.datetime(2026, 8, 21)
    assert rows["Priced for"] == datetime.datetime(2026, 12, 10)
    assert texts["Price warning"].startswith(
        "The newest price in the catalogue is 111 days older than the workshop's date"
    )


@pytest.mark.slow
def test_register_says_the_exchange_rate_with_its_source_and_date(client, register_workshop):
    Workshop.objects.filter(pk=register_workshop.pk).update(
        currency="EUR",
        usd_exchange_rate=D("0.92"),
        usd_rate_source="ECB",
        usd_rate_date=datetime.date(2026, 12, 1),
    )
    register_workshop.refresh_from_db()
    client.force_login(register_workshop.facilitators.get())
    text = _text(
        client.get(reverse("reports:register", args=[register_workshop.pk])).content.decode()
    )
    assert "EUR, converted from US dollar list prices at 0.92 EUR per USD (ECB, 1 Dec 2026)" in text
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(register_workshop).content))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "at 0.92 EUR per USD (ECB, 1 Dec 2026)" in cover
    book = load_workbook(BytesIO(exporters.register_xlsx_export(register_workshop).content))
    texts = {row[0].value: row[1].value for row in book["Workshop"].iter_rows(min_row=2)}
    assert texts["Exchange rate"] == "at 0.92 EUR per USD (ECB, 1 Dec 2026)"
