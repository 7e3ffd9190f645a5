"""Writing text into spreadsheets (openpyxl), the one way every workbook does it.

Two guards for text that came from people or files:
- Formula guard: text beginning with "=", "+", "-", "@", tab or CR is stored as a string cell
  with Excel's quote prefix, so no value can become a formula (spreadsheet formula injection).
- Character guard: characters XML cannot carry (control characters, broken surrogates) are
  replaced with U+FFFD before openpyxl sees them. The text rule (common.text) keeps them out
  of new input; text stored before it must still never make a download fail.

Typed sheets (`add_sheet`): numbers stay numbers, dates stay dates, text stays text. Every
workbook is saved with `workbook_bytes`.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
# What openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE) plus lone surrogates, which
# cannot be encoded at all.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def spreadsheet_text(text: str) -> str:
    """`text` with every character a workbook cannot hold replaced by U+FFFD."""
    return _UNWRITABLE.sub(REPLACEMENT, text)


def set_text(cell, text: str) -> None:
    """Put `text` in `cell` as a string, never a formula, with unwritable characters replaced."""
    text = spreadsheet_text(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def row_values(values) -> list:
    """A row for `sheet.append`: text made writable (see `set_text` for the formula guard)."""
    return [spreadsheet_text(value) if isinstance(value, str) else value for value in values]


def guard_formulas(cell) -> None:
    """Keep a text cell text: a value beginning like a formula gets the quote prefix."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True


# --- Typed sheets ---------------------------------------------------------------------------

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
