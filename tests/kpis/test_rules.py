"""Block 3 rules (pure, no database)."""

import datetime
from decimal import Decimal

import pytest

from kpis import library, rules

TODAY = datetime.date(2026, 12, 10)
GUIDE_MESSAGE = (
    '"Improve efficiency" is not a KPI: it names an intention. Say what is counted, its unit '
    'and which way is better, e.g. "Hours saved per week/month (hours per week, higher is '
    'better)".'
)


def intention_message(shown: str, rewrite: str) -> str:
    return (
        f'"{shown}" is not a KPI: it names an intention. Say what is counted, its unit and '
        f'which way is better, e.g. "{rewrite}".'
    )


def valid(**changes) -> dict:
    values = {
        "name": "Hours spent matching invoices per week",
        "unit": "hours per week",
        "category": "efficiency",
        "direction": "lower",
        "measurement_frequency": "weekly",
        "feasibility": "measurable",
        "data_source_system": "SAP invoice log",
        "data_source_owner": "AP team lead",
        "baseline_value": Decimal("120"),
        "baseline_as_of": datetime.date(2026, 11, 1),
        "baseline_source": "October AP report",
        "no_baseline": False,
        "today": TODAY,
    }
    values.update(changes)
    return values


# --- Vague names ------------------------------------------------------------------------------
def test_vague_kpi_message_is_the_guides():
    assert rules.kpi_name_error("improve efficiency") == GUIDE_MESSAGE


@pytest.mark.parametrize(
    ("name", "shown", "rewrite"),
    [
        ("better quality", "Better quality", "QUALITY"),
        ("increase productivity", "Increase productivity", "TASKS"),
        ("Efficiency", "Efficiency", "TIME"),
        ("  improve   overall performance ", "Improve overall performance", "TASKS"),
        ("customer happiness", "Customer happiness", "CUSTOMERS"),
        ("more value for the business", "More value for the business", "ROI"),
        ("better results", "Better results", "QUALITY"),
        ("improve efficiencies", "Improve efficiencies", "TIME"),
    ],
)  # fmt: skip
def test_vague_kpi_names_refused(name, shown, rewrite):
    assert rules.kpi_name_error(name) == intention_message(shown, globals()[rewrite])


COST = "Cost per task/transaction (EUR per task, lower is better)"
TIME = "Hours saved per week/month (hours per week, higher is better)"
REVENUE = "Additional throughput enabled (requests per month, higher is better)"
CUSTOMERS = "Customer satisfaction deltas (CSAT points, higher is better)"
QUALITY = "Compliance/accuracy rates (% of outputs, higher is better)"
TASKS = "Tasks automated (tasks per month, higher is better)"
ROI = "ROI ratio (ratio (x), higher is better)"
ERRORS = "Error/rework reduction rate (% of cases, lower is better)"
SPEED = "Cycle time reduction (hours per case, lower is better)"

