"""The payback chart's geometry, drawn on the shared chart kernel (common.charts)."""

from decimal import Decimal

from targets import charts
from targets.economics import Scenario

D = Decimal


def _scenario(level: str, *, value: str, build: str, payback: str | None) -> Scenario:
    return Scenario(
        level=level,
        value_6=D(value),
        value_12=D(value),
        run_cost=D(0),
        build_cost=D(build),
        year_value=D(0),
        year_cost=D(0),
        roi=None,
        payback=None if payback is None else D(payback),
    )


def test_payback_chart_is_none_without_scenarios():
    assert charts.payback_chart([]) is None


def test_payback_chart_ticks_are_round_steps_over_the_values():
    chart = charts.payback_chart([_scenario("target", value="5000", build="50000", payback="10")])
    # -50,000 to 70,000 in steps of 50,000 (1, 2 or 5 x 10^n), rounded out.
    assert [t.label for t in chart.ticks] == ["-50k", "0", "50k", "100k"]
    assert chart.ticks[0].y == D(chart.plot_bottom)
    assert chart.ticks[-1].y == D(chart.plot_top)
    assert chart.lines[0].payback_label == "pays back in 10 months"


def test_payback_chart_end_labels_stay_apart_when_lines_end_together():
    scenarios = [
        _scenario(level, value="5000", build="50000", payback="10")
        for level in ("floor", "target", "stretch")
    ]
    chart = charts.payback_chart(scenarios, currency="EUR")
    end = chart.lines[0].label_y
    assert [line.label_y for line in chart.lines] == [end, end + 12, end + 24]
