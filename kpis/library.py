"""The KPI library as the guide names it: four categories, each KPI with its definition, unit,
direction, typical data sources and the archetype it serves. Seeded by a data migration and
editable in the admin afterwards."""

# (key, name, category, serves, unit, direction, definition, typical data sources)
LIBRARY = [
    # 1. Efficiency KPIs (Bottom Line)
    ("hours-saved", "Hours saved per week/month", "efficiency", "bottom_line",
     "hours per week", "higher",
     "Staff hours no longer spent on the process because the agent does the work, per week or "
     "per month, against the time the same volume took before the agent.",
     "Timesheets or time tracking; workflow timestamps; activity sampling by the team lead"),
    ("tasks-automated", "Tasks automated (count)", "efficiency", "bottom_line",
     "tasks per month", "higher",
     "Number of tasks or cases the agent completes end to end without a person touching them, "
     "per period.",
     "Agent run logs; workflow or ticketing system (cases closed by the agent)"),
    ("error-rework-rate", "Error/rework reduction rate", "efficiency", "bottom_line",
     "% of cases", "lower",
     "Share of cases that need correcting or redoing; the fall against the baseline rate is the "
     "value the agent delivers.",
     "Quality-check samples; rework and exception queues; audit findings"),
    ("cycle-time", "Cycle time reduction (days → hours)", "efficiency", "bottom_line",
     "hours per case", "lower",
     "Elapsed time from the start of a case to its completion; the agent should bring it from "
     "days to hours.",
     "Workflow or ERP timestamps (created, completed); ticketing system"),
    # 2. Capacity KPIs (Top Line)
    ("additional-throughput", "Additional throughput enabled", "capacity", "top_line",
     "requests per month", "higher",
     "Extra orders, cases or requests handled per period with the same team, beyond the most "
     "it could handle before the agent.",
     "Order management or CRM volumes; capacity plans"),
    ("new-customers-serviceable", "New customers/requests serviceable", "capacity", "top_line",
     "customers per month", "higher",
     "Customers or requests that can now be served which were previously turned away, deferred "
     "or out of reach.",
     "CRM and sales pipeline; declined or lost-request logs"),
    ("time-to-market", "Time-to-market acceleration", "capacity", "top_line",
     "days", "lower",
     "Time from an idea or customer request to a launched product, offer or quote.",
     "Project and portfolio tools; release records; quote timestamps in the CRM"),
    # 3. Quality KPIs (Both)
    ("consistency-score", "Consistency scores", "quality", "both",
     "score (0-100)", "higher",
     "How consistently outputs meet the agreed standard for the same kind of case, scored on a "
     "rubric by sample review.",
     "QA sample reviews with a scoring rubric; evaluation runs"),
    ("compliance-accuracy-rate", "Compliance/accuracy rates", "quality", "both",
     "% of outputs", "higher",
     "Share of outputs found correct and compliant with policy or regulation on review.",
     "Audit and compliance reviews; QA sampling; regulator findings"),
    ("csat-delta", "Customer satisfaction deltas", "quality", "both",
     "CSAT points", "higher",
     "Change in customer satisfaction (CSAT or NPS) for interactions the agent touches, against "
     "comparable interactions without it.",
     "Survey tools (CSAT, NPS); contact-centre platform"),
    # 4. Economic KPIs (FinOps)
    ("cost-per-task", "Cost per task/transaction", "economic", "finops",
     "currency per task", "lower",
     "All-in cost of completing one task: model tokens, platform and the human time still "
     "needed, divided by the tasks completed.",
     "LLM provider invoices and token usage logs; FinOps tooling (e.g. Pay-i); finance cost "
     "centres"),
    ("roi-ratio", "ROI ratio (value delivered / cost incurred)", "economic", "finops",
     "ratio (x)", "higher",
     "Value the agent delivers in a period divided by what it costs in that period to build, "
     "run and support.",
     "Finance: value priced from the Efficiency and Capacity KPIs; cost from invoices and "
     "budgets"),
    ("payback-period", "Payback period", "economic", "finops",
     "months", "lower",
     "Months until the cumulative value delivered equals the cumulative cost incurred, build "
     "cost included.",
     "Finance business case; cost and value ledgers"),
]  # fmt: skip

FIELDS = [
    "key",
    "name",
    "category",
    "serves",
    "unit",
    "direction",
    "definition",
    "typical_data_sources",
]


def library_rows() -> list[dict]:
    """The library as field dicts, with positions in the guide's order."""
    return [
        dict(zip(FIELDS, row, strict=True), position=position)
        for position, row in enumerate(LIBRARY, start=1)
    ]
