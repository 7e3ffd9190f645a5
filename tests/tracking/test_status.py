"""The path from baseline to floor, target and stretch, and a month's status, both directions."""

import datetime
from decimal import Decimal

import pytest

from tracking import status as s

D = Decimal
# A lower-is-better KPI: baseline 120; 6 months 110/100/90; 12 months 100/80/60.
LOWER = s.Targets(
    baseline=D("120"),
    values={
        (6, "floor"): D("110"), (6, "target"): D("100"), (6, "stretch"): D("90"),
        (12, "floor"): D("100"), (12, "target"): D("80"), (12, "stretch"): D("60"),
    },
    direction=s.LOWER,
)  # fmt: skip
# A higher-is-better KPI starting at zero (hours saved): 6 months 40/60/80; 12 months 80/120/160.
HIGHER = s.Targets(
    baseline=D("0"),
    values={
        (6, "floor"): D("40"), (6, "target"): D("60"), (6, "stretch"): D("80"),
        (12, "floor"): D("80"), (12, "target"): D("120"), (12, "stretch"): D("160"),
    },
    direction=s.HIGHER,
)  # fmt: skip


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (0, {"floor": D("120"), "target": D("120"), "stretch": D("120")}),
        (3, {"floor": D("115"), "target": D("110"), "stretch": D("105")}),
        (6, {"floor": D("110"), "target": D("100"), "stretch": D("90")}),
        (9, {"floor": D("105"), "target": D("90"), "stretch": D("75")}),
        (12, {"floor": D("100"), "target": D("80"), "stretch": D("60")}),
        (18, {"floor": D("100"), "target": D("80"), "stretch": D("60")}),
    ],
)
def test_path_runs_straight_between_the_points(month, expected):
    assert LOWER.at(month) == expected


def test_path_between_months_keeps_decimals():
    assert LOWER.at(1)["stretch"] == D("115")
    assert LOWER.at(1)["floor"] == D("120") - D("10") / 6


@pytest.mark.parametrize(
    ("targets", "month", "actual", "expected"),
    [
        # Lower is better, month 6: floor 110, target 100, stretch 90.
        (LOWER, 6, D("111"), s.BELOW_FLOOR),
        (LOWER, 6, D("110"), s.BETWEEN),
        (LOWER, 6, D("100.5"), s.BETWEEN),
        (LOWER, 6, D("100"), s.ON_TARGET),
        (LOWER, 6, D("90.01"), s.ON_TARGET),
        (LOWER, 6, D("90"), s.ABOVE_STRETCH),
        (LOWER, 6, D("-5"), s.ABOVE_STRETCH),
        (LOWER, 6, None, s.NO_DATA),
        # Higher is better from zero, month 3: floor 20, target 30, stretch 40.
        (HIGHER, 3, D("19.99"), s.BELOW_FLOOR),
        (HIGHER, 3, D("20"), s.BETWEEN),
        (HIGHER, 3, D("30"), s.ON_TARGET),
        (HIGHER, 3, D("40"), s.ABOVE_STRETCH),
        (HIGHER, 3, D("0"), s.BELOW_FLOOR),
    ],
)
def test_status_is_direction_aware(targets, month, actual, expected):
    assert s.status(actual, targets.at(month), targets.direction) == expected


def test_at_month_zero_target_and_stretch_equal_is_on_target_not_above():
    assert s.status(D("120"), LOWER.at(0), s.LOWER) == s.ON_TARGET


def test_months_from_the_workshop_to_today_missing_ones_never_filled():
    rows = s.months(
        LOWER,
        {datetime.date(2027, 1, 1): D("117"), datetime.date(2027, 3, 1): D("125")},
        workshop_day=datetime.date(2026, 12, 10),
        through=datetime.date(2027, 4, 2),
    )
    assert [(r.period, r.index, r.actual, r.status, r.label) for r in rows] == [
        (datetime.date(2027, 1, 1), 1, D("117"), s.BETWEEN, "between floor and target"),
        (datetime.date(2027, 2, 1), 2, None, s.NO_DATA, "no data for Feb 2027"),
        (datetime.date(2027, 3, 1), 3, D("125"), s.BELOW_FLOOR, "below floor"),
        (datetime.date(2027, 4, 1), 4, None, s.NO_DATA, "no data for Apr 2027"),
    ]


def _rows(values: list):
    start = datetime.date(2026, 12, 10)
    actuals = {
        s.add_months(start.replace(day=1), i + 1): value
        for i, value in enumerate(values)
        if value is not None
    }
    return s.months(LOWER, actuals, workshop_day=start, through=s.add_months(start, len(values)))


@pytest.mark.parametrize(
    ("values", "run"),
    [
        ([D("125"), D("125")], 2),
        ([D("125"), D("125"), None], 2),  # the current month has no data yet
        ([D("125"), None, D("125")], 1),  # a gap breaks the run
        ([D("100"), D("125")], 1),
        ([D("125"), D("100")], 0),
        ([None, None], 0),
        ([], 0),
    ],
)
def test_below_floor_run(values, run):
    assert s.below_floor_run(_rows(values)) == run


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 12, 10), 1, datetime.date(2027, 1, 1)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 1)),
        (datetime.date(2026, 12, 1), 13, datetime.date(2028, 1, 1)),
        (datetime.date(2026, 3, 1), -3, datetime.date(2025, 12, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert s.add_months(day, months) == expected
    assert s.months_between(day, expected) == months
