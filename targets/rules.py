"""Block 4 rules: what makes a set of value targets credible, and what the other steps need.

Pure functions, no Django, shared by the forms, services, pages and tests. Every message is a
sentence that names the numbers involved, so a table sees at once what to change.
"""

from decimal import Decimal

from .economics import (
    DISCOUNT_MAX,
    DISCOUNT_MIN,
    FLOOR,
    HIGHER,
    HORIZONS,
    LEVELS,
    PEER,
    PERIODS,
    STRETCH,
    TARGET,
    VENDOR,
    plain,
)

# Targets are recorded like baselines, with four decimals; larger than this is a typing slip.
MAX_VALUE = Decimal("1000000000000")
MAX_MONEY = Decimal("1000000000000")
MAX_IMPROVEMENT_PERCENT = Decimal(1000)
MAX_TEXT = 200
MAX_LONG_TEXT = 2000

THRESHOLD_FIELDS = [f"{level}_{horizon}m" for horizon in HORIZONS for level in LEVELS]
LEVEL_LABELS = {FLOOR: "floor", TARGET: "target", STRETCH: "stretch"}
KIND_CHOICES = [(PEER, "Similar organisation"), (VENDOR, "Vendor case study")]

CONSTRAINT_CHOICES = [
    ("change_management", "Change management"),
    ("data_readiness", "Data readiness"),
    ("organisational_capacity", "Organisational capacity"),
    ("other", "Other"),
]

ASSUMPTIONS_MISSING = (
    "Write down the assumptions behind these targets (volumes, adoption, what must be true): "
    "every target needs its assumptions documented for future reference."
)
NO_BASELINE = (
    "Targets cannot be confirmed until the baseline is established. Finish the baseline task "
    "first, then enter the baseline in Block 3."
)


def field_name(horizon: int, level: str) -> str:
    return f"{level}_{horizon}m"


def _better_word(direction: str) -> str:
    return "higher" if direction == HIGHER else "lower"


def _reason(kpi_name: str, direction: str) -> str:
    return f"for '{kpi_name}' {_better_word(direction)} is better."


def number_error(value: Decimal | None, what: str, *, limit: Decimal = MAX_VALUE) -> str | None:
    """A value a person typed: a finite number, not negative, not absurdly large."""
    if value is None:
        return None
    if not value.is_finite():
        return f"Enter the {what} as a number, e.g. 95 or 4.5."
    if value < 0:
        return f"The {what} cannot be negative."
    if value >= limit:
        return f"That number is too large for the {what}. Check the unit and the digits."
    return None


def text_error(text: str, what: str, *, limit: int = MAX_TEXT) -> str | None:
    """`what` in the sentence's words, e.g. "the assumptions"."""
    if len(text) > limit:
        return f"Keep {what} to at most {limit} characters (this has {len(text)})."
    return None


