from decimal import Decimal

from reports import charts

D = Decimal


def test_format_number_is_exact_and_readable():
    assert charts.format_number(D("12500.0000")) == "12,500"
    assert charts.format_number(D("0.2500")) == "0.25"
    assert charts.format_number(D("1234567.125")) == "1,234,567.125"
    assert charts.format_number(D("-40")) == "-40"


def test_target_chart_is_none_without_targets():
    assert charts.target_chart(baseline=D(120), values={}) is None


def test_target_chart_draws_each_level_from_the_baseline():
    values = {
        (6, "floor"): D(100),
        (6, "target"): D(90),
        (6, "stretch"): D(80),
        (12, "floor"): D(80),
        (12, "target"): D(60),
        (12, "stretch"): D(40),
    }
    chart = charts.target_chart(baseline=D(120), values=values, title="Hours")
    assert [s.level for s in chart.series] == ["floor", "target", "stretch"]
    assert [len(s.points) for s in chart.series] == [3, 3, 3]
    # 40 to 120 in four steps of 20.
    assert [t.label for t in chart.ticks] == ["40", "60", "80", "100", "120"]
    assert chart.ticks[0].y == D(chart.plot_bottom)
    assert chart.ticks[-1].y == D(chart.plot_top)
    baseline_point = chart.series[0].points[0]
    assert baseline_point.x == D(chart.plot_left)
    assert baseline_point.y == chart.baseline_y
    assert chart.series[1].points[-1].x == D(chart.plot_right)


def test_target_chart_end_labels_never_overlap():
    values = {(12, level): D(50) for level in charts.LEVELS}
    chart = charts.target_chart(baseline=D(50), values=values)
    ys = sorted(s.label_y for s in chart.series)
    assert all(b - a >= 11 for a, b in zip(ys, ys[1:], strict=False))


def test_target_chart_without_baseline_still_draws_the_targets():
    chart = charts.target_chart(baseline=None, values={(6, "target"): D(10), (12, "target"): D(20)})
    assert chart.baseline_y is None
    assert [s.level for s in chart.series] == ["target"]
    assert len(chart.series[0].points) == 2


def test_target_chart_draws_gridlines_and_dots_as_one_path_each():
    values = {(6, "target"): D(90), (12, "target"): D(60)}
    chart = charts.target_chart(baseline=D(120), values=values)
    assert [t.label for t in chart.ticks] == ["60", "80", "100", "120"]
    assert chart.grid_path == "M64 102.0H382 M64 72.0H382 M64 42.0H382 M64 12.0H382"
    assert chart.series[0].dots_path == "M64 12.0h0 M223.0 57.0h0 M382 102.0h0"
