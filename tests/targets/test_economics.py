"""targets/economics.py: discount, suggestions, monthly value, ROI and payback, by worked
examples and by properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets import economics, rules
from targets.economics import Benchmark

D = Decimal


# --- Discount ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "discount", "expected"),
    [
        ("60", "40", "36.00"),
        ("60", "30", "42.00"),
        ("60", "50", "30.00"),
        ("33.33", "30", "23.33"),
        ("12.5", "50", "6.25"),
        ("0.05", "50", "0.03"),  # 0.025 rounds half up
        ("100", "45", "55.00"),
    ],
)
def test_discounted_worked_examples(claim, discount, expected):
    assert economics.discounted(D(claim), D(discount)) == D(expected)


def test_benchmark_usable_percent_discounts_only_vendor_claims():
    assert Benchmark(kind="vendor", improvement_percent=D("60")).usable_percent == D("36.00")
    assert Benchmark(kind="peer", improvement_percent=D("60")).usable_percent == D("60.00")


def test_expected_improvement_is_the_mean_of_usable_figures():
    evidence = [
        Benchmark(kind="peer", improvement_percent=D("25")),
        Benchmark(kind="vendor", improvement_percent=D("50"), discount_percent=D("30")),
        Benchmark(kind="vendor", improvement_percent=D("80"), discount_percent=D("50")),
    ]
    assert economics.expected_improvement(evidence) == D("33.33")  # (25 + 35 + 40) / 3


def test_expected_improvement_without_evidence_is_none():
    assert economics.expected_improvement([]) is None


@given(
    claim=st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2),
    discount=st.integers(min_value=30, max_value=50),
)
def test_discounted_claim_keeps_half_to_seventy_percent(claim, discount):
    result = economics.discounted(claim, D(discount))
    assert claim * D("0.5") - D("0.005") <= result <= claim * D("0.7") + D("0.005")


# --- Suggestions ------------------------------------------------------------------------------


def test_suggested_thresholds_lower_is_better_worked_example():
    suggestions = economics.suggested_thresholds(
        baseline=D("120"),
        direction="lower",
        improvement_percent=D("36"),
        adoption={6: D("50"), 12: D("80")},
    )
    assert suggestions == {
        (6, "floor"): D("109.20"),
        (6, "target"): D("98.40"),
        (6, "stretch"): D("87.60"),
        (12, "floor"): D("102.72"),
        (12, "target"): D("85.44"),
        (12, "stretch"): D("68.16"),
    }


def test_suggested_thresholds_higher_is_better_worked_example():
    suggestions = economics.suggested_thresholds(
        baseline=D("200"),
        direction="higher",
        improvement_percent=D("25"),
        adoption={6: D("40"), 12: D("100")},
    )
    assert suggestions == {
        (6, "floor"): D("210.00"),
        (6, "target"): D("220.00"),
        (6, "stretch"): D("230.00"),
        (12, "floor"): D("225.00"),
        (12, "target"): D("250.00"),
        (12, "stretch"): D("275.00"),
    }


def test_suggested_value_lower_is_better_stops_at_zero():
    value = economics.suggested_value(
        baseline=D("10"),
        direction="lower",
        improvement_percent=D("90"),
        adoption_percent=D("100"),
        share=D("1.5"),
    )
    assert value == D("0.00")


def test_suggested_thresholds_need_baseline_and_evidence():
    adoption = {6: D("50"), 12: D("80")}
    assert (
        economics.suggested_thresholds(
            baseline=None, direction="lower", improvement_percent=D("30"), adoption=adoption
        )
        == {}
    )
    assert (
        economics.suggested_thresholds(
            baseline=D("120"), direction="lower", improvement_percent=None, adoption=adoption
        )
        == {}
    )


def test_suggested_thresholds_skip_a_horizon_without_adoption():
    suggestions = economics.suggested_thresholds(
        baseline=D("100"), direction="higher", improvement_percent=D("20"), adoption={6: D("50")}
    )
    assert sorted(suggestions) == [(6, "floor"), (6, "stretch"), (6, "target")]


@given(
    baseline=st.decimals(min_value=D("100"), max_value=D("10000"), places=2),
    improvement=st.decimals(min_value=D("5"), max_value=D("60"), places=2),
    adoption_6=st.integers(min_value=10, max_value=60),
    extra_12=st.integers(min_value=0, max_value=40),
    direction=st.sampled_from(["higher", "lower"]),
)
def test_suggestions_always_pass_the_target_rules(
    baseline, improvement, adoption_6, extra_12, direction
):
    suggestions = economics.suggested_thresholds(
        baseline=baseline,
        direction=direction,
        improvement_percent=improvement,
        adoption={6: D(adoption_6), 12: D(adoption_6 + extra_12)},
    )
    errors = rules.target_errors(
        kpi_name="hours per week",
        direction=direction,
        baseline=baseline,
        values=suggestions,
        assumptions="Volumes as in 2026.",
    )
    assert errors == {}


# --- Monthly value and run cost ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "value", "direction", "per_unit", "period", "expected"),
    [
        # 40 hours a week saved at 45 an hour: 40 x 45 x 52 / 12
        ("120", "80", "lower", "45", "week", "7800.00"),
        ("120", "100", "lower", "45", "week", "3900.00"),
        # 50 extra requests a month at a margin of 12.50
        ("200", "250", "higher", "12.5", "month", "625.00"),
        # 3 more a working day at 10: 3 x 10 x 260 / 12
        ("0", "3", "higher", "10", "day", "650.00"),
        ("0", "1200", "higher", "1", "year", "100.00"),
        ("0", "300", "higher", "1", "quarter", "100.00"),
        # Worse than the baseline: the value is negative.
        ("120", "130", "lower", "45", "week", "-1950.00"),
        ("120", "120", "lower", "45", "week", "0.00"),
    ],
)
def test_monthly_value_worked_examples(baseline, value, direction, per_unit, period, expected):
    result = economics.monthly_value(
        baseline=D(baseline),
        value=D(value),
        direction=direction,
        value_per_unit=D(per_unit),
        period=period,
    )
    assert result == D(expected)


def test_monthly_run_cost_prefers_the_workload():
    assert economics.monthly_run_cost(
        cost_per_task=D("0.0125"),
        tasks_per_month=D("40000"),
        model_cost_monthly=D("999"),
        other_monthly_cost=D("200"),
    ) == D("700.00")
    assert economics.monthly_run_cost(
        cost_per_task=None,
        tasks_per_month=None,
        model_cost_monthly=D("1500"),
        other_monthly_cost=D("200"),
    ) == D("1700.00")
    assert (
        economics.monthly_run_cost(
            cost_per_task=None,
            tasks_per_month=None,
            model_cost_monthly=None,
            other_monthly_cost=D(0),
        )
        is None
    )


# --- ROI and payback --------------------------------------------------------------------------

THRESHOLDS = {
    (6, "floor"): D("110"),
    (6, "target"): D("100"),
    (6, "stretch"): D("90"),
    (12, "floor"): D("100"),
    (12, "target"): D("80"),
    (12, "stretch"): D("60"),
}


def test_scenarios_worked_example_hours_saved():
    """Baseline 120 hours a week (lower is better), 45 an hour, run cost 1,700 a month,
    build 40,000."""
    result = economics.scenarios(
        baseline=D("120"),
        direction="lower",
        thresholds=THRESHOLDS,
        value_per_unit=D("45"),
        period="week",
        run_cost=D("1700"),
        build_cost=D("40000"),
    )
    table = [
        (s.level, s.value_6, s.value_12, s.year_value, s.year_cost, s.roi, s.payback)
        for s in result
    ]
    assert table == [
        ("floor", D("1950.00"), D("3900.00"), D("35100.00"), D("60400.00"), D("0.58"), D("23.5")),
        ("target", D("3900.00"), D("7800.00"), D("70200.00"), D("60400.00"), D("1.16"), D("10.4")),
        (
            "stretch",
            D("5850.00"),
            D("11700.00"),
            D("105300.00"),
            D("60400.00"),
            D("1.74"),
            D("7.5"),
        ),
    ]


def test_payback_within_the_ramp():
    assert economics.payback_months(
        build_cost=D("6000"), value_6=D("3000"), value_12=D("5000"), run_cost=D("1000")
    ) == D("3.0")


def test_payback_never_when_value_does_not_exceed_run_cost():
    assert (
        economics.payback_months(
            build_cost=D("40000"), value_6=D("1000"), value_12=D("1700"), run_cost=D("1700")
        )
        is None
    )
    assert (
        economics.payback_months(
            build_cost=D("40000"), value_6=D("0"), value_12=D("1000"), run_cost=D("1700")
        )
        is None
    )


def test_never_paying_back_scenario_still_has_an_roi():
    result = economics.scenario(
        level="floor",
        value_6=D("1000"),
        value_12=D("1700"),
        run_cost=D("1700"),
        build_cost=D("40000"),
    )
    assert (result.pays_back, result.roi) == (False, D("0.27"))


def test_payback_without_build_cost_is_immediate():
    assert economics.payback_months(
        build_cost=D("0"), value_6=D("2000"), value_12=D("2000"), run_cost=D("1000")
    ) == D("0.0")


def test_payback_without_build_cost_after_a_loss_making_ramp():
    # Six months at -500, then +1,000 a month: back to zero after 3 more months.
    assert economics.payback_months(
        build_cost=D("0"), value_6=D("500"), value_12=D("2000"), run_cost=D("1000")
    ) == D("9.0")


def test_roi_without_any_cost_is_none():
    assert economics.roi_ratio(value=D("100"), cost=D("0")) is None


def test_cumulative_net_starts_at_minus_build_cost():
    points = economics.cumulative_net(
        build_cost=D("1000"), value_6=D("300"), value_12=D("500"), run_cost=D("100"), months=8
    )
    assert points == [
        D(v)
        for v in [
            "-1000.00",
            "-800.00",
            "-600.00",
            "-400.00",
            "-200.00",
            "0.00",
            "200.00",
            "600.00",
            "1000.00",
        ]
    ]


money = st.decimals(min_value=D("0"), max_value=D("20000"), places=2)


@given(build=money, value_6=money, value_12=money, run=money)
def test_payback_is_where_cumulative_net_crosses_zero(build, value_6, value_12, run):
    payback = economics.payback_months(
        build_cost=build, value_6=value_6, value_12=value_12, run_cost=run
    )
    net_6, net_12 = value_6 - run, value_12 - run
    if payback is None:
        assert net_12 <= 0
        assert not (net_6 > 0 and 6 * net_6 >= build)
        return
    ramp = min(payback, D(6))
    cumulative = -build + ramp * net_6 + max(D(0), payback - 6) * net_12
    # Payback is rounded to a tenth of a month.
    assert abs(cumulative) <= D("0.05") * (abs(net_6) + abs(net_12)) + D("0.01")


@given(build=money, extra=money, value_6=money, value_12=money, run=money)
def test_payback_never_comes_sooner_with_a_higher_build_cost(build, extra, value_6, value_12, run):
    cheaper = economics.payback_months(
        build_cost=build, value_6=value_6, value_12=value_12, run_cost=run
    )
    dearer = economics.payback_months(
        build_cost=build + extra, value_6=value_6, value_12=value_12, run_cost=run
    )
    if dearer is not None:
        assert cheaper is not None
        assert cheaper <= dearer


@given(value_6=money, value_12=money, more=money, run=money, build=money)
def test_roi_grows_with_value(value_6, value_12, more, run, build):
    low = economics.scenario(
        level="target", value_6=value_6, value_12=value_12, run_cost=run, build_cost=build
    )
    high = economics.scenario(
        level="target", value_6=value_6, value_12=value_12 + more, run_cost=run, build_cost=build
    )
    if low.roi is not None:
        assert high.roi >= low.roi


@given(
    baseline=st.decimals(min_value=D("0"), max_value=D("100000"), places=4),
    per_unit=money,
    period=st.sampled_from(list(economics.PERIODS)),
    direction=st.sampled_from(["higher", "lower"]),
)
def test_monthly_value_at_the_baseline_is_zero(baseline, per_unit, period, direction):
    assert economics.monthly_value(
        baseline=baseline,
        value=baseline,
        direction=direction,
        value_per_unit=per_unit,
        period=period,
    ) == D("0.00")


def test_plain_writes_numbers_as_people_do():
    assert [economics.plain(D(v)) for v in ["120.0000", "1250.5", "1E+2", "0.00", "-3.10"]] == [
        "120",
        "1,250.5",
        "100",
        "0",
        "-3.1",
    ]


def test_missing_thresholds_names_them():
    assert economics.missing_thresholds({(6, "floor"): D(1)}) == [
        "6-month target",
        "6-month stretch",
        "12-month floor",
        "12-month target",
        "12-month stretch",
    ]
