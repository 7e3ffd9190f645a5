"""Writing text into spreadsheets (openpyxl), the one way every workbook does it.

Two guards for text that came from people or files:
- Formula guard: text beginning with "=", "+", "-", "@", tab or CR is stored as a string cell
  with Excel's quote prefix, so no value can become a formula (spreadsheet formula injection).
- Character guard: characters XML cannot carry (control characters, broken surrogates) are
  replaced with U+FFFD before openpyxl sees them. The text rule (common.text) keeps them out
  of new input; text stored before it must still never make a download fail.
"""

import re

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
