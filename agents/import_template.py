"""The Pillar 1 import template: an XLSX with the agents sheet to fill in and its instructions."""

from common.spreadsheet import XLSX_CONTENT_TYPE, guard_formulas, row_values, workbook_bytes
from workshops.models import Workshop

from .import_files import MAX_FILE_BYTES
from .imports import COLUMNS, MAX_RANK, MAX_ROWS

HEADER_FILL = "0B5CAD"


def import_template(*, workshop: Workshop) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the template for this workshop's tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Agents"
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        if column.field == "priority_rank":
            rule = DataValidation(
                type="whole", operator="between", formula1="1", formula2=str(MAX_RANK)
            )
            rule.error = f"Enter a whole number from 1 to {MAX_RANK} (1 is the highest priority)."
        else:
            rule = DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(column.max_length)
            )
            rule.error = f"{column.header} may be at most {column.max_length} characters."
        rule.allow_blank = True
        rule.showErrorMessage = True
        rule.errorTitle = column.header
        rule.prompt = column.help
        rule.promptTitle = column.header
        rule.add(cells)
        sheet.add_data_validation(rule)
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = "A2"

    _instructions(workbook.create_sheet("Instructions"), workshop)
    workbook.properties.title = "Pillar 1 agents"
    return "pillar1-agents-template.xlsx", XLSX_CONTENT_TYPE, workbook_bytes(workbook)


def _instructions(sheet, workshop: Workshop) -> None:
    from openpyxl.styles import Alignment, Font

    tables = ", ".join(table.name for table in workshop.tables.all()) or "none yet"
    lines = [
        ("Pillar 1 agents: how to fill in the Agents sheet", None, None, None),
        (None, None, None, None),
        ("One row per prioritised agent opportunity, starting in row 2.", None, None, None),
        (
            "An agent whose name is already in the workshop (any letter case) is updated; "
            "the others are added. Importing the same file again changes nothing twice.",
            None,
            None,
            None,
        ),
        (
            f"At most {MAX_ROWS} agents and {MAX_FILE_BYTES // (1024 * 1024)} MB per file. "
            "Type values: formulas are not accepted. Save as .xlsx (not .xlsm or .xls) or as "
            "CSV UTF-8 with the same column headings.",
            None,
            None,
            None,
        ),
        (f"Breakout tables in this workshop: {tables}.", None, None, None),
        (None, None, None, None),
        ("Column", "Required", "What to enter", "Example"),
    ]
    lines += [
        (
            column.header,
            "Yes" if column.field == "name" else "No",
            column.help
            + (f" At most {column.max_length} characters." if column.max_length else ""),
            column.example,
        )
        for column in COLUMNS
    ]
    for line in lines:
        sheet.append(row_values(line))
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[8]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            guard_formulas(cell)
    for row in sheet.iter_rows(min_row=9):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in {"A": 20, "B": 10, "C": 70, "D": 40}.items():
        sheet.column_dimensions[letter].width = width
