"""targets/forecast.py: the monthly cost forecast, by worked examples (pure, no database)."""

from decimal import Decimal as D

import pytest

from targets import forecast as f


@pytest.mark.parametrize(
    ("times", "months", "yearly"),
    [
        (D("1.9"), 24, D("27.45")),
        (D("8.0"), 24, D("64.64")),
        (D("1.3"), 18, D("16.05")),
        (D("2"), 12, D("50.00")),
        (D("4"), 24, D("50.00")),
        (D("1"), 24, D("0.00")),
        (D("0.5"), 24, D("0.00")),
        (D("10"), 0, D("0.00")),
    ],
)
def test_annual_decline(times, months, yearly):
    assert f.annual_decline(times, months) == yearly


def test_observed_decline():
    assert f.observed_decline(then_price=D("4.375"), now_price=D("0.544"), months=24) == D("64.74")
    assert f.observed_decline(then_price=None, now_price=D(1), months=24) is None
    assert f.observed_decline(then_price=D(1), now_price=D(0), months=24) is None


@pytest.mark.parametrize(
    ("month", "adoption"),
    [(1, "8.33"), (3, "25.00"), (6, "50.00"), (7, "55.00"), (9, "65.00"), (12, "80.00"),
     (13, "80.00"), (24, "80.00")],
)  # fmt: skip
def test_adoption_ramp(month, adoption):
    assert f.adoption_in_month(month, D(50), D(80)) == D(adoption)


def test_adoption_ramp_can_fall_after_month_6():
    assert f.adoption_in_month(9, D(60), D(40)) == D("50.00")


@pytest.mark.parametrize(
    ("month", "decline", "factor"),
    [(12, D(50), "0.500000"), (24, D(50), "0.250000"), (6, D(50), "0.707107"),
     (1, D("27.45"), "0.973613"), (5, D(0), "1.000000"), (12, D(100), "0.000000")],
)  # fmt: skip
def test_price_factor(month, decline, factor):
    assert f.price_factor(month, decline) == D(factor)


def test_monthly_forecast_worked_example():
    rows = f.monthly_forecast(
        full_volume_cost=D(1000),
        other_monthly_cost=D(200),
        adoption_6=D(50),
        adoption_12=D(80),
        decline_percent=D(50),
        months=24,
    )
    assert len(rows) == 24
    picked = {r.month: (r.adoption_percent, r.price_factor, r.model_cost, r.total) for r in rows}
    assert picked[1] == (D("8.33"), D("0.943874"), D("78.62"), D("278.62"))
    assert picked[6] == (D("50.00"), D("0.707107"), D("353.55"), D("553.55"))
    assert picked[12] == (D("80.00"), D("0.500000"), D("400.00"), D("600.00"))
    assert picked[24] == (D("80.00"), D("0.250000"), D("200.00"), D("400.00"))


def test_monthly_forecast_without_decline_follows_adoption():
    rows = f.monthly_forecast(
        full_volume_cost=D("999.99"),
        other_monthly_cost=D(0),
        adoption_6=D(100),
        adoption_12=D(100),
        decline_percent=D(0),
        months=12,
    )
    assert [r.model_cost for r in rows] == [
        # Adoption is rounded to hundredths of a percent first (16.67 %, 33.33 %, ...).
        D("166.70"), D("333.30"), D("500.00"), D("666.69"), D("833.29"), D("999.99"),
        *[D("999.99")] * 6,
    ]  # fmt: skip


def test_portfolio_adds_the_agents_months():
    one = f.monthly_forecast(
        full_volume_cost=D(600), other_monthly_cost=D(10), adoption_6=D(60), adoption_12=D(60),
        decline_percent=D(0), months=12,
    )  # fmt: skip
    two = f.monthly_forecast(
        full_volume_cost=D(1200), other_monthly_cost=D(0), adoption_6=D(30), adoption_12=D(90),
        decline_percent=D(0), months=12,
    )  # fmt: skip
    totals = f.portfolio_forecast([one, two])
    assert totals[0] == D("70.00") + D("60.00")
    assert totals[11] == D("370.00") + D("1080.00")
    assert f.portfolio_forecast([]) == []


def test_decline_choices_name_the_published_rates():
    labels = dict(f.DECLINE_CHOICES)
    assert list(labels) == ["none", "catalogue", "published_floor", "published_frontier"]
    assert "1.9x cheaper over 24 months" in labels["published_floor"]
