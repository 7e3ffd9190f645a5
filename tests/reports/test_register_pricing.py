"""The register says what day its model prices are as of: cover (preview and PDF) and the
workbook's Workshop sheet."""

import datetime
from io import BytesIO

import pypdf
from django.urls import reverse
from openpyxl import load_workbook

from reports import exporters
from workshops.models import Workshop


def test_register_preview_cover_says_prices_as_of(client, register_workshop):
    client.force_login(register_workshop.facilitators.get())
    html = client.get(reverse("reports:register", args=[register_workshop.pk])).content.decode()
    assert "Prices as of 10 December 2026" in html


def test_register_pdf_cover_says_prices_as_of(register_workshop):
    Workshop.objects.filter(pk=register_workshop.pk).update(
        pricing_date=datetime.date(2026, 11, 30)
    )
    register_workshop.refresh_from_db()
    reader = pypdf.PdfReader(BytesIO(exporters.register_pdf(register_workshop).content))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Model prices Prices as of 30 November 2026" in cover


def test_register_xlsx_workshop_sheet_says_prices_as_of(register_workshop):
    book = load_workbook(BytesIO(exporters.register_xlsx_export(register_workshop).content))
    rows = {row[0].value: row[2].value for row in book["Workshop"].iter_rows(min_row=2)}
    assert rows["Prices as of"] == datetime.datetime(2026, 12, 10)
