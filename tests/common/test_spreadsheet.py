"""The one spreadsheet writer: typed sheets, the formula guard and the character guard."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from common import spreadsheet
from common.spreadsheet import Column


def _read_back(book):
    return load_workbook(BytesIO(spreadsheet.workbook_bytes(book)))


def test_add_sheet_refuses_text_in_a_number_column():
    book = spreadsheet.new_workbook()
    with pytest.raises(TypeError):
        spreadsheet.add_sheet(book, "X", [Column("n", "decimal")], [("12",)])


def test_add_sheet_refuses_a_datetime_in_a_date_column():
    book = spreadsheet.new_workbook()
    with pytest.raises(TypeError):
        spreadsheet.add_sheet(
            book, "X", [Column("d", "date")], [(datetime.datetime(2026, 12, 7, 10),)]
        )


def test_add_sheet_keeps_decimals_exact():
    book = spreadsheet.new_workbook()
    spreadsheet.add_sheet(book, "X", [Column("n", "decimal")], [(Decimal("0.1"),)])
    back = _read_back(book)
    assert back["X"]["A2"].value == 0.1
    assert back["X"]["A2"].data_type == "n"


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", '=HYPERLINK("http://x","y")']
)
def test_add_sheet_keeps_a_formula_like_text_as_text(text):
    book = spreadsheet.new_workbook()
    spreadsheet.add_sheet(book, "X", [Column("t")], [(text,)])
    cell = _read_back(book)["X"]["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_add_sheet_replaces_characters_a_workbook_cannot_hold():
    book = spreadsheet.new_workbook()
    spreadsheet.add_sheet(book, "X", [Column("t")], [("a\x00b\x1bc\ud800d é <script>",)])
    assert _read_back(book)["X"]["A2"].value == "a\ufffdb\ufffdc\ufffdd é <script>"


def test_set_text_quotes_text_beginning_with_a_carriage_return():
    # Read back, XML turns CR into LF: check the cell as written.
    sheet = spreadsheet.new_workbook().create_sheet("X")
    spreadsheet.set_text(sheet["A1"], "\r=1")
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == (
        "\r=1",
        "s",
        True,
    )


def test_set_text_guards_a_header_too():
    book = spreadsheet.new_workbook()
    spreadsheet.add_sheet(book, "X", [Column("=cmd|' /C calc'!A0")], [])
    cell = _read_back(book)["X"]["A1"]
    assert cell.value == "=cmd|' /C calc'!A0"
    assert cell.data_type == "s"


def test_row_values_makes_text_writable_and_leaves_numbers():
    assert spreadsheet.row_values(["a\x07", 3, Decimal("1.5"), None]) == [
        "a\ufffd",
        3,
        Decimal("1.5"),
        None,
    ]
