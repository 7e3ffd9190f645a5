"""The register as a workbook of typed data: a sheet each for the workshop, agents, KPIs,
targets (with their assumptions), benchmarks, constraints, economics, actions and sign-offs."""

from django.utils import timezone

from common import spreadsheet
from common.spreadsheet import Column, spreadsheet_text

from . import charts
from .selectors import Register, person_name


def _workshop_sheet(workbook, register: Register) -> None:
    workshop = register.workshop
    rows = [
        ("Client", workshop.client_organisation, None, None),
        ("Workshop", workshop.title, None, None),
        ("Date", None, workshop.date, None),
        ("Venue", workshop.venue, None, None),
        ("Facilitators", ", ".join(person_name(u) for u in register.facilitators), None, None),
        (
            "Finance representative",
            ", ".join(register.finance_representatives),
            None,
            None,
        ),
        ("Currency", workshop.currency, None, None),
        ("Status", register.status_label, None, None),
        ("Agents", None, None, len(register.agents)),
        ("Agents signed off", None, None, register.signed_off_count),
        ("Prices as of", "Newest price in the catalogue", register.prices.as_of, None),
        ("Priced for", "The workshop's pricing date", workshop.pricing_date, None),
        ("Price warning", register.prices.warning() or "None", None, None),
        ("Exchange rate", workshop.rate_note or "US dollars: no conversion", None, None),
    ]
    columns = [
        Column("Item", width=26),
        Column("Text", width=60),
        Column("Date", "date", width=14),
        Column("Number", "int", width=12),
    ]
    spreadsheet.add_sheet(workbook, "Workshop", columns, rows)


def _agent_rows(register: Register):
    for entry in register.agents:
        agent = entry.agent
        yield (
            agent.priority_rank,
            agent.name,
            agent.table.name if agent.table else "",
            agent.business_process,
            agent.owner_name,
            agent.get_economic_class_display() if agent.economic_class else "",
            agent.value_driver_label,
            agent.thesis,
            entry.kpi_count,
            entry.target_status,
            entry.signoff_label,
            entry.roi_at_target,
            len(entry.open_actions),
        )


AGENT_COLUMNS = [
    Column("Priority", "int", width=9),
    Column("Agent", width=32),
    Column("Table", width=14),
    Column("Business process", width=24),
    Column("Owner", width=20),
    Column("Classification", width=28),
    Column("Value driver", width=20),
    Column("Economic thesis", width=50),
    Column("KPIs", "int", width=7),
    Column("Targets", width=12),
    Column("Sign-off", width=22),
    Column("ROI at target", "decimal", width=13),
    Column("Open actions", "int", width=12),
]

KPI_COLUMNS = [
    Column("Agent", width=32),
    Column("KPI", width=36),
    Column("Category", width=24),
    Column("Unit", width=16),
    Column("Direction", width=16),
    Column("Data source", width=24),
    Column("Data owner", width=20),
    Column("Frequency", width=14),
    Column("Feasibility", width=22),
    Column("To be instrumented by", "date", width=14),
    Column("Baseline", "decimal", width=14),
    Column("Baseline as of", "date", width=14),
    Column("Baseline source", width=28),
    Column("From library", width=12),
]


def _kpi_rows(register: Register):
    for entry in register.agents:
        for item in entry.kpis:
            kpi = item.kpi
            yield (
                entry.agent.name,
                kpi.name,
                kpi.get_category_display(),
                kpi.unit,
                kpi.get_direction_display(),
                kpi.data_source_system,
                kpi.data_source_owner,
                kpi.get_measurement_frequency_display(),
                kpi.get_feasibility_display(),
                kpi.instrument_by if kpi.feasibility != "measurable" else None,
                kpi.baseline_value,
                kpi.baseline_as_of,
                kpi.baseline_source,
                "No" if kpi.is_custom else "Yes",
            )


TARGET_COLUMNS = [
    Column("Agent", width=32),
    Column("KPI", width=36),
    Column("Unit", width=16),
    Column("Direction", width=16),
    Column("Baseline", "decimal", width=12),
    Column("Horizon (months)", "int", width=10),
    Column("Floor", "decimal", width=12),
    Column("Target", "decimal", width=12),
    Column("Stretch", "decimal", width=12),
    Column("Assumptions", width=60),
    Column("Good enough", width=36),
    Column("Transformational", width=36),
]


def _target_rows(register: Register):
    for entry in register.agents:
        for item in entry.kpis:
            if not item.targets:
                continue
            for horizon in charts.HORIZONS:
                yield (
                    entry.agent.name,
                    item.kpi.name,
                    item.kpi.unit,
                    item.kpi.get_direction_display(),
                    item.kpi.baseline_value,
                    horizon,
                    *(item.target(horizon, level) for level in charts.LEVELS),
                    item.assumptions,
                    item.kpi.good_enough,
                    item.kpi.transformational,
                )


