"""The tracking chart's geometry: paths through the signed points, actuals with gaps kept."""

import datetime
from decimal import Decimal

from tracking import charts
from tracking import status as s

from .test_status import LOWER


def _rows():
    actuals = {
        datetime.date(2027, 1, 1): Decimal("117"),
        datetime.date(2027, 2, 1): Decimal("118"),
        datetime.date(2027, 4, 1): Decimal("125"),
    }
    return s.months(
        LOWER,
        actuals,
        workshop_day=datetime.date(2026, 12, 10),
        through=datetime.date(2027, 4, 20),
    )


def test_axis_covers_paths_and_actuals_in_round_steps():
    chart = charts.kpi_chart(LOWER, _rows(), unit="hours per week")
    # Values run from 60 (12-month stretch) to 125 (April's actual): steps of 20 from 60 to 140.
    assert [label for label, _ in chart.ticks] == ["60", "80", "100", "120", "140"]
    assert [label for label, _ in chart.months] == ["0", "3", "6", "9", "12"]
    assert chart.unit == "hours per week"


def test_paths_pass_through_baseline_and_the_signed_points():
    chart = charts.kpi_chart(LOWER, _rows())
    target = next(p for p in chart.paths if p.level == "target")
    points = target.points.split()
    assert len(points) == 13  # months 0..12
    # Month 0 at the baseline 120, month 6 at 100, month 12 at 80: the plot runs from y 188
    # (60) up to y 12 (140), 2.2 px a unit.
    y = [Decimal(p.split(",")[1]) for p in points]
    assert (y[0], y[6], y[12]) == (Decimal("56.0"), Decimal("100.0"), Decimal("144.0"))
    assert [p.level for p in chart.paths] == ["floor", "target", "stretch"]


def test_a_missing_month_is_a_gap_never_a_line():
    chart = charts.kpi_chart(LOWER, _rows())
    # January and February are joined; March has no actual, so April stands alone.
    assert len(chart.segments) == 1
    assert len(chart.segments[0].split()) == 2
    assert [p.label for p in chart.points] == [
        "Jan 2027: 117 (between floor and target)",
        "Feb 2027: 118 (below floor)",  # February's floor is 116.67
        "Apr 2027: 125 (below floor)",
    ]


def test_a_chart_without_actuals_still_draws_the_paths():
    rows = s.months(
        LOWER, {}, workshop_day=datetime.date(2026, 12, 10), through=datetime.date(2027, 2, 1)
    )
    chart = charts.kpi_chart(LOWER, rows)
    assert (chart.points, chart.segments, len(chart.paths)) == ((), (), 3)
