"""The token economics calculator as a spreadsheet: the same formulas as the web page, with
named input cells, a model dropdown fed by a Prices sheet, and locked formula cells."""

from dataclasses import dataclass

from django.utils import timezone

from common.spreadsheet import XLSX_CONTENT_TYPE, guard_formulas, row_values, workbook_bytes

from . import calculator, economics

FILENAME = "token-economics-calculator.xlsx"


@dataclass(frozen=True)
class InputCell:
    name: str
    label: str
    help: str
    number_format: str


INPUTS = [
    InputCell("Model", "Model", "Choose from the list (prices on the Prices sheet).", "@"),
    InputCell("InputTokens", "Input tokens per call", "Prompt, documents, question.", "#,##0"),
    InputCell("OutputTokens", "Output tokens per call", "Reasoning tokens included.", "#,##0"),
    InputCell("TasksPerMonth", "Tasks per month", "", "#,##0"),
    InputCell("CallsPerTask", "Model calls per task", "Agent loop iterations.", "#,##0"),
    InputCell(
        "ContextGrowth", "Context growth per call (tokens)", "Added before each call.", "#,##0"
    ),
    InputCell("CachedShare", "Cached share of input", "Billed at the cached price.", "0%"),
    InputCell("BatchShare", "Batch share of tasks", "Run through a batch API.", "0%"),
    InputCell("BatchDiscount", "Batch discount", "Usually 50%.", "0%"),
    InputCell("Multiplier", "What-if multiplier (N)", "For the cost drivers below.", "0"),
    InputCell("ExchangeRate", "Units of your currency per USD", "1 for US dollars.", "0.0000"),
]

# (name, label, formula, number format); names refer to the inputs above and to each other.
FORMULAS = [
    ("InputPrice", "Input price (USD per million)",
     "=INDEX(PriceInput,MATCH(Model,ModelList,0))", "$#,##0.00##"),
    ("OutputPrice", "Output price (USD per million)",
     "=INDEX(PriceOutput,MATCH(Model,ModelList,0))", "$#,##0.00##"),
    ("CachedPrice", "Cached input price (USD per million)",
     "=IF(INDEX(PriceCached,MATCH(Model,ModelList,0))=\"\",InputPrice,"
     "INDEX(PriceCached,MATCH(Model,ModelList,0)))", "$#,##0.00##"),
    ("TaskInputTokens", "Input tokens per task (all calls)",
     "=CallsPerTask*InputTokens+ContextGrowth*CallsPerTask*(CallsPerTask-1)/2", "#,##0"),
    ("TaskOutputTokens", "Output tokens per task", "=CallsPerTask*OutputTokens", "#,##0"),
    ("PriceFactor", "Share of list price paid (batch)", "=1-BatchShare*BatchDiscount", "0.0%"),
    ("InputCost", "Input cost per task (USD)",
     "=TaskInputTokens*((1-CachedShare)*InputPrice+CachedShare*CachedPrice)/1000000*PriceFactor",
     "$#,##0.000000"),
    ("OutputCost", "Output cost per task (USD)",
     "=TaskOutputTokens*OutputPrice/1000000*PriceFactor", "$#,##0.000000"),
    ("CostPerTask", "Cost per task (USD)", "=InputCost+OutputCost", "$#,##0.000000"),
    ("CostPerMonth", "Cost per month (USD)", "=CostPerTask*TasksPerMonth", "$#,##0.00"),
    ("CostPerYear", "Cost per year (USD)", "=CostPerMonth*12", "$#,##0.00"),
    ("CostPerMonthLocal", "Cost per month (your currency)", "=CostPerMonth*ExchangeRate",
     "#,##0.00"),
    ("InputShareOfCost", "Input's share of the cost",
     "=IF(CostPerTask=0,0,InputCost/CostPerTask)", "0%"),
    ("CostContextDoubles", "Per month if the context doubles (USD)",
     "=(2*InputCost+OutputCost)*TasksPerMonth", "$#,##0.00"),
    ("CostLoopTimesN", "Per month if the loop runs N times the calls (USD)",
     "=((CallsPerTask*Multiplier*InputTokens+ContextGrowth*CallsPerTask*Multiplier*"
     "(CallsPerTask*Multiplier-1)/2)*((1-CachedShare)*InputPrice+CachedShare*CachedPrice)"
     "+CallsPerTask*Multiplier*OutputTokens*OutputPrice)/1000000*PriceFactor*TasksPerMonth",
     "$#,##0.00"),
    ("CostOutputTimesN", "Per month if the output is N times longer (USD)",
     "=(InputCost+Multiplier*OutputCost)*TasksPerMonth", "$#,##0.00"),
]  # fmt: skip


def _input_values(form, rows) -> dict:
    data = form.cleaned_data
    chosen = calculator.calculate(
        workload=form.workload(), choice=data["model"], priced_rows=rows, multiplier=2
    ).chosen
    return {
        "Model": chosen.label if chosen else "",
        "InputTokens": data["input_tokens"],
        "OutputTokens": data["output_tokens"],
        "TasksPerMonth": data["tasks_per_month"],
        "CallsPerTask": data["calls_per_task"],
        "ContextGrowth": data["context_growth_per_call"],
        "CachedShare": float(data["cached_percent"] / 100),
        "BatchShare": float(data["batch_percent"] / 100),
        "BatchDiscount": float(economics.DEFAULT_BATCH_DISCOUNT),
        "Multiplier": data["multiplier"],
        "ExchangeRate": 1,
    }


