"""An agent's economics so far, from its actuals: the money its value KPI brought each month
(as Block 4 values it), its actual run cost against the planned one, ROI and payback.

Only months with both a value actual and a run cost actual count towards ROI and payback, so a
month without its cost never makes the agent look better than it is. Pure: no Django import.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from targets.economics import cents, monthly_value, roi_ratio


@dataclass(frozen=True)
class CostMonth:
    period: datetime.date
    actual: Decimal
    planned: Decimal | None

    @property
    def difference_percent(self) -> Decimal | None:
        """How far the actual is over (+) or under (-) the plan, in percent (1 place)."""
        if not self.planned:
            return None
        return ((self.actual - self.planned) * 100 / self.planned).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class SoFar:
    months: list[datetime.date]  # months with both a value and a run cost actual
    value: Decimal  # money from the value KPI over those months
    cost: Decimal  # build cost + run cost and other monthly costs over those months
    roi: Decimal | None  # value / cost
    payback: datetime.date | None  # the month the cumulative net first covered the build cost
    costs: list[CostMonth]  # every month with a run cost actual, against the plan


def so_far(
    *,
    value_actuals: dict[datetime.date, Decimal],
    cost_actuals: dict[datetime.date, Decimal],
    baseline: Decimal,
    direction: str,
    value_per_unit: Decimal,
    period: str,
    other_monthly_cost: Decimal,
    build_cost: Decimal,
    planned_run_cost: Decimal | None,
) -> SoFar:
    """The agent's economics over the months it has actuals for (see the module docstring).
    `planned_run_cost` is Block 4's monthly run cost (AI workload and other costs)."""
    months = sorted(set(value_actuals) & set(cost_actuals))
    value = Decimal(0)
    cost = build_cost
    payback = None
    net = -build_cost
    for month in months:
        gained = monthly_value(
            baseline=baseline,
            value=value_actuals[month],
            direction=direction,
            value_per_unit=value_per_unit,
            period=period,
        )
        spent = cost_actuals[month] + other_monthly_cost
        value += gained
        cost += spent
        net += gained - spent
        if payback is None and net >= 0:
            payback = month
    planned_model = (
        None if planned_run_cost is None else max(planned_run_cost - other_monthly_cost, Decimal(0))
    )
    costs = [
        CostMonth(period=month, actual=cost_actuals[month], planned=planned_model)
        for month in sorted(cost_actuals)
    ]
    return SoFar(
        months=months,
        value=cents(value),
        cost=cents(cost),
        roi=roi_ratio(value=value, cost=cost) if months else None,
        payback=payback,
        costs=costs,
    )
