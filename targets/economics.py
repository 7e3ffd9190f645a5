"""Block 4 arithmetic: the vendor-claim discount, suggested thresholds, the money a KPI's
movement is worth each month, ROI and payback.

Pure: no Django import, Decimal throughout. Money is rounded to cents only at the end.

Conventions:
- A benchmark is an improvement in percent of the starting point ("cut handling time by 60 %")
  or an absolute change in the KPI's unit ("120 hours a month saved at a similar retailer").
  Similar organisations' results count as achieved; vendor case-study claims are discounted by
  30-50 % (the guide), 40 % unless the table moves the slider. Suggestions work on the change in
  the KPI's unit, so a KPI that starts at zero gets them from absolute evidence.
- Each scenario (floor, target, stretch) ramps up: months 1-6 earn the 6-month value, from
  month 7 the 12-month value. ROI is the first year's value over the first year's cost (build
  plus twelve months' run cost); payback is the month in which the cumulative net value first
  covers the build cost, or None ("never pays back") when the 12-month value does not exceed
  the monthly run cost.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HIGHER = "higher"
LOWER = "lower"

FLOOR = "floor"
TARGET = "target"
STRETCH = "stretch"
LEVELS = (FLOOR, TARGET, STRETCH)
HORIZONS = (6, 12)
RAMP_MONTHS = 6
MONTHS_PER_YEAR = 12

PEER = "peer"
VENDOR = "vendor"

DISCOUNT_MIN = Decimal(30)
DISCOUNT_MAX = Decimal(50)
DISCOUNT_DEFAULT = Decimal(40)

# Suggested improvement of each level as a share of the expected improvement.
LEVEL_SHARES = {FLOOR: Decimal("0.5"), TARGET: Decimal(1), STRETCH: Decimal("1.5")}

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)

# How often a month the period a KPI is counted in comes round: (numerator, denominator).
PERIODS = {
    "day": ("Per working day", Decimal(260), Decimal(12)),
    "week": ("Per week", Decimal(52), Decimal(12)),
    "month": ("Per month", Decimal(1), Decimal(1)),
    "quarter": ("Per quarter", Decimal(1), Decimal(3)),
    "year": ("Per year", Decimal(1), Decimal(12)),
}
PERIOD_CHOICES = [(key, label) for key, (label, _, _) in PERIODS.items()]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal | None) -> str:
    """A number as a person writes it: 1,250.5 rather than 1250.5000 or 1.2505E+3."""
    if value is None:
        return ""
    return f"{value.normalize():,f}"


# --- Step 2: benchmarks -----------------------------------------------------------------------


def discounted(claim: Decimal, discount_percent: Decimal) -> Decimal:
    """A claimed improvement after the discount, to 2 places: 60 at 40 % off is 36.00."""
    return cents(claim * (HUNDRED - discount_percent) / HUNDRED)


@dataclass(frozen=True)
class Benchmark:
    kind: str  # PEER or VENDOR
    improvement_percent: Decimal | None
    discount_percent: Decimal = DISCOUNT_DEFAULT
    # Or the change in the KPI's own unit ("120 hours a month saved").
    absolute_change: Decimal | None = None

    @property
    def is_absolute(self) -> bool:
        return self.improvement_percent is None and self.absolute_change is not None

    @property
    def usable_percent(self) -> Decimal | None:
        """What the benchmark supports: a peer's result as achieved, a vendor claim discounted
        (None for an absolute benchmark)."""
        if self.improvement_percent is None:
            return None
        if self.kind == VENDOR:
            return discounted(self.improvement_percent, self.discount_percent)
        return cents(self.improvement_percent)

    @property
    def usable_absolute(self) -> Decimal | None:
        """An absolute benchmark's change in the KPI's unit, a vendor claim discounted, to 4
        places (None for a percentage)."""
        if self.absolute_change is None or self.improvement_percent is not None:
            return None
        if self.kind == VENDOR:
            return _four(self.absolute_change * (HUNDRED - self.discount_percent) / HUNDRED)
        return _four(self.absolute_change)

    def usable_change(self, baseline: Decimal | None) -> Decimal | None:
        """The change in the KPI's unit this benchmark supports from `baseline`: an absolute
        one as it is, a percentage of the baseline (None without a baseline above zero, where a
        percentage says nothing)."""
        if self.is_absolute:
            return self.usable_absolute
        if baseline is None or baseline <= 0 or self.usable_percent is None:
            return None
        return _four(baseline * self.usable_percent / HUNDRED)


FOUR = Decimal("0.0001")


def _four(value: Decimal) -> Decimal:
    return value.quantize(FOUR, rounding=ROUND_HALF_UP)


def expected_improvement(benchmarks: Iterable[Benchmark]) -> Decimal | None:
    """The mean usable improvement (percent, 2 places) over the percentage benchmarks; None
    without any."""
    values = [b.usable_percent for b in benchmarks if b.usable_percent is not None]
    if not values:
        return None
    return cents(sum(values, Decimal(0)) / len(values))


def expected_change(benchmarks: Iterable[Benchmark], baseline: Decimal | None) -> Decimal | None:
    """The mean change in the KPI's unit (4 places) that the benchmarks support from
    `baseline`: absolute ones as given, percentages of the baseline. None when none applies
    (e.g. only percentages and a baseline of zero)."""
    values = [c for b in benchmarks if (c := b.usable_change(baseline)) is not None]
    if not values:
        return None
    return _four(sum(values, Decimal(0)) / len(values))


# --- Step 4: suggested thresholds -------------------------------------------------------------


def suggested_value(
    *,
    baseline: Decimal,
    direction: str,
    improvement_percent: Decimal,
    adoption_percent: Decimal,
    share: Decimal = Decimal(1),
) -> Decimal:
    """The KPI after an improvement of `improvement_percent` x `adoption_percent` x `share`
    from the baseline, to 2 places. A lower-is-better KPI does not go below zero."""
    change = baseline * improvement_percent * adoption_percent * share / (HUNDRED * HUNDRED)
    if direction == HIGHER:
        return cents(baseline + change)
    return cents(max(Decimal(0), baseline - change))


def value_after_change(
    *,
    baseline: Decimal,
    direction: str,
    change: Decimal,
    adoption_percent: Decimal,
    share: Decimal = Decimal(1),
) -> Decimal:
    """The KPI after `change` (in its unit) x `adoption_percent` x `share`, to 2 places. A
    lower-is-better KPI does not go below zero."""
    moved = change * adoption_percent * share / HUNDRED
    if direction == HIGHER:
        return cents(baseline + moved)
    return cents(max(Decimal(0), baseline - moved))


def suggested_thresholds(
    *,
    baseline: Decimal | None,
    direction: str,
    improvement_percent: Decimal | None = None,
    adoption: dict[int, Decimal | None],
    change: Decimal | None = None,
) -> dict[tuple[int, str], Decimal]:
    """Suggested floor / target / stretch for each horizon whose expected adoption is known:
    target = baseline improved by the expected improvement x adoption; floor half that
    improvement, stretch one and a half times. The improvement is `change` in the KPI's unit
    when given (absolute evidence), else `improvement_percent` of the baseline. Empty without a
    baseline or evidence."""
    if baseline is None or (improvement_percent is None and change is None):
        return {}
    suggestions = {}
    for horizon in HORIZONS:
        adoption_percent = adoption.get(horizon)
        if adoption_percent is None:
            continue
        for level in LEVELS:
            if change is not None:
                value = value_after_change(
                    baseline=baseline,
                    direction=direction,
                    change=change,
                    adoption_percent=adoption_percent,
                    share=LEVEL_SHARES[level],
                )
            else:
                value = suggested_value(
                    baseline=baseline,
                    direction=direction,
                    improvement_percent=improvement_percent,
                    adoption_percent=adoption_percent,
                    share=LEVEL_SHARES[level],
                )
            suggestions[(horizon, level)] = value
    return suggestions


# --- Economics --------------------------------------------------------------------------------


def improvement(*, baseline: Decimal, value: Decimal, direction: str) -> Decimal:
    """How far `value` is better than the baseline, in the KPI's unit (negative if worse)."""
    return value - baseline if direction == HIGHER else baseline - value