BENCHMARK_COLUMNS = [
    Column("Agent", width=32),
    Column("KPI", width=36),
    Column("Kind", width=20),
    Column("Who achieved it", width=36),
    Column("Claimed improvement (%)", "decimal", width=14),
    Column("Discount (%)", "decimal", width=12),
    Column("Usable improvement (%)", "decimal", width=14),
    Column("Source", width=36),
    Column("Claimed improvement (KPI unit)", "decimal", width=14),
    Column("Usable improvement (KPI unit)", "decimal", width=14),
]


def _benchmark_rows(register: Register):
    for entry in register.agents:
        for item, benchmark in entry.benchmarks:
            yield (
                entry.agent.name,
                item.kpi.name,
                benchmark.get_kind_display(),
                benchmark.description,
                benchmark.improvement_percent,
                benchmark.discount_percent if benchmark.is_vendor else None,
                benchmark.usable_percent,
                benchmark.source,
                benchmark.absolute_change,
                benchmark.usable_absolute,
            )
        for item in entry.no_evidence:
            reason = item.item.no_evidence.reason
            yield (
                entry.agent.name, item.kpi.name, NO_EVIDENCE, reason, None, None, None, "", None,
                None,
            )  # fmt: skip


CONSTRAINT_COLUMNS = [
    Column("Agent", width=32),
    Column("KPI", width=36),
    Column("What limits adoption", width=40),
    Column("Notes", width=40),
    Column("Adoption at 6 months (%)", "decimal", width=14),
    Column("Adoption at 12 months (%)", "decimal", width=14),
]


def _constraint_rows(register: Register):
    for entry in register.agents:
        for item in entry.constraints:
            analysis = item.item.analysis
            yield (
                entry.agent.name,
                item.kpi.name,
                ", ".join(analysis.constraint_labels),
                analysis.notes,
                analysis.adoption_6m_percent,
                analysis.adoption_12m_percent,
            )


ECONOMICS_COLUMNS = [
    Column("Agent", width=32),
    Column("Scenario", width=10),
    Column("Monthly value at 6 months", "decimal", width=14),
    Column("Monthly value at 12 months", "decimal", width=14),
    Column("Monthly run cost", "decimal", width=14),
    Column("Build cost", "decimal", width=14),
    Column("First-year value", "decimal", width=14),
    Column("First-year cost", "decimal", width=14),
    Column("ROI (first year)", "decimal", width=12),
    Column("Payback (months)", "decimal", width=12),
]


def _economics_rows(register: Register):
    for entry in register.agents:
        for scenario in entry.economics.scenarios:
            yield (
                entry.agent.name,
                scenario.level.capitalize(),
                scenario.value_6,
                scenario.value_12,
                scenario.run_cost,
                scenario.build_cost,
                scenario.year_value,
                scenario.year_cost,
                scenario.roi,
                scenario.payback,
            )


VALUE_COLUMNS = [
    Column("Agent", width=32),
    Column("Value KPI", width=36),
    Column("Unit", width=16),
    Column("Counted", width=16),
    Column("Value per unit", "decimal", width=14),
    Column("Basis of the value per unit", width=50),
    Column("Model", width=28),
    Column("List price as of", "date", width=14),
    Column("Tokens per task", "int", width=12),
    Column("Tasks per month", "int", width=12),
    Column("Cost per task", "decimal", width=12),
    Column("Monthly run cost", "decimal", width=14),
    Column("One-off build cost", "decimal", width=14),
]


def _value_rows(register: Register):
    """Per agent: the KPI that carries the value, its value per unit and basis, and the AI
    workload behind the run cost."""
    for entry in register.agents:
        summary = entry.economics
        inputs = summary.inputs
        kpi = summary.value_kpi
        workload = entry.workload
        yield (
            entry.agent.name,
            kpi.name if kpi else "",
            kpi.unit if kpi else "",
            inputs.get_period_display() if inputs else "",
            inputs.value_per_unit if inputs else None,
            inputs.value_basis if inputs else "",
            workload.model if workload else "",
            workload.price_date if workload else None,
            workload.tokens_per_task if workload else None,
            workload.tasks_per_month if workload else None,
            workload.cost_per_task if workload else None,
            summary.run_cost
            if summary.run_cost is not None
            else (workload.monthly_run_cost if workload else None),
            inputs.build_cost if inputs else None,
        )


ACTION_COLUMNS = [
    Column("Due", "date", width=12),
    Column("Owner", width=22),
    Column("Action", width=50),
    Column("Kind", width=22),
    Column("Status", width=12),
]


def _action_rows(register: Register):
    for action in register.actions:
        yield (
            action.due_date,
            action.owner,
            action.action,
            action.get_origin_display(),
            action.get_status_display(),
        )


def signoff_columns() -> list[Column]:
    """The sign-off sheet's columns; its times are in the active time zone, named in the
    header ("Signed at (UTC)")."""
    zone = timezone.get_current_timezone_name()
    return [
        Column("Agent", width=32),
        Column("Status", width=22),
        Column("Signed by", width=26),
        Column("Role or title", width=20),
        Column(f"Signed at ({zone})", "datetime", width=20),
        Column("SHA-256 of signed values", width=68),
        Column("What changed since", width=60),
        Column("Voided by", width=26),
        Column(f"Voided at ({zone})", "datetime", width=20),
        Column("Why voided", width=40),
    ]


