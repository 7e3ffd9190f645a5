"""Typed worksheets with openpyxl: numbers stay numbers, dates stay dates, text stays text
(never a formula, never a character the file cannot hold: see common.spreadsheet)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import timezone

from common.spreadsheet import set_text, spreadsheet_text

MIN_WIDTH = 8
MAX_WIDTH = 72


@dataclass(frozen=True)
class Column:
    header: str
    # "text", "int", "decimal", "date", "datetime", "percent"
    kind: str = "text"
    # Preferred width in characters; longer content widens the column up to MAX_WIDTH.
    width: int | None = None
    number_format: str | None = None


_FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.########",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "percent": "0%",
}


def new_workbook():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _cell_value(value, kind: str):
    if value is None or value == "":
        return None
    if kind in ("int", "decimal", "percent"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int | Decimal):
            return value
        raise TypeError(f"Expected a number for a {kind} column, got {type(value).__name__}")
    if kind == "datetime":
        if not isinstance(value, datetime.datetime):
            raise TypeError("Expected a datetime")
        # Excel has no time zones: write the local wall time of the configured zone.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if kind == "date":
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise TypeError("Expected a date")
        return value
    return spreadsheet_text(str(value))


def add_sheet(workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> None:
    """A sheet with a bold frozen header row, an auto filter over the data and column widths
    fitted to the content (within limits)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="14202B")
    widths = [len(column.header) for column in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        set_text(cell, column.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top")
    row_count = 0
    for row_index, row in enumerate(rows, start=2):
        row_count += 1
        for index, (column, raw) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(row=row_index, column=index)
            value = _cell_value(raw, column.kind)
            if value is None:
                continue
            if column.kind == "text":
                set_text(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[index - 1] = max(widths[index - 1], *(len(p) for p in value.split("\n")))
            else:
                cell.value = value
                cell.number_format = column.number_format or _FORMATS[column.kind]
                cell.alignment = Alignment(vertical="top")
                widths[index - 1] = max(widths[index - 1], len(str(raw)) + 2)
    for index, column in enumerate(columns, start=1):
        # The column's own width is a floor; longer content widens it, up to MAX_WIDTH.
        fitted = max(column.width or MIN_WIDTH, widths[index - 1] + 2)
        width = min(MAX_WIDTH, max(MIN_WIDTH, fitted))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{row_count + 1}"


def workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