def monthly_value(
    *, baseline: Decimal, value: Decimal, direction: str, value_per_unit: Decimal, period: str
) -> Decimal:
    """Money a month from the KPI at `value` instead of the baseline: improvement x value per
    unit x how often the KPI's period comes round in a month, in cents."""
    _label, numerator, denominator = PERIODS[period]
    gain = improvement(baseline=baseline, value=value, direction=direction)
    return cents(gain * value_per_unit * numerator / denominator)


def monthly_run_cost(
    *,
    cost_per_task: Decimal | None,
    tasks_per_month: Decimal | None,
    model_cost_monthly: Decimal | None,
    other_monthly_cost: Decimal,
) -> Decimal | None:
    """Monthly run cost: the workload's cost per task x tasks a month when both are known,
    else the typed model cost; plus other monthly costs. None while neither is known."""
    if cost_per_task is not None and tasks_per_month is not None:
        model = cost_per_task * tasks_per_month
    elif model_cost_monthly is not None:
        model = model_cost_monthly
    else:
        return None
    return cents(model + other_monthly_cost)


def first_year_value(*, value_6: Decimal, value_12: Decimal) -> Decimal:
    return cents(RAMP_MONTHS * value_6 + (MONTHS_PER_YEAR - RAMP_MONTHS) * value_12)