VOID = "Void"
NO_EVIDENCE = "No comparable evidence"


def _changes_text(changes) -> str:
    return "; ".join(f"{c.field}: {c.old} → {c.new}" for c in changes)


def _signoff_rows(register: Register):
    """Each agent's current sign-off (or its absence), then its voided ones, newest first."""
    for entry in register.agents:
        signoff = entry.shown_signoff
        if signoff is None:
            yield (entry.agent.name, entry.signoff_label, "", "", None, "", "", "", None, "")
        else:
            yield (
                entry.agent.name,
                entry.signoff_label,
                signoff.signer_name,
                signoff.signer_title,
                signoff.signed_at,
                signoff.values_sha256,
                _changes_text(entry.changes),
                "",
                None,
                "",
            )
        for void in entry.voided_signoffs:
            yield (
                entry.agent.name,
                VOID,
                void.signer_name,
                void.signer_title,
                void.signed_at,
                void.values_sha256,
                "",
                person_name(void.voided_by),
                void.voided_at,
                void.void_reason,
            )


FORECAST_COLUMNS = [
    Column("Agent", width=32),
    Column("Month", "int", width=8),
    Column("Model cost at full volume, today's prices", "decimal", width=16),
    Column("Adoption at 6 months (%)", "decimal", width=12),
    Column("Adoption at 12 months (%)", "decimal", width=12),
    Column("Price decline (% a year)", "decimal", width=12),
    Column("Other monthly cost", "decimal", width=14),
    Column("Adoption this month (%)", "decimal", width=12),
    Column("Price factor", "decimal", width=12),
    Column("Model cost", "decimal", width=14),
    Column("Total", "decimal", width=14),
]
# The formulas of one agent-month row (row number {r}); the inputs are the columns C to G.
FORECAST_FORMULAS = {
    "H": "=ROUND(IF(B{r}<=6,D{r}*B{r}/6,IF(B{r}<=12,D{r}+(E{r}-D{r})*(B{r}-6)/6,E{r})),2)",
    "I": "=IF(F{r}=0,1,ROUND((1-F{r}/100)^(B{r}/12),6))",
    "J": "=ROUND(C{r}*H{r}/100*I{r},2)",
    "K": "=J{r}+G{r}",
}
PORTFOLIO = "Portfolio"


def _forecast_sheet(book, register: Register) -> None:
    """Each agent's months with live formulas (change an input, the months follow), then the
    portfolio's months as sums of the agents'."""
    forecast = register.forecast
    if forecast is None:
        return
    rows = [
        (
            agent.name,
            row.month,
            agent.full_volume_cost,
            agent.adoption_6,
            agent.adoption_12,
            agent.decline_percent,
            agent.other_cost,
            None,
            None,
            None,
            None,
        )
        for agent in forecast.agents
        for row in agent.rows
    ]
    last = len(rows) + 1
    portfolio = [
        (PORTFOLIO, month, None, None, None, None, None, None, None, None, None)
        for month in range(1, len(forecast.totals) + 1)
    ]
    spreadsheet.add_sheet(book, "Cost forecast", FORECAST_COLUMNS, [*rows, *portfolio])
    sheet = book["Cost forecast"]
    for r in range(2, last + 1):
        for column, formula in FORECAST_FORMULAS.items():
            cell = sheet[f"{column}{r}"]
            cell.value = formula.format(r=r)
            cell.number_format = "#,##0.00####" if column == "I" else "#,##0.00"
    for r in range(last + 1, last + 1 + len(portfolio)):
        cell = sheet[f"K{r}"]
        cell.value = f"=SUMIF($B$2:$B${last},B{r},$K$2:$K${last})"
        cell.number_format = "#,##0.00"


def workbook(register: Register) -> bytes:
    book = spreadsheet.new_workbook()
    _workshop_sheet(book, register)
    spreadsheet.add_sheet(book, "Agents", AGENT_COLUMNS, _agent_rows(register))
    spreadsheet.add_sheet(book, "KPIs", KPI_COLUMNS, _kpi_rows(register))
    spreadsheet.add_sheet(book, "Targets", TARGET_COLUMNS, _target_rows(register))
    spreadsheet.add_sheet(book, "Benchmarks", BENCHMARK_COLUMNS, _benchmark_rows(register))
    spreadsheet.add_sheet(book, "Constraints", CONSTRAINT_COLUMNS, _constraint_rows(register))
    spreadsheet.add_sheet(book, "Economics", ECONOMICS_COLUMNS, _economics_rows(register))
    spreadsheet.add_sheet(book, "Value and workload", VALUE_COLUMNS, _value_rows(register))
    _forecast_sheet(book, register)
    spreadsheet.add_sheet(book, "Actions", ACTION_COLUMNS, _action_rows(register))
    spreadsheet.add_sheet(book, "Sign-offs", signoff_columns(), _signoff_rows(register))
    book.properties.title = spreadsheet_text(register.title)
    book.properties.creator = spreadsheet_text(register.author)
    return spreadsheet.workbook_bytes(book)
