"""Block 3 rules: the four KPI categories, what makes a KPI measurable, how many an agent needs,
and which mix suits its archetype.

Pure functions, no Django, shared by the forms, services, pages and tests. "Push back on vague
KPIs: 'improve efficiency' is not a KPI."
"""

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

from . import library

EFFICIENCY = "efficiency"
CAPACITY = "capacity"
QUALITY = "quality"
ECONOMIC = "economic"

CATEGORY_CHOICES = [
    (EFFICIENCY, "Efficiency (Bottom Line)"),
    (CAPACITY, "Capacity (Top Line)"),
    (QUALITY, "Quality (Both)"),
    (ECONOMIC, "Economic (FinOps)"),
]
CATEGORY_LABELS = dict(CATEGORY_CHOICES)

HIGHER = "higher"
LOWER = "lower"
DIRECTION_CHOICES = [(HIGHER, "Higher is better"), (LOWER, "Lower is better")]

# Which archetype a library KPI serves.
SERVES_BOTTOM_LINE = "bottom_line"
SERVES_TOP_LINE = "top_line"
SERVES_BOTH = "both"
SERVES_FINOPS = "finops"
SERVES_CHOICES = [
    (SERVES_BOTTOM_LINE, "Bottom line"),
    (SERVES_TOP_LINE, "Top line"),
    (SERVES_BOTH, "Both"),
    (SERVES_FINOPS, "FinOps"),
]

MEASURABLE = "measurable"
NEEDS_INSTRUMENTATION = "instrument"
NOT_MEASURABLE = "not_yet"
FEASIBILITY_CHOICES = [
    (MEASURABLE, "Measurable today"),
    (NEEDS_INSTRUMENTATION, "Needs instrumentation"),
    (NOT_MEASURABLE, "Cannot be measured yet"),
]
# Colour of each feasibility on the projector's check.
FEASIBILITY_COLOURS = {MEASURABLE: "green", NEEDS_INSTRUMENTATION: "amber", NOT_MEASURABLE: "red"}

FREQUENCY_CHOICES = [
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("per_task", "Per task or transaction"),
]

MIN_KPIS = 2
MAX_KPIS = 3

MAX_NAME_LENGTH = 120
MAX_AMBITION_LENGTH = 200
MAX_UNIT_LENGTH = 40
# Baselines are recorded with four decimals; larger than this is a typing slip.
MAX_BASELINE = Decimal("1000000000000")

VAGUE_KPI_EXAMPLE = "hours spent matching invoices per week"
UNIT_EXAMPLES = "'hours per week', 'invoices per month', '%' or 'EUR per task'"

# Words that name an aspiration, not a measure.
VAGUE_WORDS = frozenset(  # a word list reads best as words
    """
    a an and the of to in on for with by from at as or our we us it its this that improve
    improved improves improving improvement better best good great high higher low lower
    efficiency efficient productivity productive performance effectiveness effective quality
    value success successful impact outcome outcomes result results benefit benefits increase
    increased increasing reduce reduced reducing decrease decreased more less overall general
    business company team teams staff employee employees people process processes operations
    operational work working optimise optimize optimisation optimization streamline enhance
    enhanced boost satisfaction happiness experience engagement morale agility innovation
    excellence efficiencies improvements savings gains things stuff everything
    """.split()  # noqa: SIM905
)