# The guide's "improve efficiency" and the intentions tables write instead of a KPI.
VAGUE = [
    ("Improve efficiency", TIME), ("Increase productivity", TASKS),
    ("Better customer experience", CUSTOMERS), ("Reduce costs", COST), ("Save time", TIME),
    ("Cost savings", COST), ("Lower costs", COST), ("Increase revenue", REVENUE),
    ("Happier customers", CUSTOMERS), ("Time savings", TIME), ("Better quality", QUALITY),
    ("reduce cost", COST), ("Reducing our costs", COST), ("Cut costs", COST),
    ("Lower operational costs", COST), ("Save money", COST), ("Saving time", TIME),
    ("Time saved", TIME), ("Reduce the time", TIME), ("Grow revenue", REVENUE),
    ("Revenue growth", REVENUE), ("More sales", REVENUE), ("Increase sales", REVENUE),
    ("Higher revenue", REVENUE), ("Customer satisfaction", CUSTOMERS),
    ("Improve customer satisfaction", CUSTOMERS), ("Happy customers", CUSTOMERS),
    ("Better service", CUSTOMERS), ("Improve quality", QUALITY), ("Quality improvement", QUALITY),
    ("Higher accuracy", QUALITY), ("Fewer errors", ERRORS), ("Reduce errors", ERRORS),
    ("Faster turnaround", SPEED), ("Improve speed", SPEED), ("Reduce costs by 20%", COST),
    ("REDUCE COSTS", COST), ("  cost   savings  ", COST), ("Increase ROI", ROI),
    ("Boost productivity", TASKS), ("Less manual work", TIME), ("Reduce effort", TIME),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rewrite"), VAGUE)
def test_intention_only_kpi_names_refused_with_a_library_rewrite(name, rewrite):
    shown = " ".join(name.split())
    shown = shown[:1].upper() + shown[1:]
    assert rules.kpi_name_error(name) == intention_message(shown, rewrite)


def test_intention_rewrite_follows_the_kpis_category():
    assert rules.kpi_name_error("Reduce costs", category="efficiency") == intention_message(
        "Reduce costs", TIME
    )
    assert rules.kpi_name_error("Save time", category="economic") == intention_message(
        "Save time", COST
    )
    assert rules.kpi_name_error("Happier customers", category="capacity") == intention_message(
        "Happier customers", REVENUE
    )


def test_intention_rewrite_in_the_workshops_currency():
    assert rules.kpi_name_error("Cost savings", currency="USD") == intention_message(
        "Cost savings", "Cost per task/transaction (USD per task, lower is better)"
    )


def test_at_least_thirty_vague_phrasings_are_tested():
    assert len(VAGUE) >= 30


# KPI names from the library and the guide that say what is counted.
GOOD = [row["name"] for row in library.library_rows()] + [
    "Hours saved per week", "Hours saved per month", "Tasks automated per month",
    "Error rate", "Rework rate", "Cycle time in hours", "Additional orders per month",
    "New customers per quarter", "Time to market in days", "Consistency score",
    "Accuracy rate", "Compliance rate", "CSAT delta", "Cost per task", "Cost per transaction",
    "ROI ratio", "Payback period in months", "Cost per processed invoice",
    "Invoices processed per clerk per day", "Average handling time per ticket",
    "Quotes sent within 2 hours", "First-contact resolution rate",
    "Revenue per account manager", "Customs declarations rejected per month",
    "Hours spent matching invoices per week", "Tickets closed without a person", "NPS",
]  # fmt: skip


@pytest.mark.parametrize("name", GOOD)
def test_good_kpi_names_accepted(name):
    assert rules.kpi_name_error(name) is None


def test_at_least_thirty_good_names_are_tested():
    assert len(GOOD) >= 30


def test_intention_list_is_data():
    import json
    from pathlib import Path

    data = json.loads((Path(rules.__file__).parent / "data" / "vague_kpis.json").read_text())
    assert "reduce" in data["intention_words"] and data["subjects"]["costs"] == "cost-per-task"
    keys = {row["key"] for row in library.library_rows()}
    assert set(data["subjects"].values()) <= keys
    assert set(data["category_rewrites"].values()) <= keys


@pytest.mark.parametrize(
    "name",
    [
        "Hours spent matching invoices per week",
        "Invoice matching cycle time",
        "First-contact resolution rate",
        "NPS",
        "Tickets closed without a person",
        "% of declarations rejected by customs",
        "Quotes sent within 2 hours",
        "Kosten pro Rechnung €",
    ],
)
def test_countable_kpi_names_accepted(name):
    assert rules.kpi_name_error(name) is None


def test_every_library_kpi_passes_the_rules():
    for row in library.library_rows():
        assert rules.kpi_name_error(row["name"]) is None, row["name"]
        assert rules.unit_error(row["unit"]) is None, row["unit"]


def test_kpi_name_empty():
    assert rules.kpi_name_error("   ") == (
        'Name the KPI: something you can count or time, e.g. "hours spent matching invoices per '
        'week".'
    )


def test_kpi_name_too_long():
    assert rules.kpi_name_error("hours " * 25) == (
        "Keep the KPI's name short: at most 120 characters (this has 149)."
    )


# --- Units ------------------------------------------------------------------------------------
def test_unit_required():
    assert rules.unit_error("") == (
        "Give the unit the KPI is counted in, e.g. 'hours per week', 'invoices per month', '%' "
        "or 'EUR per task'."
    )


@pytest.mark.parametrize("unit", ["better", "high", "improvement", "good quality"])
def test_unit_vague_refused(unit):
    assert rules.unit_error(unit) == (
        f"'{unit}' is not a unit. Give something you can count or time, e.g. 'hours per week', "
        "'invoices per month', '%' or 'EUR per task'."
    )


@pytest.mark.parametrize("unit", ["%", "hours per week", "EUR per task", "€", "tickets", "x"])
def test_unit_accepted(unit):
    assert rules.unit_error(unit) is None


def test_unit_too_long():
    assert rules.unit_error("h" * 41) == "Keep the unit short: at most 40 characters (this has 41)."


# --- Baseline ---------------------------------------------------------------------------------
def test_baseline_negative_refused():
    assert rules.baseline_error(Decimal("-1")) == (
        "A baseline cannot be negative. Enter the value as measured today, e.g. 120."
    )


def test_baseline_huge_refused():
    assert rules.baseline_error(Decimal("1000000000000")) == (
        "That number is too large for a baseline. Check the unit and the digits."
    )


def test_baseline_not_finite_refused():
    assert (
        rules.baseline_error(Decimal("NaN")) == "Enter the baseline as a number, e.g. 120 or 4.5."
    )


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("4.5"), Decimal("999999999999.9999")])
def test_baseline_accepted(value):
    assert rules.baseline_error(value) is None


