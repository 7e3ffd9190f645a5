"""The SVG chart kernel: round steps, axes, ticks and end labels kept apart, on Decimal."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from common import charts

D = Decimal


def test_nice_step_picks_1_2_2_5_5_steps():
    assert charts.nice_step(D(100)) == D(25)
    assert charts.nice_step(D(90)) == D(25)
    assert charts.nice_step(D(7)) == D(2)
    assert charts.nice_step(D("0.3")) == D("0.1")
    assert charts.nice_step(D(0)) == D(1)


def test_nice_step_with_negative_span_is_one():
    assert charts.nice_step(D(-5)) == D(1)


def test_nice_step_takes_the_intervals_and_factors():
    assert charts.nice_step(D(100), intervals=5) == D(20)
    assert charts.nice_step(D(90), factors=(D(1), D(2), D(5), D(10))) == D(50)
    assert charts.nice_step(D("123456789"), intervals=5) == D(25000000)


def test_nice_step_of_a_huge_and_a_tiny_span_stays_exact():
    assert charts.nice_step(D("4E+30")) == D("1E+30")
    assert charts.nice_step(D("0.0000004")) == D("0.0000001")


def test_round_to_rounds_to_whole_steps():
    assert charts.round_to(D(37), D(5), ROUND_CEILING) == D(40)
    assert charts.round_to(D(-37), D(5), ROUND_FLOOR) == D(-40)
    assert charts.round_to(D("0.31"), D("0.1"), ROUND_FLOOR) == D("0.3")


def test_axis_bounds_round_outwards():
    assert charts.axis_bounds(D(-12), D(87), D(25)) == (D(-25), D(100))


def test_tick_values_include_both_ends():
    assert charts.tick_values(D(0), D(1), D("0.25")) == [D(0), D("0.25"), D("0.5"), D("0.75"), D(1)]
    assert charts.tick_values(D(-40), D(40), D(40)) == [D(-40), D(0), D(40)]


def test_spread_keeps_labels_a_gap_apart_in_the_given_order():
    assert charts.spread([D(50), D(50), D(50)], D(11)) == [D(50), D(61), D(72)]
    assert charts.spread([D(80), D(20), D(25)], D(11)) == [D(80), D(20), D(31)]


def test_spread_leaves_labels_already_apart():
    assert charts.spread([D(10), D(40), D(25)], D(11)) == [D(10), D(40), D(25)]


def test_spread_works_on_float_too():
    assert charts.spread([100.0, 90.0], 22.0) == [112.0, 90.0]


def test_spread_of_nothing_is_nothing():
    assert charts.spread([], D(11)) == []