# Words that say what is counted or timed.
MEASURE_WORDS = frozenset(  # a word list reads best as words
    """
    seconds second minutes minute hours hour hrs days day weeks week months month years year
    time times duration period lead latency turnaround cycle count number numbers volume
    volumes throughput rate rates ratio ratios percent percentage share proportion delta
    deltas score scores index nps csat ces sla slas cost costs spend price prices eur usd gbp
    chf revenue margin roi payback per each average mean median total
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def _counts_something(text: str) -> bool:
    """Does the text name something countable or timed: a measure word, a number, a percent
    sign, a currency sign, or a plural thing ("invoices", "tickets")?"""
    if re.search(r"[%#€$£¥]|\d", text):
        return True
    for word in words(text):
        if word in MEASURE_WORDS:
            return True
        if (
            len(word) > 3
            and word.endswith("s")
            and not word.endswith("ss")
            and word not in VAGUE_WORDS
        ):
            return True
    return False


@cache
def _intentions() -> dict:
    """The list of intention-only phrasings, kept as data in kpis/data/vague_kpis.json."""
    data = json.loads((Path(__file__).parent / "data" / "vague_kpis.json").read_text("utf-8"))
    return {
        "intention": frozenset(data["intention_words"]),
        "filler": frozenset(data["filler_words"]),
        "subjects": data["subjects"],
        "category_rewrites": data["category_rewrites"],
    }


def _intention_subjects(name: str) -> list[str] | None:
    """The subject words of a name that states only an intention ("reduce costs" ->
    ["costs"]), or None when the name says more than that."""
    data = _intentions()
    rest = [
        w
        for w in words(name)
        if w not in data["intention"] and w not in data["filler"] and not w.isdigit()
    ]
    if all(w in data["subjects"] for w in rest):
        return rest
    return None


def is_vague_kpi_name(name: str) -> bool:
    if _intention_subjects(name) is not None:
        return True
    specific = [w for w in words(name) if w not in VAGUE_WORDS]
    return not specific or not _counts_something(name)


def _library_row(key: str) -> dict:
    return next(row for row in library.library_rows() if row["key"] == key)


def kpi_rewrite(name: str, *, category: str = "", currency: str = "EUR") -> str:
    """A concrete KPI from the library to offer instead of a vague name: the subject's own
    library KPI when it is of the KPI's category (or no category is chosen), else the
    category's first example. "Cost per task/transaction (EUR per task, lower is better)"."""
    data = _intentions()
    keys = [data["subjects"][w] for w in (_intention_subjects(name) or [])]
    key = next(
        (k for k in keys if not category or _library_row(k)["category"] == category),
        data["category_rewrites"].get(category, "hours-saved"),
    )
    row = _library_row(key)
    unit = row["unit"].replace("currency", currency or "EUR")
    better = "higher" if row["direction"] == HIGHER else "lower"
    name = re.sub(r"\s*\([^)]*\)$", "", row["name"])
    return f"{name} ({unit}, {better} is better)"


def vague_kpi_message(name: str, *, category: str = "", currency: str = "EUR") -> str:
    """The guide's push-back, quoting what was typed, with a KPI from the library instead."""
    shown = " ".join((name or "").split())
    shown = shown[:1].upper() + shown[1:]
    rewrite = kpi_rewrite(name, category=category, currency=currency)
    return (
        f'"{shown}" is not a KPI: it names an intention. Say what is counted, its unit and '
        f'which way is better, e.g. "{rewrite}".'
    )


def kpi_name_error(name: str, *, category: str = "", currency: str = "EUR") -> str | None:
    name = " ".join((name or "").split())
    if not name:
        return f'Name the KPI: something you can count or time, e.g. "{VAGUE_KPI_EXAMPLE}".'
    if len(name) > MAX_NAME_LENGTH:
        return (
            f"Keep the KPI's name short: at most {MAX_NAME_LENGTH} characters "
            f"(this has {len(name)})."
        )
    if is_vague_kpi_name(name):
        return vague_kpi_message(name, category=category, currency=currency)
    return None


def unit_error(unit: str) -> str | None:
    unit = " ".join((unit or "").split())
    if not unit:
        return f"Give the unit the KPI is counted in, e.g. {UNIT_EXAMPLES}."
    if len(unit) > MAX_UNIT_LENGTH:
        return f"Keep the unit short: at most {MAX_UNIT_LENGTH} characters (this has {len(unit)})."
    if not [w for w in words(unit) if w not in VAGUE_WORDS] and not re.search(r"[%#€$£¥]", unit):
        return (
            f"'{unit}' is not a unit. Give something you can count or time, e.g. {UNIT_EXAMPLES}."
        )
    return None


def baseline_error(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if not value.is_finite():
        return "Enter the baseline as a number, e.g. 120 or 4.5."
    if value < 0:
        return "A baseline cannot be negative. Enter the value as measured today, e.g. 120."
    if value >= MAX_BASELINE:
        return "That number is too large for a baseline. Check the unit and the digits."
    return None


def has_data_source(*, feasibility: str, system: str, owner: str, instrument_by) -> bool:
    """A KPI's data source is identified: the system and its owner, or (when it cannot be
    measured today) the owner who will instrument it and by when."""
    system, owner = (system or "").strip(), (owner or "").strip()
    if system and owner:
        return True
    return feasibility != MEASURABLE and bool(owner) and instrument_by is not None


def data_source_text(*, feasibility: str, system: str, owner: str, instrument_by) -> str:
    """ "SAP invoice log (owner: AP lead)" or "to be instrumented by AP lead by 2027-01-15"."""
    system, owner = (system or "").strip(), (owner or "").strip()
    if feasibility != MEASURABLE and instrument_by is not None and owner:
        when = f"{instrument_by.day} {instrument_by:%b %Y}"
        prefix = f"{system}, " if system else ""
        return f"{prefix}to be instrumented by {owner} by {when}"
    if system and owner:
        return f"{system} (owner: {owner})"
    return system or ""


def data_source_missing(kpi_name: str, feasibility: str) -> str:
    """Why a KPI's data source is not identified, in words a table can act on."""
    if feasibility == MEASURABLE:
        return f"“{kpi_name}” has no data source: name the system and its owner."
    return (
        f"“{kpi_name}” has no data source: name the system and its owner, or who will "
        "instrument it and by when."
    )


def kpi_step_complete(kpi_count: int, kpis_with_source: int | None = None) -> bool:
    """The KPI step of an agent is complete with 2 or 3 KPIs, each with its data source
    (`kpis_with_source`; every KPI when not given)."""
    if kpis_with_source is None:
        kpis_with_source = kpi_count
    return MIN_KPIS <= kpi_count <= MAX_KPIS and kpis_with_source == kpi_count


def kpis_complete(kpis) -> bool:
    """kpi_step_complete for loaded AgentKpi objects (or anything with has_data_source)."""
    kpis = list(kpis)
    return kpi_step_complete(len(kpis), sum(1 for kpi in kpis if kpi.has_data_source))


def kpi_count_message(kpi_count: int) -> str | None:
    if kpi_count < MIN_KPIS:
        missing = MIN_KPIS - kpi_count
        return (
            f"Choose {missing} more KPI{'s' if missing > 1 else ''}: "
            f"each agent needs {MIN_KPIS} or {MAX_KPIS}."
        )
    if kpi_count > MAX_KPIS:
        return f"An agent has at most {MAX_KPIS} KPIs. Remove one."
    return None


def kpi_mix_nudges(economic_class: str, categories: Iterable[str]) -> list[str]:
    """Suggestions (never blocks) on the mix of an agent's KPI categories for its archetype."""
    categories = set(categories)
    nudges = []
    if not categories:
        return nudges
    if economic_class == "bottom_line" and not categories & {EFFICIENCY, ECONOMIC}:
        nudges.append(
            "A bottom-line agent should have an Efficiency or Economic KPI that shows the cost "
            "it removes, e.g. hours saved per week."
        )
    if economic_class == "top_line" and CAPACITY not in categories:
        nudges.append(
            "A top-line agent should have a Capacity KPI that shows the revenue it makes "
            "possible, e.g. additional throughput enabled."
        )
    if ECONOMIC not in categories:
        nudges.append(
            "Add an Economic KPI (cost per task, ROI ratio or payback period) so finance sees "
            "what the agent costs against what it delivers."
        )
    return nudges


def kpi_errors(
    *,
    name: str,
    unit: str,
    category: str,
    direction: str,
    measurement_frequency: str,
    feasibility: str,
    data_source_system: str,
    data_source_owner: str,
    baseline_value: Decimal | None,
    baseline_as_of,
    baseline_source: str,
    no_baseline: bool,
    today,
    currency: str = "EUR",
    instrument_by=None,
) -> dict[str, str]:
    """Every problem with an agent's KPI, by field name; empty when it can be saved.
    `baseline_as_of` and `today` are dates."""
    errors = {
        "name": kpi_name_error(
            name, category=category if category in CATEGORY_LABELS else "", currency=currency
        ),
        "unit": unit_error(unit),
        "category": None if category in CATEGORY_LABELS else "Choose the KPI's category.",
        "direction": (
            None
            if direction in (HIGHER, LOWER)
            else "Say whether higher or lower is better for this KPI."
        ),
        "measurement_frequency": (
            None
            if measurement_frequency in dict(FREQUENCY_CHOICES)
            else "Say how often the KPI will be measured."
        ),
        "feasibility": (
            None
            if feasibility in dict(FEASIBILITY_CHOICES)
            else "Say whether you can measure this today."
        ),
        "data_source_system": _source_error(feasibility, data_source_system),
        "data_source_owner": _length_error(data_source_owner, "The data owner's name"),
        "baseline_source": _length_error(baseline_source, "The baseline's source"),
        "baseline_value": baseline_error(baseline_value),
        "baseline_as_of": None,
        "instrument_by": _instrument_error(feasibility, instrument_by, today),
    }
    if not errors["baseline_value"]:
        if no_baseline and baseline_value is not None:
            errors["baseline_value"] = (
                'You ticked "No baseline yet" but entered a value. Clear the value or untick '
                "the box."
            )
        elif not no_baseline and baseline_value is None:
            errors["baseline_value"] = (
                'Enter today\'s baseline value, or tick "No baseline yet" to create a task to '
                "establish it."
            )
        elif baseline_value is not None:
            if baseline_as_of is None:
                errors["baseline_as_of"] = "Say when the baseline was measured (the figure's date)."
            elif baseline_as_of > today:
                errors["baseline_as_of"] = "The baseline date cannot be in the future."
            elif baseline_as_of.year < 2000:
                errors["baseline_as_of"] = "Check the baseline date: it is before the year 2000."
    return {field: message for field, message in errors.items() if message}


def _instrument_error(feasibility: str, instrument_by, today) -> str | None:
    if instrument_by is None or feasibility == MEASURABLE:
        return None
    if instrument_by.year < 2000:
        return "Check the date: it is before the year 2000."
    if instrument_by.year > today.year + 5:
        return "Choose a date within the next five years."
    return None


def _source_error(feasibility: str, system: str) -> str | None:
    system = " ".join((system or "").split())
    if len(system) > 200:
        return f"Keep the data source short: at most 200 characters (this has {len(system)})."
    if not system and feasibility == MEASURABLE:
        return "Say where the numbers come from, e.g. 'SAP invoice log' or 'Zendesk ticket export'."
    return None


def ambition_errors(*, good_enough: str, transformational: str) -> dict[str, str]:
    """Block 4 step 1: "good enough" and "transformational", short texts (both optional)."""
    errors = {
        "good_enough": _length_error(
            good_enough, 'What "good enough" looks like', MAX_AMBITION_LENGTH
        ),
        "transformational": _length_error(
            transformational, 'What "transformational" looks like', MAX_AMBITION_LENGTH
        ),
    }
    return {field: message for field, message in errors.items() if message}


def _length_error(text: str, what: str, limit: int = 200) -> str | None:
    text = " ".join((text or "").split())
    if len(text) > limit:
        return f"{what} is too long: at most {limit} characters (this has {len(text)})."
    return None
