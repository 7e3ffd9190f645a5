"""Benchmarks in absolute terms ("120 hours a month saved at a similar retailer") and the
suggestions they give, also for KPIs whose baseline is zero. Pure: no database."""

from decimal import Decimal as D

import pytest

from targets import economics as e
from targets import rules

ADOPTION = {6: D(50), 12: D(80)}


def peer(percent=None, absolute=None):
    return e.Benchmark(kind=e.PEER, improvement_percent=percent, absolute_change=absolute)


def vendor(percent=None, absolute=None, discount=D(40)):
    return e.Benchmark(
        kind=e.VENDOR,
        improvement_percent=percent,
        absolute_change=absolute,
        discount_percent=discount,
    )


def suggestions(baseline, direction, benchmarks, adoption=ADOPTION):
    return e.suggested_thresholds(
        baseline=baseline,
        direction=direction,
        change=e.expected_change(benchmarks, baseline),
        adoption=adoption,
    )


def table(six, twelve):
    levels = ("floor", "target", "stretch")
    return {
        **{(6, level): D(v) for level, v in zip(levels, six, strict=True)},
        **{(12, level): D(v) for level, v in zip(levels, twelve, strict=True)},
    }


# --- Worked examples ---------------------------------------------------------------------------
def test_zero_baseline_higher_is_better_from_a_peers_absolute_result():
    # New customers served per month: none today; a similar firm serves 40 more a month.
    assert suggestions(D(0), e.HIGHER, [peer(absolute=D(40))]) == table(
        ("10.00", "20.00", "30.00"), ("16.00", "32.00", "48.00")
    )


def test_zero_baseline_higher_is_better_from_a_discounted_vendor_claim():
    # A vendor claims 50 more a month; discounted by 30 % that is 35.
    assert e.expected_change([vendor(absolute=D(50), discount=D(30))], D(0)) == D("35.0000")
    assert suggestions(D(0), e.HIGHER, [vendor(absolute=D(50), discount=D(30))], {6: D(40)}) == {
        (6, "floor"): D("7.00"),
        (6, "target"): D("14.00"),
        (6, "stretch"): D("21.00"),
    }


def test_lower_is_better_from_a_vendors_absolute_claim():
    # 200 hours a month today; the vendor claims 120 hours saved, 40 % off: 72 hours.
    assert suggestions(D(200), e.LOWER, [vendor(absolute=D(120))]) == table(
        ("182.00", "164.00", "146.00"), ("171.20", "142.40", "113.60")
    )


def test_lower_is_better_never_below_zero():
    assert suggestions(D(10), e.LOWER, [peer(absolute=D(40))], {12: D(100)}) == {
        (12, "floor"): D("0.00"),
        (12, "target"): D("0.00"),
        (12, "stretch"): D("0.00"),
    }


def test_percentage_and_absolute_evidence_average_in_the_kpis_unit():
    # 30 % of 200 is 60 hours; with 100 hours from another firm the mean is 80.
    benchmarks = [peer(percent=D(30)), peer(absolute=D(100))]
    assert e.expected_change(benchmarks, D(200)) == D("80.0000")
    assert suggestions(D(200), e.LOWER, benchmarks) == table(
        ("180.00", "160.00", "140.00"), ("168.00", "136.00", "104.00")
    )


def test_higher_is_better_percentage_as_a_change():
    # 25 % of a baseline of 80 requests a month: 20 more.
    assert suggestions(D(80), e.HIGHER, [peer(percent=D(25))]) == table(
        ("85.00", "90.00", "95.00"), ("88.00", "96.00", "104.00")
    )


def test_percentage_of_a_zero_baseline_gives_no_suggestion():
    assert e.expected_change([peer(percent=D(30))], D(0)) is None
    assert suggestions(D(0), e.HIGHER, [peer(percent=D(30))]) == {}


def test_zero_baseline_ignores_percentages_beside_absolute_evidence():
    assert e.expected_change([peer(percent=D(30)), peer(absolute=D(12))], D(0)) == D("12.0000")


def test_no_baseline_no_suggestion():
    assert suggestions(None, e.HIGHER, [peer(absolute=D(40))]) == {}


def test_percentage_path_is_unchanged():
    assert e.suggested_thresholds(
        baseline=D(120), direction=e.LOWER, improvement_percent=D("30.5"), adoption={6: D(50)}
    ) == {(6, "floor"): D("110.85"), (6, "target"): D("101.70"), (6, "stretch"): D("92.55")}


@pytest.mark.parametrize(
    ("benchmark", "usable"),
    [
        (peer(absolute=D("120.5")), D("120.5000")),
        (vendor(absolute=D(120)), D("72.0000")),
        (vendor(absolute=D(120), discount=D(50)), D("60.0000")),
        (vendor(absolute=D("0.0003"), discount=D(50)), D("0.0002")),
        (peer(percent=D(30)), None),
    ],
)
def test_usable_absolute(benchmark, usable):
    assert benchmark.usable_absolute == usable


def test_absolute_benchmark_has_no_percentage():
    assert peer(absolute=D(5)).usable_percent is None
    assert e.expected_improvement([peer(absolute=D(5))]) is None
    assert e.expected_improvement([peer(absolute=D(5)), peer(percent=D(20))]) == D("20.00")


# --- The rule for one piece of evidence ---------------------------------------------------------
def errors(**changes):
    values = {
        "kind": e.PEER,
        "description": "Similar retailer",
        "improvement_percent": None,
        "absolute_change": D(120),
        "source": "Reference call",
        "discount_percent": None,
    }
    values.update(changes)
    return rules.benchmark_errors(**values)


def test_absolute_evidence_accepted():
    assert errors() == {}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"improvement_percent": D(30)},
            {"absolute_change": "Give the improvement either in percent or in the KPI's unit, "
             "not both."},
        ),
        (
            {"absolute_change": D(0)},
            {"absolute_change": "Enter the improvement they report as a positive amount in the "
             "KPI's unit, e.g. 120 (hours a month saved)."},
        ),
        ({"absolute_change": D(-5)}, {"absolute_change": "The improvement cannot be negative."}),
        (
            {"absolute_change": D("1e13")},
            {"absolute_change": "That number is too large for the improvement. Check the unit "
             "and the digits."},
        ),
        (
            {"absolute_change": D("NaN")},
            {"absolute_change": "Enter the improvement as a number, e.g. 95 or 4.5."},
        ),
        (
            {"absolute_change": None},
            {"improvement_percent": "Enter the improvement they report, in percent of their "
             "starting point (e.g. 35) or in the KPI's unit (e.g. 120 hours a month saved)."},
        ),
    ],
)  # fmt: skip
def test_absolute_evidence_refused(changes, message):
    assert errors(**changes) == message