def calculator_workbook(
    *, form, rows, exchange_rate=None, rate_note: str = "", prices_as_of=None
) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the calculator filled with the form's workload.
    `rows` are the priced catalogue rows (selectors.priced_models); `rate_note` says where
    the exchange rate comes from; `prices_as_of` is the newest date the prices reach."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    values = _input_values(form, rows)
    if exchange_rate is not None:
        values["ExchangeRate"] = float(exchange_rate)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Calculator"
    prices = wb.create_sheet("Prices")
    bold = Font(bold=True)
    input_fill = PatternFill("solid", fgColor="FFF4DE")

    # Prices: one row per model with a price today.
    headers = ["Model", "Provider", "Tier", "Input USD/Mtok", "Output USD/Mtok",
               "Cached input USD/Mtok", "Effective date", "Source"]  # fmt: skip
    prices.append(headers)
    for cell in prices[1]:
        cell.font = bold
    for row in rows:
        point = row.current
        prices.append(
            row_values(
                [
                    f"{row.model.provider} {row.model.name}",
                    row.model.provider,
                    row.model.tier,
                    float(point.input_usd_per_mtok),
                    float(point.output_usd_per_mtok),
                    None
                    if point.cached_input_usd_per_mtok is None
                    else float(point.cached_input_usd_per_mtok),
                    point.effective_date,
                    point.source,
                ]
            )
        )
    last = max(2, len(rows) + 1)
    for cells in prices.iter_rows(min_row=2, max_row=last):
        for cell in cells:
            guard_formulas(cell)
    for column, width in zip("ABCDEFGH", (44, 14, 11, 15, 16, 20, 14, 60), strict=True):
        prices.column_dimensions[column].width = width
    for cells in prices.iter_rows(min_row=2, max_row=last, min_col=4, max_col=6):
        for cell in cells:
            cell.protection = Protection(locked=False)  # prices may be updated by hand
            cell.number_format = "$#,##0.00##"
    for cells in prices.iter_rows(min_row=2, max_row=last, min_col=7, max_col=7):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd"
    prices.protection.sheet = True
    for name, column in (("ModelList", "A"), ("PriceInput", "D"), ("PriceOutput", "E"),
                         ("PriceCached", "F")):  # fmt: skip
        wb.defined_names[name] = DefinedName(name, attr_text=f"Prices!${column}$2:${column}${last}")

    # Calculator: inputs (unlocked, shaded), then formulas (locked).
    sheet["A1"] = "Token economics calculator"
    sheet["A1"].font = Font(bold=True, size=16)
    known = prices_as_of or timezone.localdate()
    sheet["A2"] = (
        f"Prices in USD per million tokens, from the workshop catalogue: prices as of "
        f"{known:%Y-%m-%d} (newest price in the catalogue). Change the shaded cells; the rest "
        "is calculated."
    )
    sheet["A4"], sheet["A4"].font = "Inputs", bold
    row_number = 5
    for item in INPUTS:
        sheet.cell(row_number, 1, item.label)
        (value,) = row_values([values[item.name]])
        cell = sheet.cell(row_number, 2, value)
        guard_formulas(cell)
        cell.number_format = item.number_format
        cell.fill = input_fill
        cell.protection = Protection(locked=False)
        help_text = item.help
        if item.name == "ExchangeRate" and rate_note:
            help_text = f"Converted {rate_note}."
        sheet.cell(row_number, 3, help_text).font = Font(italic=True, color="566473")
        wb.defined_names[item.name] = DefinedName(
            item.name, attr_text=f"Calculator!$B${row_number}"
        )
        row_number += 1
    row_number += 1
    sheet.cell(row_number, 1, "Results").font = bold
    row_number += 1
    for name, label, formula, number_format in FORMULAS:
        sheet.cell(row_number, 1, label)
        cell = sheet.cell(row_number, 2, formula)
        cell.number_format = number_format
        if name in ("CostPerTask", "CostPerMonth", "CostPerYear"):
            sheet.cell(row_number, 1).font = bold
            cell.font = bold
        wb.defined_names[name] = DefinedName(name, attr_text=f"Calculator!$B${row_number}")
        row_number += 1
    sheet.column_dimensions["A"].width = 52
    sheet.column_dimensions["B"].width = 46
    sheet.column_dimensions["C"].width = 44
    for cells in sheet.iter_rows(min_row=1, max_row=row_number):
        for cell in cells:
            cell.alignment = Alignment(vertical="center")

    model_row = 5
    dropdown = DataValidation(
        type="list",
        formula1="=ModelList",
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Unknown model",
        error="Choose a model from the list; add models on the Prices sheet.",
    )
    sheet.add_data_validation(dropdown)
    dropdown.add(f"B{model_row}")
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        error="Enter a whole number, zero or more.",
    )
    sheet.add_data_validation(whole)
    whole.add(f"B{model_row + 1}:B{model_row + 5}")
    share = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        showErrorMessage=True,
        error="Enter a percentage from 0% to 100%.",
    )
    sheet.add_data_validation(share)
    share.add(f"B{model_row + 6}:B{model_row + 8}")
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False

    return FILENAME, XLSX_CONTENT_TYPE, workbook_bytes(wb)
