"""An agent's economics so far from its actuals, valued as Block 4 values its KPI."""

import datetime
from decimal import Decimal

from tracking import economics

JAN, FEB, MAR, APR = (datetime.date(2027, m, 1) for m in (1, 2, 3, 4))


def so_far(**changes):
    values = {
        "value_actuals": {JAN: Decimal("100"), FEB: Decimal("100"), MAR: Decimal("100"),
                          APR: Decimal("90")},
        "cost_actuals": {JAN: Decimal("1400"), FEB: Decimal("1400"), MAR: Decimal("1400")},
        "baseline": Decimal("120"),
        "direction": "lower",
        "value_per_unit": Decimal("45"),
        "period": "week",
        "other_monthly_cost": Decimal("200"),
        "build_cost": Decimal("5000"),
        "planned_run_cost": Decimal("1700"),
    }  # fmt: skip
    values.update(changes)
    return economics.so_far(**values)


def test_value_cost_roi_and_payback_over_months_with_both_actuals():
    # 20 hours a week saved x 45 x 52/12 = 3,900 a month; 1,400 + 200 spent; April has no cost.
    result = so_far()
    assert result.months == [JAN, FEB, MAR]
    assert (result.value, result.cost, result.roi) == (
        Decimal("11700.00"),
        Decimal("9800.00"),
        Decimal("1.19"),
    )
    # Net 2,300 a month against a 5,000 build: covered in the third month.
    assert result.payback == MAR


def test_run_cost_against_the_plan():
    result = so_far()
    assert [(c.period, c.actual, c.planned, c.difference_percent) for c in result.costs] == [
        (JAN, Decimal("1400"), Decimal("1500"), Decimal("-6.7")),
        (FEB, Decimal("1400"), Decimal("1500"), Decimal("-6.7")),
        (MAR, Decimal("1400"), Decimal("1500"), Decimal("-6.7")),
    ]


def test_no_payback_when_the_months_fall_short():
    result = so_far(build_cost=Decimal("40000"))
    assert (result.payback, result.roi) == (None, Decimal("0.26"))


def test_worse_than_baseline_counts_as_lost_value():
    result = so_far(value_actuals={JAN: Decimal("130")}, cost_actuals={JAN: Decimal("1000")})
    # 10 hours a week worse: -1,950 a month.
    assert (result.value, result.cost, result.payback) == (
        Decimal("-1950.00"),
        Decimal("6200.00"),
        None,
    )


def test_nothing_counted_without_a_month_with_both():
    result = so_far(cost_actuals={})
    assert (result.months, result.value, result.roi, result.costs) == ([], Decimal("0"), None, [])


def test_higher_is_better_and_no_plan():
    result = so_far(
        value_actuals={JAN: Decimal("150")},
        cost_actuals={JAN: Decimal("100")},
        baseline=Decimal("100"),
        direction="higher",
        period="month",
        value_per_unit=Decimal("2"),
        build_cost=Decimal("0"),
        planned_run_cost=None,
    )
    assert (result.value, result.cost, result.payback) == (
        Decimal("100.00"),
        Decimal("300.00"),
        None,
    )
    assert result.costs[0].difference_percent is None
