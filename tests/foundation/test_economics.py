"""foundation.economics: worked examples for every formula, and properties that must hold for
any inputs."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foundation import economics as e

# --- Token cost ------------------------------------------------------------------------------


def test_task_cost_usd_single_call():
    # 2,000 x $3 / 1M + 500 x $15 / 1M = 0.006 + 0.0075
    cost = e.task_cost_usd(
        input_tokens=2000, output_tokens=500, input_price_per_mtok=D(3), output_price_per_mtok=D(15)
    )
    assert cost == D("0.0135")


def test_task_input_tokens_agent_loop_resends_growing_context():
    # 5 calls of 2,000 tokens, 1,000 added per call: 5 x 2,000 + 1,000 x (0+1+2+3+4) = 20,000
    assert (
        e.task_input_tokens(input_tokens=2000, calls_per_task=5, context_growth_per_call=1000)
        == 20000
    )


def test_task_cost_agent_loop_worked_example():
    cost = e.task_cost(
        input_tokens=3000,
        output_tokens=500,
        input_price_per_mtok=D(3),
        output_price_per_mtok=D(15),
        calls_per_task=4,
        context_growth_per_call=800,
    )
    # input: 4 x 3,000 + 800 x 6 = 16,800 tokens x $3/M = 0.0504; output: 2,000 x $15/M = 0.03
    assert cost.input_tokens == 16800
    assert cost.output_tokens == 2000
    assert cost.input_cost == D("0.0504")
    assert cost.output_cost == D("0.03")
    assert cost.total == D("0.0804")


def test_task_cost_cached_share_uses_cached_price():
    # 10,000 input, 80% cached at $0.30, 20% at $3: 8,000 x 0.3/M + 2,000 x 3/M = 0.0024 + 0.006
    cost = e.task_cost(
        input_tokens=10000,
        output_tokens=0,
        input_price_per_mtok=D(3),
        output_price_per_mtok=D(15),
        cached_share=D("0.8"),
        cached_price_per_mtok=D("0.30"),
    )
    assert cost.input_cost == D("0.0084")


def test_task_cost_without_a_cached_price_bills_cached_tokens_as_input():
    cost = e.task_cost_usd(
        input_tokens=1_000_000,
        output_tokens=0,
        input_price_per_mtok=D(2),
        output_price_per_mtok=D(8),
        cached_share=D(1),
    )
    assert cost == D("2")


def test_task_cost_batch_share_discounts_that_share():
    # Half the tasks at half price: pays 75% of list
    cost = e.task_cost_usd(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        input_price_per_mtok=D(1),
        output_price_per_mtok=D(3),
        batch_share=D("0.5"),
    )
    assert cost == D("3.00")


def test_task_cost_split_input_share():
    cost = e.task_cost(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        input_price_per_mtok=D(1),
        output_price_per_mtok=D(3),
    )
    assert cost.input_share == D("0.25")


def test_task_cost_zero_tokens_cost_nothing():
    cost = e.task_cost(
        input_tokens=0, output_tokens=0, input_price_per_mtok=D(3), output_price_per_mtok=D(15)
    )
    assert cost.total == D(0)
    assert cost.input_share == D(0)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"input_tokens": -1}, "input_tokens must be a whole number >= 0"),
        ({"output_tokens": 1.5}, "output_tokens must be a whole number >= 0"),
        ({"calls_per_task": 0}, "calls_per_task must be a whole number >= 1"),
        ({"input_price_per_mtok": D(-1)}, "input_price_per_mtok must be zero or more"),
        ({"output_price_per_mtok": D("NaN")}, "output_price_per_mtok must be zero or more"),
        ({"cached_share": D("1.1")}, "cached_share must be between 0 and 1"),
        ({"batch_share": D(-0.1)}, "batch_share must be between 0 and 1"),
        ({"context_growth_per_call": -5}, "context_growth_per_call must be a whole number >= 0"),
    ],
)
def test_task_cost_refuses_bad_arguments(changes, message):
    arguments = {
        "input_tokens": 100,
        "output_tokens": 100,
        "input_price_per_mtok": D(1),
        "output_price_per_mtok": D(1),
        **changes,
    }
    with pytest.raises(ValueError) as raised:
        e.task_cost(**arguments)
    assert str(raised.value) == message


def test_workload_cost_per_month_and_year():
    workload = e.Workload(input_tokens=2000, output_tokens=500, tasks_per_month=10_000)
    cost = e.workload_cost(workload, e.Prices(D(3), D(15)))
    assert cost.per_task == D("0.0135")
    assert cost.per_month == D("135.0000")
    assert cost.per_year == D("1620.0000")
    assert cost.tokens_per_month == 25_000_000
    assert cost.input_per_month + cost.output_per_month == cost.per_month


def test_cost_drivers_worked_example():
    workload = e.Workload(
        input_tokens=3000,
        output_tokens=500,
        tasks_per_month=1000,
        calls_per_task=2,
        context_growth_per_call=1000,
    )
    prices = e.Prices(D(3), D(15))
    # base: input 2x3,000 + 1,000 = 7,000 -> 0.021; output 1,000 -> 0.015; 0.036 x 1,000 = 36
    drivers = e.cost_drivers(workload, prices, multiplier=3)
    assert [d.label for d in drivers] == [
        "Context doubles",
        "Agent loop runs 3x the calls",
        "Output 3x more verbose",
    ]
    # context doubles: input 0.042 + 0.015 = 0.057 -> 57
    assert drivers[0].per_month == D("57.000")
    # 6 calls: input 6 x 3,000 + 1,000 x 15 = 33,000 -> 0.099; output 3,000 -> 0.045 -> 144
    assert drivers[1].per_month == D("144.000")
    assert drivers[1].factor == D(4)
    # output x3: 0.021 + 0.045 = 0.066 -> 66
    assert drivers[2].per_month == D("66.000")


# --- Cost evolution --------------------------------------------------------------------------


def _points():
    return [
        e.DatedPrice(
            "old-frontier", "frontier", datetime.date(2023, 3, 1), e.Prices(D(30), D(60)), "A"
        ),
        e.DatedPrice(
            "old-frontier", "frontier", datetime.date(2024, 1, 1), e.Prices(D(10), D(30)), "B"
        ),
        e.DatedPrice(
            "new-frontier", "frontier", datetime.date(2025, 1, 1), e.Prices(D(2), D(8)), "C"
        ),
        e.DatedPrice(
            "small", "efficient", datetime.date(2024, 6, 1), e.Prices(D("0.15"), D("0.60")), "D"
        ),
    ]


def test_prices_on_takes_latest_price_in_force():
    current = e.prices_on(_points(), datetime.date(2024, 6, 1))
    assert current["old-frontier"].prices == e.Prices(D(10), D(30))
    assert "new-frontier" not in current


def test_cost_evolution_worked_example():
    workload = e.Workload(input_tokens=1_000_000, output_tokens=1_000_000, tasks_per_month=1)
    evolution = e.cost_evolution(
        _points(), workload, tier="frontier", today=datetime.date(2025, 7, 1), months=18
    )
    assert evolution.then_date == datetime.date(2024, 1, 1)
    assert evolution.then[0].model == "old-frontier"
    assert evolution.then[1].per_month == D(40)
    assert evolution.now[0].model == "new-frontier"
    assert evolution.now[1].per_month == D(10)
    assert evolution.times_cheaper == D(4)


def test_cost_evolution_without_a_model_then():
    workload = e.Workload(input_tokens=1000, output_tokens=1000)
    evolution = e.cost_evolution(
        _points(), workload, tier="efficient", today=datetime.date(2025, 1, 1), months=12
    )
    assert evolution.then is None
    assert evolution.times_cheaper is None


def test_months_before_clamps_to_month_end():
    assert e.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert e.months_before(datetime.date(2026, 11, 28), 18) == datetime.date(2025, 5, 28)
    assert e.months_before(datetime.date(2026, 1, 15), 36) == datetime.date(2023, 1, 15)


def test_blended_price_three_to_one():
    assert e.blended_price_per_mtok(e.Prices(D(3), D(15))) == D(6)


def test_tier_price_steps_keeps_only_changes():
    steps = e.tier_price_steps(_points(), tier="frontier")
    assert [(day, price) for day, _point, price in steps] == [
        (datetime.date(2023, 3, 1), D("37.5")),
        (datetime.date(2024, 1, 1), D("15")),
        (datetime.date(2025, 1, 1), D("3.5")),
    ]


# --- Break-even ------------------------------------------------------------------------------


def _hosting(**changes):
    values = {
        "gpu_price_per_hour": D("2.50"),
        "tokens_per_second_per_gpu": D(460),
        "utilisation": D("0.6"),
        "fixed_cost_per_month": D(10000),
        **changes,
    }
    return e.SelfHosting(**values)


def test_self_hosting_worked_example():
    hosting = _hosting()
    # 460 x 3,600 x 730 x 0.6 tokens per GPU-month; $2.50 x 730 = $1,825 per GPU-month
    assert hosting.tokens_per_gpu_month == D("725328000.0")
    assert hosting.gpu_cost_per_month == D("1825.00")
    assert hosting.gpus(D(0)) == 1
    assert hosting.gpus(D(725328000)) == 1
    assert hosting.gpus(D(725328001)) == 2
    assert hosting.monthly_cost(D(2_000_000_000)) == D("15475.00")  # 3 GPUs + 10,000


def test_self_hosting_cost_per_million_at_capacity():
    # $/h / (tokens/s x 3,600 x utilisation / 1e6) = 2 / (1,000 x 3,600 x 0.5 / 1e6) = 1.111...
    hosting = _hosting(
        gpu_price_per_hour=D(2), tokens_per_second_per_gpu=D(1000), utilisation=D("0.5")
    )
    assert hosting.cost_per_mtok_at_capacity.quantize(D("0.0001")) == D("1.1111")


def test_break_even_worked_example():
    # API blended: 0.75 x 3 + 0.25 x 15 = $6 per M. A GPU-month of tokens costs 725.328 x 6 =
    # $4,351.97 at the API against $1,825: margin $2,526.97; k = ceil(10,000 / 2,526.97) = 4;
    # V = (4 x 1,825 + 10,000) / 0.000006 = 2,883,333,333 tokens.
    result = e.break_even(
        input_share=D("0.75"),
        input_price_per_mtok=D(3),
        output_price_per_mtok=D(15),
        hosting=_hosting(),
    )
    assert result.api_price_per_mtok == D("6.00")
    assert result.gpus_at_break_even == 4
    assert result.volume.quantize(D(1)) == D(2883333333)
    assert result.api_cost(result.volume) == result.self_hosted_cost(result.volume)


def test_break_even_never_when_a_full_gpu_costs_more_than_its_tokens_at_the_api():
    result = e.break_even(
        input_share=D("0.75"),
        input_price_per_mtok=D("0.10"),
        output_price_per_mtok=D("0.40"),
        hosting=_hosting(),
    )
    assert result.never is True
    assert result.volume is None


def test_break_even_free_api_never_breaks_even():
    result = e.break_even(
        input_share=D("0.5"),
        input_price_per_mtok=D(0),
        output_price_per_mtok=D(0),
        hosting=_hosting(),
    )
    assert result.never is True


def test_break_even_free_self_hosting_breaks_even_at_zero():
    hosting = _hosting(gpu_price_per_hour=D(0), fixed_cost_per_month=D(0))
    result = e.break_even(
        input_share=D(1), input_price_per_mtok=D(1), output_price_per_mtok=D(1), hosting=hosting
    )
    assert result.volume == D(0)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"tokens_per_second_per_gpu": D(0)}, "tokens_per_second_per_gpu must be more than 0"),
        ({"utilisation": D(0)}, "utilisation must be above 0 and at most 1"),
        ({"utilisation": D("1.5")}, "utilisation must be above 0 and at most 1"),
        ({"gpu_price_per_hour": D(-1)}, "gpu_price_per_hour must be zero or more"),
        ({"fixed_cost_per_month": D("Infinity")}, "fixed_cost_per_month must be zero or more"),
    ],
)
def test_self_hosting_refuses_bad_figures(changes, message):
    with pytest.raises(ValueError) as raised:
        _hosting(**changes)
    assert str(raised.value) == message


def test_api_monthly_cost():
    cost = e.api_monthly_cost(
        input_tokens=D(900_000_000),
        output_tokens=D(300_000_000),
        input_price_per_mtok=D(3),
        output_price_per_mtok=D(15),
    )
    assert cost == D(7200)


# --- Properties ------------------------------------------------------------------------------

tokens = st.integers(min_value=0, max_value=2_000_000)
prices = st.decimals(min_value=0, max_value=200, places=4, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    input_tokens=tokens,
    output_tokens=tokens,
    extra_in=st.integers(min_value=0, max_value=100_000),
    extra_out=st.integers(min_value=0, max_value=100_000),
    input_price=prices,
    output_price=prices,
    calls=st.integers(min_value=1, max_value=20),
    growth=st.integers(min_value=0, max_value=10_000),
    cached=shares,
    batch=shares,
)
def test_more_tokens_never_cost_less(
    input_tokens,
    output_tokens,
    extra_in,
    extra_out,
    input_price,
    output_price,
    calls,
    growth,
    cached,
    batch,
):
    common = {
        "input_price_per_mtok": input_price,
        "output_price_per_mtok": output_price,
        "calls_per_task": calls,
        "context_growth_per_call": growth,
        "cached_share": cached,
        "batch_share": batch,
    }
    fewer = e.task_cost_usd(input_tokens=input_tokens, output_tokens=output_tokens, **common)
    more = e.task_cost_usd(
        input_tokens=input_tokens + extra_in, output_tokens=output_tokens + extra_out, **common
    )
    assert more >= fewer >= 0


@settings(max_examples=150, deadline=None)
@given(
    input_tokens=tokens,
    output_tokens=tokens,
    price=prices,
    calls=st.integers(min_value=1, max_value=20),
    extra_calls=st.integers(min_value=0, max_value=20),
    growth=st.integers(min_value=0, max_value=10_000),
)
def test_more_calls_never_cost_less(input_tokens, output_tokens, price, calls, extra_calls, growth):
    common = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "input_price_per_mtok": price,
        "output_price_per_mtok": price * 4,
        "context_growth_per_call": growth,
    }
    assert e.task_cost_usd(calls_per_task=calls + extra_calls, **common) >= e.task_cost_usd(
        calls_per_task=calls, **common
    )


@settings(max_examples=150, deadline=None)
@given(input_tokens=tokens, output_tokens=tokens, price=prices, cached=shares)
def test_caching_and_batch_never_cost_more(input_tokens, output_tokens, price, cached):
    common = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "input_price_per_mtok": price,
        "output_price_per_mtok": price * 3,
    }
    full = e.task_cost_usd(**common)
    assert e.task_cost_usd(cached_share=cached, **common) <= full
    assert e.task_cost_usd(batch_share=cached, **common) <= full


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    input_share=shares,
    input_price=st.decimals(min_value=D("0.01"), max_value=100, places=2),
    output_price=st.decimals(min_value=D("0.01"), max_value=200, places=2),
    gpu_price=st.decimals(min_value=0, max_value=20, places=2),
    tps=st.decimals(min_value=1, max_value=50_000, places=0),
    utilisation=st.decimals(min_value=D("0.05"), max_value=1, places=2),
    fixed=st.decimals(min_value=0, max_value=200_000, places=0),
)
def test_break_even_volume_is_where_the_costs_meet(
    input_share, input_price, output_price, gpu_price, tps, utilisation, fixed
):
    hosting = e.SelfHosting(
        gpu_price_per_hour=gpu_price,
        tokens_per_second_per_gpu=tps,
        utilisation=utilisation,
        fixed_cost_per_month=fixed,
    )
    result = e.break_even(
        input_share=input_share,
        input_price_per_mtok=input_price,
        output_price_per_mtok=output_price,
        hosting=hosting,
    )
    if result.never:
        # A full GPU-month of tokens costs no more at the API than on the GPU.
        capacity = hosting.tokens_per_gpu_month
        assert result.api_cost(capacity) <= hosting.gpu_cost_per_month
        return
    volume = result.volume
    api, hosted = result.api_cost(volume), result.self_hosted_cost(volume)
    assert abs(api - hosted) <= max(hosted, D(1)) * D("1e-20")
    # Just below it the API is still cheaper (it is the first meeting point).
    if volume > 0:
        below = volume * D("0.999")
        assert result.api_cost(below) < result.self_hosted_cost(below)
        assert hosting.gpus(volume) == result.gpus_at_break_even