def test_kpi_errors_none_when_valid():
    assert rules.kpi_errors(**valid()) == {}


def test_kpi_errors_value_or_no_baseline_required():
    assert rules.kpi_errors(**valid(baseline_value=None)) == {
        "baseline_value": (
            'Enter today\'s baseline value, or tick "No baseline yet" to create a task to '
            "establish it."
        )
    }


def test_kpi_errors_no_baseline_and_value_conflict():
    assert rules.kpi_errors(**valid(no_baseline=True)) == {
        "baseline_value": (
            'You ticked "No baseline yet" but entered a value. Clear the value or untick the box.'
        )
    }


def test_kpi_errors_no_baseline_accepted():
    assert rules.kpi_errors(**valid(no_baseline=True, baseline_value=None)) == {}


def test_kpi_errors_baseline_date_required():
    assert rules.kpi_errors(**valid(baseline_as_of=None)) == {
        "baseline_as_of": "Say when the baseline was measured (the figure's date)."
    }


def test_kpi_errors_baseline_date_in_future():
    assert rules.kpi_errors(**valid(baseline_as_of=TODAY + datetime.timedelta(days=1))) == {
        "baseline_as_of": "The baseline date cannot be in the future."
    }


def test_kpi_errors_baseline_date_ancient():
    assert rules.kpi_errors(**valid(baseline_as_of=datetime.date(1999, 12, 31))) == {
        "baseline_as_of": "Check the baseline date: it is before the year 2000."
    }


# --- Data source and choices ------------------------------------------------------------------
def test_kpi_errors_data_source_required_when_measurable():
    message = "Say where the numbers come from, e.g. 'SAP invoice log' or 'Zendesk ticket export'."
    assert rules.kpi_errors(**valid(data_source_system="")) == {"data_source_system": message}
    # Needs instrumentation: the owner and the date are the data source (checked for
    # completeness, not on save).
    assert rules.kpi_errors(**valid(data_source_system="", feasibility="instrument")) == {}


@pytest.mark.parametrize(
    ("feasibility", "system", "owner", "instrument_by", "has"),
    [
        ("measurable", "SAP", "AP lead", None, True),
        ("measurable", "SAP", "", None, False),
        ("measurable", "", "AP lead", datetime.date(2027, 1, 15), False),
        ("instrument", "", "AP lead", datetime.date(2027, 1, 15), True),
        ("instrument", "", "AP lead", None, False),
        ("instrument", "", "", datetime.date(2027, 1, 15), False),
        ("instrument", "Zendesk", "Ops lead", None, True),
        ("not_yet", "", "AP lead", datetime.date(2027, 1, 15), True),
        ("not_yet", "", "", None, False),
        ("not_yet", "  ", "  ", None, False),
    ],
)
def test_has_data_source(feasibility, system, owner, instrument_by, has):
    assert (
        rules.has_data_source(
            feasibility=feasibility, system=system, owner=owner, instrument_by=instrument_by
        )
        is has
    )


def test_data_source_text():
    assert (
        rules.data_source_text(
            feasibility="measurable", system="SAP", owner="AP lead", instrument_by=None
        )
        == "SAP (owner: AP lead)"
    )
    assert (
        rules.data_source_text(
            feasibility="instrument",
            system="",
            owner="AP lead",
            instrument_by=datetime.date(2027, 1, 5),
        )
        == "to be instrumented by AP lead by 5 Jan 2027"
    )
    assert (
        rules.data_source_text(feasibility="not_yet", system="", owner="", instrument_by=None) == ""
    )


@pytest.mark.parametrize(
    ("count", "with_source", "complete"),
    [(0, 0, False), (1, 1, False), (2, 2, True), (2, 1, False), (3, 3, True), (3, 2, False),
     (4, 4, False)],
)  # fmt: skip
def test_kpi_step_needs_two_kpis_each_with_a_data_source(count, with_source, complete):
    assert rules.kpi_step_complete(count, with_source) is complete