def first_year_cost(*, build_cost: Decimal, run_cost: Decimal) -> Decimal:
    return cents(build_cost + MONTHS_PER_YEAR * run_cost)


def roi_ratio(*, value: Decimal, cost: Decimal) -> Decimal | None:
    """Value delivered / cost incurred, to 2 places; None when nothing was spent."""
    if cost <= 0:
        return None
    return cents(value / cost)


def payback_months(
    *, build_cost: Decimal, value_6: Decimal, value_12: Decimal, run_cost: Decimal
) -> Decimal | None:
    """Months (1 place) until the cumulative net value covers the build cost, with months
    1-6 at the 6-month value and later months at the 12-month value; None when it never
    does (the 12-month value is at most the run cost and the first six months fall short)."""
    net_6 = value_6 - run_cost
    net_12 = value_12 - run_cost
    if build_cost <= 0 and net_6 >= 0:
        return Decimal("0.0")
    after_ramp = RAMP_MONTHS * net_6
    if net_6 > 0 and after_ramp >= build_cost:
        return (build_cost / net_6).quantize(TENTH, rounding=ROUND_HALF_UP)
    if net_12 <= 0:
        return None
    months = RAMP_MONTHS + (build_cost - after_ramp) / net_12
    return months.quantize(TENTH, rounding=ROUND_HALF_UP)


def cumulative_net(
    *,
    build_cost: Decimal,
    value_6: Decimal,
    value_12: Decimal,
    run_cost: Decimal,
    months: int = 24,
) -> list[Decimal]:
    """Cumulative net value at the end of month 0..months (month 0 is minus the build cost)."""
    total = -build_cost
    points = [cents(total)]
    for month in range(1, months + 1):
        total += (value_6 if month <= RAMP_MONTHS else value_12) - run_cost
        points.append(cents(total))
    return points


@dataclass(frozen=True)
class Scenario:
    level: str
    value_6: Decimal  # monthly value at the 6-month threshold
    value_12: Decimal  # monthly value at the 12-month threshold
    run_cost: Decimal
    build_cost: Decimal
    year_value: Decimal
    year_cost: Decimal
    roi: Decimal | None
    payback: Decimal | None

    @property
    def net_12(self) -> Decimal:
        return self.value_12 - self.run_cost

    @property
    def pays_back(self) -> bool:
        return self.payback is not None


def scenario(
    *, level: str, value_6: Decimal, value_12: Decimal, run_cost: Decimal, build_cost: Decimal
) -> Scenario:
    year_value = first_year_value(value_6=value_6, value_12=value_12)
    year_cost = first_year_cost(build_cost=build_cost, run_cost=run_cost)
    return Scenario(
        level=level,
        value_6=value_6,
        value_12=value_12,
        run_cost=run_cost,
        build_cost=build_cost,
        year_value=year_value,
        year_cost=year_cost,
        roi=roi_ratio(value=year_value, cost=year_cost),
        payback=payback_months(
            build_cost=build_cost, value_6=value_6, value_12=value_12, run_cost=run_cost
        ),
    )


def scenarios(
    *,
    baseline: Decimal,
    direction: str,
    thresholds: dict[tuple[int, str], Decimal],
    value_per_unit: Decimal,
    period: str,
    run_cost: Decimal,
    build_cost: Decimal,
) -> list[Scenario]:
    """Floor, target and stretch economics from the value KPI's six thresholds."""
    result = []
    for level in LEVELS:
        values = {
            horizon: monthly_value(
                baseline=baseline,
                value=thresholds[(horizon, level)],
                direction=direction,
                value_per_unit=value_per_unit,
                period=period,
            )
            for horizon in HORIZONS
        }
        result.append(
            scenario(
                level=level,
                value_6=values[6],
                value_12=values[12],
                run_cost=run_cost,
                build_cost=build_cost,
            )
        )
    return result


def missing_thresholds(thresholds: dict[tuple[int, str], Decimal | None]) -> Sequence[str]:
    """Names of the thresholds not set yet ("6-month floor", ...)."""
    return [
        f"{horizon}-month {level}"
        for horizon in HORIZONS
        for level in LEVELS
        if thresholds.get((horizon, level)) is None
    ]
