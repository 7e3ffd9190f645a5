"""A KPI's actuals against its signed targets, month by month. Pure: no Django import.

The path: each level (floor, target, stretch) runs in a straight line from the baseline at the
workshop's month (month 0) to its 6-month value at month 6 and on to its 12-month value at
month 12, and holds there after. A month's status compares its actual with that month's
floor, target and stretch, the right way round for the KPI's direction. A month without an
actual is "no data", never filled in from its neighbours.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

HIGHER, LOWER = "higher", "lower"
LEVELS = ("floor", "target", "stretch")

BELOW_FLOOR = "below_floor"
BETWEEN = "between"
ON_TARGET = "on_target"
ABOVE_STRETCH = "above_stretch"
NO_DATA = "no_data"
# Worst first: the order the portfolio sorts by.
ORDER = (BELOW_FLOOR, NO_DATA, BETWEEN, ON_TARGET, ABOVE_STRETCH)
LABELS = {
    BELOW_FLOOR: "below floor",
    BETWEEN: "between floor and target",
    ON_TARGET: "on target",
    ABOVE_STRETCH: "above stretch",
    NO_DATA: "no data",
}


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start`'s month to `end`'s month (negative when `end` is earlier)."""
    return (end.year - start.year) * 12 + end.month - start.month


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def path_value(baseline: Decimal, at_6: Decimal, at_12: Decimal, month: int) -> Decimal:
    """The level's value `month` months after the workshop: straight lines from the baseline
    (month 0) to `at_6` (month 6) and `at_12` (month 12); held at `at_12` after that."""
    if month <= 0:
        return baseline
    if month <= 6:
        return baseline + (at_6 - baseline) * Decimal(month) / 6
    if month <= 12:
        return at_6 + (at_12 - at_6) * Decimal(month - 6) / 6
    return at_12


@dataclass(frozen=True)
class Targets:
    baseline: Decimal
    values: dict  # {(6 | 12, "floor" | "target" | "stretch"): Decimal}
    direction: str

    def at(self, month: int) -> dict[str, Decimal]:
        """{level: the level's value in that month}."""
        return {
            level: path_value(
                self.baseline, self.values[(6, level)], self.values[(12, level)], month
            )
            for level in LEVELS
        }


def status(actual: Decimal | None, levels: dict[str, Decimal], direction: str) -> str:
    """Where `actual` stands against the month's floor, target and stretch."""
    if actual is None:
        return NO_DATA

    def reached(level: str) -> bool:
        value = levels[level]
        return actual >= value if direction == HIGHER else actual <= value

    if reached("stretch") and levels["stretch"] != levels["target"]:
        return ABOVE_STRETCH
    if reached("target"):
        return ON_TARGET
    if reached("floor"):
        return BETWEEN
    return BELOW_FLOOR


@dataclass(frozen=True)
class Month:
    period: datetime.date  # first day of the month
    index: int  # months after the workshop's month
    actual: Decimal | None
    levels: dict
    status: str

    @property
    def label(self) -> str:
        if self.status == NO_DATA:
            return f"no data for {self.period:%b %Y}"
        return LABELS[self.status]


def months(
    targets: Targets,
    actuals: dict[datetime.date, Decimal],
    *,
    workshop_day: datetime.date,
    through: datetime.date,
) -> list[Month]:
    """Every month from the month after the workshop's to `through`'s month, with its actual
    (or none), the month's levels and the status."""
    start = month_start(workshop_day)
    rows = []
    for index in range(1, months_between(start, through) + 1):
        period = add_months(start, index)
        levels = targets.at(index)
        actual = actuals.get(period)
        rows.append(Month(period, index, actual, levels, status(actual, levels, targets.direction)))
    return rows


def below_floor_run(rows: list[Month]) -> int:
    """How many months in a row, ending with the latest month that has data, were below the
    floor (a month without data breaks the run)."""
    run = 0
    for row in reversed(rows):
        if row.status == BELOW_FLOOR:
            run += 1
        elif row.status == NO_DATA and run == 0:
            continue
        else:
            break
    return run