@pytest.mark.parametrize(
    ("instrument_by", "message"),
    [
        (datetime.date(1999, 12, 31), "Check the date: it is before the year 2000."),
        (datetime.date(2032, 1, 1), "Choose a date within the next five years."),
    ],
)
def test_kpi_errors_instrument_date_checked(instrument_by, message):
    assert rules.kpi_errors(
        **valid(feasibility="instrument", data_source_system="", instrument_by=instrument_by)
    ) == {"instrument_by": message}
    # A measurable KPI ignores it (the service clears it).
    assert rules.kpi_errors(**valid(instrument_by=instrument_by)) == {}


def test_ambition_errors():
    assert rules.ambition_errors(good_enough="", transformational="") == {}
    assert rules.ambition_errors(good_enough="g" * 200, transformational="t" * 200) == {}
    assert rules.ambition_errors(good_enough="g" * 201, transformational="t" * 201) == {
        "good_enough": 'What "good enough" looks like is too long: at most 200 characters '
        "(this has 201).",
        "transformational": 'What "transformational" looks like is too long: at most 200 '
        "characters (this has 201).",
    }


def test_kpi_errors_data_source_optional_when_not_measurable_yet():
    assert rules.kpi_errors(**valid(data_source_system="", feasibility="not_yet")) == {}


def test_kpi_errors_long_texts():
    assert rules.kpi_errors(
        **valid(
            data_source_system="s" * 201, data_source_owner="o" * 201, baseline_source="b" * 201
        )
    ) == {
        "data_source_system": "Keep the data source short: at most 200 characters (this has 201).",
        "data_source_owner": (
            "The data owner's name is too long: at most 200 characters (this has 201)."
        ),
        "baseline_source": (
            "The baseline's source is too long: at most 200 characters (this has 201)."
        ),
    }


def test_kpi_errors_bad_choices():
    assert rules.kpi_errors(
        **valid(category="vibes", direction="up", measurement_frequency="hourly", feasibility="?")
    ) == {
        "category": "Choose the KPI's category.",
        "direction": "Say whether higher or lower is better for this KPI.",
        "measurement_frequency": "Say how often the KPI will be measured.",
        "feasibility": "Say whether you can measure this today.",
    }


# --- How many and which mix -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "complete"), [(0, False), (1, False), (2, True), (3, True), (4, False)]
)
def test_kpi_step_complete_only_with_two_or_three(count, complete):
    assert rules.kpi_step_complete(count) is complete


def test_kpi_count_messages():
    assert rules.kpi_count_message(0) == "Choose 2 more KPIs: each agent needs 2 or 3."
    assert rules.kpi_count_message(1) == "Choose 1 more KPI: each agent needs 2 or 3."
    assert rules.kpi_count_message(2) is None
    assert rules.kpi_count_message(3) is None
    assert rules.kpi_count_message(4) == "An agent has at most 3 KPIs. Remove one."


BOTTOM_NUDGE = (
    "A bottom-line agent should have an Efficiency or Economic KPI that shows the cost it "
    "removes, e.g. hours saved per week."
)
TOP_NUDGE = (
    "A top-line agent should have a Capacity KPI that shows the revenue it makes possible, "
    "e.g. additional throughput enabled."
)
ECONOMIC_NUDGE = (
    "Add an Economic KPI (cost per task, ROI ratio or payback period) so finance sees what the "
    "agent costs against what it delivers."
)


def test_nudges_bottom_line_without_efficiency_or_economic():
    assert rules.kpi_mix_nudges("bottom_line", ["quality", "capacity"]) == [
        BOTTOM_NUDGE,
        ECONOMIC_NUDGE,
    ]


def test_nudges_bottom_line_with_efficiency_only_asks_for_economic():
    assert rules.kpi_mix_nudges("bottom_line", ["efficiency", "quality"]) == [ECONOMIC_NUDGE]


def test_nudges_bottom_line_with_economic_is_satisfied():
    assert rules.kpi_mix_nudges("bottom_line", ["economic", "quality"]) == []


def test_nudges_top_line_without_capacity():
    assert rules.kpi_mix_nudges("top_line", ["efficiency", "economic"]) == [TOP_NUDGE]


def test_nudges_top_line_complete_mix():
    assert rules.kpi_mix_nudges("top_line", ["capacity", "economic"]) == []


def test_nudges_unclassified_agent_only_economic():
    assert rules.kpi_mix_nudges("", ["efficiency"]) == [ECONOMIC_NUDGE]


def test_nudges_none_without_kpis():
    assert rules.kpi_mix_nudges("bottom_line", []) == []