def target_errors(
    *,
    kpi_name: str,
    direction: str,
    baseline: Decimal | None,
    values: dict[tuple[int, str], Decimal | None],
    assumptions: str,
) -> dict[str, list[str]]:
    """Every broken rule of a KPI's six thresholds and their assumptions, by field name
    ("floor_6m" ... "stretch_12m", "assumptions", "__all__"); empty when they can be confirmed.

    Floor, target and stretch are ordered (reversed when lower is better); each improves on
    the baseline (the floor may equal it); each 12-month value is at least as ambitious as
    the 6-month one.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if baseline is None:
        add("__all__", NO_BASELINE)
    for horizon in HORIZONS:
        for level in LEVELS:
            what = f"{horizon}-month {level}"
            value = values.get((horizon, level))
            if value is None:
                add(field_name(horizon, level), f"Enter the {what}.")
            elif problem := number_error(value, what):
                add(field_name(horizon, level), problem)
    assumptions = " ".join((assumptions or "").split())
    if not assumptions:
        add("assumptions", ASSUMPTIONS_MISSING)
    elif problem := text_error(assumptions, "the assumptions", limit=MAX_LONG_TEXT):
        add("assumptions", problem)
    if any(name in errors for name in THRESHOLD_FIELDS):
        return errors

    higher = direction == HIGHER
    reason = _reason(kpi_name, direction)
    beyond = "above" if higher else "below"
    at_least = "at least" if higher else "at most"

    def better(a: Decimal, b: Decimal) -> bool:
        return a > b if higher else a < b

    def as_good(a: Decimal, b: Decimal) -> bool:
        return a >= b if higher else a <= b

    for horizon in HORIZONS:
        floor, target, stretch = (values[(horizon, level)] for level in LEVELS)
        if not better(target, floor):
            add(
                field_name(horizon, TARGET),
                f"The {horizon}-month target ({plain(target)}) must be {beyond} the floor "
                f"({plain(floor)}): {reason}",
            )
        if not better(stretch, target):
            add(
                field_name(horizon, STRETCH),
                f"The {horizon}-month stretch ({plain(stretch)}) must be {beyond} the target "
                f"({plain(target)}): {reason}",
            )
        if baseline is not None:
            if not as_good(floor, baseline):
                add(
                    field_name(horizon, FLOOR),
                    f"The {horizon}-month floor ({plain(floor)}) must be {at_least} the "
                    f"baseline ({plain(baseline)}): {reason}",
                )
            for level, value in ((TARGET, target), (STRETCH, stretch)):
                if not better(value, baseline):
                    add(
                        field_name(horizon, level),
                        f"The {horizon}-month {level} ({plain(value)}) must be {beyond} the "
                        f"baseline ({plain(baseline)}): {reason}",
                    )
    for level in LEVELS:
        six, twelve = values[(6, level)], values[(12, level)]
        if not as_good(twelve, six):
            add(
                field_name(12, level),
                f"The 12-month {level} ({plain(twelve)}) must be {at_least} the 6-month "
                f"{level} ({plain(six)}): {reason}",
            )
    return errors


def benchmark_errors(
    *,
    kind: str,
    description: str,
    improvement_percent: Decimal | None,
    source: str,
    discount_percent: Decimal | None,
    absolute_change: Decimal | None = None,
) -> dict[str, str]:
    """Problems with one piece of benchmark evidence, by field name."""
    errors = {}
    if kind not in (PEER, VENDOR):
        errors["kind"] = "Say whether this is a similar organisation or a vendor case study."
    description = " ".join((description or "").split())
    if not description:
        errors["description"] = "Say who achieved it, e.g. 'Mid-size European freight forwarder'."
    elif problem := text_error(description, "the description"):
        errors["description"] = problem
    if improvement_percent is not None and absolute_change is not None:
        errors["absolute_change"] = (
            "Give the improvement either in percent or in the KPI's unit, not both."
        )
    elif improvement_percent is None and absolute_change is not None:
        if problem := number_error(absolute_change, "improvement"):
            errors["absolute_change"] = problem
        elif absolute_change <= 0:
            errors["absolute_change"] = (
                "Enter the improvement they report as a positive amount in the KPI's unit, "
                "e.g. 120 (hours a month saved)."
            )
    elif improvement_percent is None:
        errors["improvement_percent"] = (
            "Enter the improvement they report, in percent of their starting point (e.g. 35) "
            "or in the KPI's unit (e.g. 120 hours a month saved)."
        )
    elif problem := number_error(improvement_percent, "improvement"):
        errors["improvement_percent"] = problem
    elif improvement_percent == 0:
        errors["improvement_percent"] = (
            "An improvement of 0 % is not evidence. Enter what they report."
        )
    elif improvement_percent > MAX_IMPROVEMENT_PERCENT:
        errors["improvement_percent"] = (
            f"An improvement above {plain(MAX_IMPROVEMENT_PERCENT)} % is not credible. Check the "
            "figure."
        )
    source = " ".join((source or "").split())
    if not source:
        errors["source"] = "Say where the figure comes from (report, article, reference call)."
    elif problem := text_error(source, "the source"):
        errors["source"] = problem
    if kind == VENDOR:
        if discount_percent is None or not discount_percent.is_finite():
            errors["discount_percent"] = (
                f"Choose a discount between {plain(DISCOUNT_MIN)} and {plain(DISCOUNT_MAX)} %."
            )
        elif not DISCOUNT_MIN <= discount_percent <= DISCOUNT_MAX:
            errors["discount_percent"] = (
                f"Discount vendor claims by {plain(DISCOUNT_MIN)} to {plain(DISCOUNT_MAX)} % "
                f"(you chose {plain(discount_percent)} %)."
            )
    return errors


def adoption_errors(
    *,
    adoption_6m_percent: Decimal | None,
    adoption_12m_percent: Decimal | None,
    constraints: dict[str, bool],
    notes: str,
) -> dict[str, str]:
    """Problems with the constraint analysis and the expected adoption, by field name."""
    errors = {}
    for horizon, value in ((6, adoption_6m_percent), (12, adoption_12m_percent)):
        name = f"adoption_{horizon}m_percent"
        what = f"expected adoption at {horizon} months"
        if value is None:
            errors[name] = f"Enter the {what}, in percent (0 to 100)."
        elif problem := number_error(value, what):
            errors[name] = problem
        elif value > 100:
            errors[name] = f"The {what} cannot be above 100 % (you entered {plain(value)})."
    if (
        "adoption_6m_percent" not in errors
        and "adoption_12m_percent" not in errors
        and adoption_12m_percent < adoption_6m_percent
    ):
        errors["adoption_12m_percent"] = (
            f"Adoption at 12 months ({plain(adoption_12m_percent)} %) cannot be below adoption "
            f"at 6 months ({plain(adoption_6m_percent)} %)."
        )
    notes = " ".join((notes or "").split())
    if problem := text_error(notes, "the notes", limit=MAX_LONG_TEXT):
        errors["notes"] = problem
    elif constraints.get("other") and not notes:
        errors["notes"] = "You ticked 'Other': say in the notes what else limits adoption."
    return errors


def economics_errors(
    *,
    value_kpi_chosen: bool,
    value_per_unit: Decimal | None,
    period: str,
    build_cost: Decimal | None,
    other_monthly_cost: Decimal | None,
    model_cost_monthly: Decimal | None,
    tasks_per_month: Decimal | None,
    workload_known: bool,
    value_basis: str,
) -> dict[str, str]:
    """Problems with an agent's economics inputs, by field name."""
    errors = {}
    if not value_kpi_chosen:
        errors["value_kpi"] = "Choose the KPI that carries the agent's value."
    if value_per_unit is None:
        errors["value_per_unit"] = (
            "Enter what one unit of the KPI is worth, e.g. the loaded hourly cost for hours saved."
        )
    elif problem := number_error(value_per_unit, "value per unit", limit=MAX_MONEY):
        errors["value_per_unit"] = problem
    if period not in PERIODS:
        errors["period"] = "Say what period the KPI is counted in (per week, per month, ...)."
    if build_cost is None:
        errors["build_cost"] = "Enter the one-off build cost (0 if there is none)."
    elif problem := number_error(build_cost, "build cost", limit=MAX_MONEY):
        errors["build_cost"] = problem
    if problem := number_error(other_monthly_cost, "other monthly cost", limit=MAX_MONEY):
        errors["other_monthly_cost"] = problem
    if workload_known:
        if tasks_per_month is None:
            errors["tasks_per_month"] = (
                "Enter how many tasks the agent handles a month, to price its workload."
            )
        elif problem := number_error(tasks_per_month, "tasks per month", limit=MAX_MONEY):
            errors["tasks_per_month"] = problem
    elif model_cost_monthly is None:
        errors["model_cost_monthly"] = (
            "Enter the agent's monthly AI run cost (models and tokens), e.g. from the "
            "Block 1 calculator."
        )
    # Checked whichever of the two prices the run: whatever is given is stored.
    if (
        not workload_known
        and tasks_per_month is not None
        and (problem := number_error(tasks_per_month, "tasks per month", limit=MAX_MONEY))
    ):
        errors["tasks_per_month"] = problem
    if model_cost_monthly is not None and (
        problem := number_error(model_cost_monthly, "monthly AI run cost", limit=MAX_MONEY)
    ):
        errors["model_cost_monthly"] = problem
    value_basis = " ".join((value_basis or "").split())
    if problem := text_error(value_basis, "the explanation of the value per unit"):
        errors["value_basis"] = problem
    return errors


def comment_error(comment: str) -> str | None:
    comment = (comment or "").strip()
    if not comment:
        return "Say what the table should change: the comment appears on their screen."
    return text_error(comment, "the comment", limit=MAX_LONG_TEXT)


def reason_error(reason: str) -> str | None:
    reason = (reason or "").strip()
    if not reason:
        return "Give the reason for reopening: it stays in the sign-off history."
    return text_error(reason, "the reason", limit=MAX_TEXT)


NO_EVIDENCE_MIN_LENGTH = 10


def no_evidence_error(reason: str, *, has_benchmarks: bool = False) -> str | None:
    """Why a "no comparable evidence" statement cannot be saved, or None."""
    if has_benchmarks:
        return (
            "This KPI already has benchmark evidence. Remove the evidence first if none of it "
            "is comparable."
        )
    reason = " ".join((reason or "").split())
    if not reason:
        return (
            "Say why there is no comparable evidence, e.g. 'no similar organisation has "
            "automated this process yet'."
        )
    if len(reason) < NO_EVIDENCE_MIN_LENGTH:
        return "Say in a few more words why there is no comparable evidence: finance reads it."
    return text_error(reason, "the reason", limit=MAX_LONG_TEXT)
