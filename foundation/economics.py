"""AI economics on Decimal: what a task costs in tokens, how that cost moved over time, and when
self-hosting a model beats paying an API. No Django here, so agents, targets and the exports can
use the same numbers as the Block 1 pages.

Prices are USD per million tokens ("per Mtok"). Token counts are whole numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

MILLION = Decimal(1_000_000)
HOURS_PER_MONTH = Decimal(730)  # 8,760 hours a year / 12
SECONDS_PER_HOUR = Decimal(3600)
MONTHS_PER_YEAR = 12
# Batch APIs (OpenAI, Anthropic, Google) charge half price for results within 24 hours.
DEFAULT_BATCH_DISCOUNT = Decimal("0.5")
TIERS = ("frontier", "mid-tier", "efficient")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _share(value: Decimal, name: str) -> Decimal:
    value = Decimal(value)
    _require(value.is_finite() and 0 <= value <= 1, f"{name} must be between 0 and 1")
    return value


def _price(value: Decimal, name: str) -> Decimal:
    value = Decimal(value)
    _require(value.is_finite() and value >= 0, f"{name} must be zero or more")
    return value


# --- Token cost of one task -----------------------------------------------------------------
@dataclass(frozen=True)
class TaskCost:
    """One task's tokens and cost in USD, split by input and output."""

    input_tokens: int  # all calls together, the growing context included
    output_tokens: int
    input_cost: Decimal
    output_cost: Decimal

    @property
    def total(self) -> Decimal:
        return self.input_cost + self.output_cost

    @property
    def input_share(self) -> Decimal:
        """Input's share of the cost, 0..1 (0 when the task costs nothing)."""
        return self.input_cost / self.total if self.total else Decimal(0)


def task_input_tokens(
    *, input_tokens: int, calls_per_task: int, context_growth_per_call: int
) -> int:
    """Input tokens sent over a whole agent loop.

    Each call re-sends the prompt plus everything the earlier calls added: call k (from 0) sends
    input_tokens + k x growth, so n calls send n x input + growth x n(n-1)/2.
    """
    n = calls_per_task
    return n * input_tokens + context_growth_per_call * n * (n - 1) // 2


def task_cost(
    *,
    input_tokens: int,
    output_tokens: int,
    input_price_per_mtok: Decimal,
    output_price_per_mtok: Decimal,
    calls_per_task: int = 1,
    context_growth_per_call: int = 0,
    cached_share: Decimal = Decimal(0),
    cached_price_per_mtok: Decimal | None = None,
    batch_share: Decimal = Decimal(0),
    batch_discount: Decimal = DEFAULT_BATCH_DISCOUNT,
) -> TaskCost:
    """The cost of one task, split into input and output.

    input_tokens / output_tokens are per model call; a task makes calls_per_task calls, each
    re-sending the context, which grows by context_growth_per_call tokens per call.
    cached_share of the input is billed at cached_price_per_mtok; without one (the source gives
    no cached price) cached tokens are billed as input. batch_share of the tasks run through a
    batch API at (1 - batch_discount) of the price.
    """
    for name, value in (
        ("input_tokens", input_tokens),
        ("output_tokens", output_tokens),
        ("context_growth_per_call", context_growth_per_call),
    ):
        _require(isinstance(value, int) and value >= 0, f"{name} must be a whole number >= 0")
    _require(
        isinstance(calls_per_task, int) and calls_per_task >= 1,
        "calls_per_task must be a whole number >= 1",
    )
    input_price = _price(input_price_per_mtok, "input_price_per_mtok")
    output_price = _price(output_price_per_mtok, "output_price_per_mtok")
    cached_price = (
        input_price
        if cached_price_per_mtok is None
        else _price(cached_price_per_mtok, "cached_price_per_mtok")
    )
    cached = _share(cached_share, "cached_share")
    batch = _share(batch_share, "batch_share")
    discount = _share(batch_discount, "batch_discount")

    total_in = task_input_tokens(
        input_tokens=input_tokens,
        calls_per_task=calls_per_task,
        context_growth_per_call=context_growth_per_call,
    )
    total_out = calls_per_task * output_tokens
    price_factor = 1 - batch * discount
    blended_input_price = (1 - cached) * input_price + cached * cached_price
    return TaskCost(
        input_tokens=total_in,
        output_tokens=total_out,
        input_cost=Decimal(total_in) * blended_input_price / MILLION * price_factor,
        output_cost=Decimal(total_out) * output_price / MILLION * price_factor,
    )


def task_cost_usd(
    *,
    input_tokens: int,
    output_tokens: int,
    input_price_per_mtok: Decimal,
    output_price_per_mtok: Decimal,
    calls_per_task: int = 1,
    context_growth_per_call: int = 0,
    cached_share: Decimal = Decimal(0),
    cached_price_per_mtok: Decimal | None = None,
    batch_share: Decimal = Decimal(0),
    batch_discount: Decimal = DEFAULT_BATCH_DISCOUNT,
) -> Decimal:
    """USD cost of one task (see task_cost for the meaning of each argument)."""
    return task_cost(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        input_price_per_mtok=input_price_per_mtok,
        output_price_per_mtok=output_price_per_mtok,
        calls_per_task=calls_per_task,
        context_growth_per_call=context_growth_per_call,
        cached_share=cached_share,
        cached_price_per_mtok=cached_price_per_mtok,
        batch_share=batch_share,
        batch_discount=batch_discount,
    ).total


@dataclass(frozen=True)
class Workload:
    """What a task sends and receives, and how often; priced by `workload_cost`."""

    input_tokens: int
    output_tokens: int
    tasks_per_month: int = 1
    calls_per_task: int = 1
    context_growth_per_call: int = 0
    cached_share: Decimal = Decimal(0)
    batch_share: Decimal = Decimal(0)

    def scaled(self, **changes) -> Workload:
        values = {**self.__dict__, **changes}
        return Workload(**values)


@dataclass(frozen=True)
class Prices:
    """A model's list prices in USD per million tokens."""

    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cached_input_per_mtok: Decimal | None = None


@dataclass(frozen=True)
class WorkloadCost:
    task: TaskCost
    tasks_per_month: int

    @property
    def per_task(self) -> Decimal:
        return self.task.total

    @property
    def per_month(self) -> Decimal:
        return self.task.total * self.tasks_per_month

    @property
    def per_year(self) -> Decimal:
        return self.per_month * MONTHS_PER_YEAR

    @property
    def input_per_month(self) -> Decimal:
        return self.task.input_cost * self.tasks_per_month

    @property
    def output_per_month(self) -> Decimal:
        return self.task.output_cost * self.tasks_per_month

    @property
    def tokens_per_month(self) -> int:
        return (self.task.input_tokens + self.task.output_tokens) * self.tasks_per_month


def workload_cost(workload: Workload, prices: Prices) -> WorkloadCost:
    """A workload priced at one model's prices: per task, per month, per year."""
    _require(
        isinstance(workload.tasks_per_month, int) and workload.tasks_per_month >= 0,
        "tasks_per_month must be a whole number >= 0",
    )
    task = task_cost(
        input_tokens=workload.input_tokens,
        output_tokens=workload.output_tokens,
        input_price_per_mtok=prices.input_per_mtok,
        output_price_per_mtok=prices.output_per_mtok,
        calls_per_task=workload.calls_per_task,
        context_growth_per_call=workload.context_growth_per_call,
        cached_share=workload.cached_share,
        cached_price_per_mtok=prices.cached_input_per_mtok,
        batch_share=workload.batch_share,
    )
    return WorkloadCost(task=task, tasks_per_month=workload.tasks_per_month)


@dataclass(frozen=True)
class CostDriver:
    label: str
    per_month: Decimal
    factor: Decimal  # per_month / the workload's per_month (1 when the workload costs nothing)


def cost_drivers(workload: Workload, prices: Prices, *, multiplier: int = 2) -> list[CostDriver]:
    """What the monthly cost becomes when the context doubles, the agent loop runs `multiplier`
    times as many calls, or the output is `multiplier` times as verbose."""
    _require(isinstance(multiplier, int) and multiplier >= 1, "multiplier must be >= 1")
    base = workload_cost(workload, prices).per_month
    variants = [
        (
            "Context doubles",
            workload.scaled(
                input_tokens=workload.input_tokens * 2,
                context_growth_per_call=workload.context_growth_per_call * 2,
            ),
        ),
        (
            f"Agent loop runs {multiplier}x the calls",
            workload.scaled(calls_per_task=workload.calls_per_task * multiplier),
        ),
        (
            f"Output {multiplier}x more verbose",
            workload.scaled(output_tokens=workload.output_tokens * multiplier),
        ),
    ]
    drivers = []
    for label, variant in variants:
        cost = workload_cost(variant, prices).per_month
        drivers.append(
            CostDriver(label=label, per_month=cost, factor=cost / base if base else Decimal(1))
        )
    return drivers


# --- Cost evolution --------------------------------------------------------------------------
@dataclass(frozen=True)
class DatedPrice:
    """A model's price from `effective_date` until its next dated price."""

    model: str
    tier: str
    effective_date: datetime.date
    prices: Prices
    source: str = ""
    retired_on: datetime.date | None = None  # shutdown date, where a vendor states one
    retired_date_unknown: bool = False  # gone from sale, no dated source says since when


def prices_on(points: Iterable[DatedPrice], day: datetime.date) -> dict[str, DatedPrice]:
    """Each model's price in force on `day` (its latest point dated on or before it)."""
    current: dict[str, DatedPrice] = {}
    for point in points:
        if point.effective_date > day:
            continue
        held = current.get(point.model)
        if held is None or point.effective_date > held.effective_date:
            current[point.model] = point
    return current


def cheapest_on(
    points: Iterable[DatedPrice], day: datetime.date, workload: Workload, tier: str | None = None
) -> tuple[DatedPrice, WorkloadCost] | None:
    """The model (of `tier`, if given) that ran `workload` cheapest on `day`, with its cost;
    None when no such model had a price yet. Ties go to the model name first alphabetically."""
    best = None
    for point in sorted(prices_on(points, day).values(), key=lambda p: p.model):
        if tier is not None and point.tier != tier:
            continue
        cost = workload_cost(workload, point.prices)
        if best is None or cost.per_month < best[1].per_month:
            best = (point, cost)
    return best


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Evolution:
    """The headline: `months` ago this workload cost `then`, today `now`."""

    tier: str
    months: int
    then_date: datetime.date
    now_date: datetime.date
    then: tuple[DatedPrice, WorkloadCost] | None
    now: tuple[DatedPrice, WorkloadCost] | None

    @property
    def times_cheaper(self) -> Decimal | None:
        """then / now: above 1 is cheaper today, below 1 dearer; None when it can't be said."""
        if not self.then or not self.now or not self.now[1].per_month:
            return None
        return self.then[1].per_month / self.now[1].per_month


def cost_evolution(
    points: Iterable[DatedPrice],
    workload: Workload,
    *,
    tier: str,
    today: datetime.date,
    months: int = 18,
) -> Evolution:
    """What the workload cost `months` ago and costs today on the cheapest model of `tier`
    available at each date."""
    _require(isinstance(months, int) and months >= 1, "months must be >= 1")
    points = list(points)
    then_date = months_before(today, months)
    return Evolution(
        tier=tier,
        months=months,
        then_date=then_date,
        now_date=today,
        then=cheapest_on(points, then_date, workload, tier),
        now=cheapest_on(points, today, workload, tier),
    )


def blended_price_per_mtok(
    prices: Prices, *, input_weight: int = 3, output_weight: int = 1
) -> Decimal:
    """Price of a million tokens mixed input:output by the weights (3:1 is the usual mix)."""
    _require(input_weight >= 0 and output_weight >= 0, "weights must be zero or more")
    total = input_weight + output_weight
    _require(total > 0, "weights must not both be zero")
    return (prices.input_per_mtok * input_weight + prices.output_per_mtok * output_weight) / total


def tier_price_steps(
    points: Iterable[DatedPrice],
    *,
    tier: str,
    input_weight: int = 3,
    output_weight: int = 1,
    until: datetime.date | None = None,
) -> list[tuple[datetime.date, DatedPrice, Decimal]]:
    """The cheapest blended price of `tier` over time: one step per date where it changed.
    A model counts until its shutdown date; one gone from sale without a date counts before
    `until` only (the day the story is told)."""
    points = [p for p in points if p.tier == tier and (until is None or p.effective_date <= until)]
    days = {p.effective_date for p in points}
    days |= {
        p.retired_on for p in points if p.retired_on and (until is None or p.retired_on <= until)
    }
    if until is not None and points:
        days.add(until)
    steps: list[tuple[datetime.date, DatedPrice, Decimal]] = []
    for day in sorted(days):
        best = None
        for point in prices_on(points, day).values():
            if point.retired_on is not None and day >= point.retired_on:
                continue
            if point.retired_date_unknown and until is not None and day >= until:
                continue
            price = blended_price_per_mtok(
                point.prices, input_weight=input_weight, output_weight=output_weight
            )
            if best is None or (price, point.model) < (best[1], best[0].model):
                best = (point, price)
        if best and (not steps or steps[-1][2] != best[1]):
            steps.append((day, best[0], best[1]))
    return steps


# --- Break-even: API vs self-hosted ---------------------------------------------------------
def mixed_tokens_per_second(
    *,
    input_share: Decimal,
    prefill_tokens_per_second: Decimal,
    generation_tokens_per_second: Decimal,
) -> Decimal:
    """Tokens a GPU gets through per second for a mix of input and output tokens.

    Input tokens are read at the prefill rate, output tokens written at the (much slower)
    generation rate; a token of the mix takes s/p + (1-s)/g seconds, s being the input share.
    Counting input tokens at the generation rate would overstate the GPUs needed.
    """
    share = _share(input_share, "input_share")
    prefill, generation = Decimal(prefill_tokens_per_second), Decimal(generation_tokens_per_second)
    _require(prefill.is_finite() and prefill > 0, "prefill_tokens_per_second must be more than 0")
    _require(
        generation.is_finite() and generation > 0,
        "generation_tokens_per_second must be more than 0",
    )
    return 1 / (share / prefill + (1 - share) / generation)


@dataclass(frozen=True)
class SelfHosting:
    gpu_price_per_hour: Decimal
    tokens_per_second_per_gpu: Decimal  # of the token mix (see mixed_tokens_per_second)
    utilisation: Decimal  # share of the month the GPUs do useful work, 0 < u <= 1
    fixed_cost_per_month: Decimal  # engineering and operations

    def __post_init__(self):
        _price(self.gpu_price_per_hour, "gpu_price_per_hour")
        _price(self.fixed_cost_per_month, "fixed_cost_per_month")
        tps = Decimal(self.tokens_per_second_per_gpu)
        _require(tps.is_finite() and tps > 0, "tokens_per_second_per_gpu must be more than 0")
        util = Decimal(self.utilisation)
        _require(util.is_finite() and 0 < util <= 1, "utilisation must be above 0 and at most 1")

    @property
    def gpu_cost_per_month(self) -> Decimal:
        return self.gpu_price_per_hour * HOURS_PER_MONTH

    @property
    def tokens_per_gpu_month(self) -> Decimal:
        """Tokens one GPU processes in a month at the given utilisation."""
        return (
            self.tokens_per_second_per_gpu * SECONDS_PER_HOUR * HOURS_PER_MONTH * self.utilisation
        )

    @property
    def cost_per_mtok_at_capacity(self) -> Decimal:
        """GPU cost of a million tokens when the GPUs run at the given utilisation."""
        return self.gpu_price_per_hour / (
            self.tokens_per_second_per_gpu * SECONDS_PER_HOUR * self.utilisation / MILLION
        )

    def gpus(self, tokens_per_month: Decimal) -> int:
        """Whole GPUs needed for the volume; at least one, since a deployment keeps a GPU up."""
        needed = (Decimal(tokens_per_month) / self.tokens_per_gpu_month).to_integral_value(
            rounding=ROUND_CEILING
        )
        return max(1, int(needed))

    def monthly_cost(self, tokens_per_month: Decimal) -> Decimal:
        return self.gpus(tokens_per_month) * self.gpu_cost_per_month + self.fixed_cost_per_month


def api_monthly_cost(
    *,
    input_tokens: Decimal,
    output_tokens: Decimal,
    input_price_per_mtok: Decimal,
    output_price_per_mtok: Decimal,
) -> Decimal:
    """USD per month at API list prices for the monthly token volumes."""
    _require(Decimal(input_tokens) >= 0 and Decimal(output_tokens) >= 0, "tokens must be >= 0")
    return (
        Decimal(input_tokens) * _price(input_price_per_mtok, "input_price_per_mtok")
        + Decimal(output_tokens) * _price(output_price_per_mtok, "output_price_per_mtok")
    ) / MILLION


@dataclass(frozen=True)
class BreakEven:
    """API vs self-hosted for a token mix. Volumes are tokens per month (input + output)."""

    api_price_per_mtok: Decimal  # blended by the mix
    hosting: SelfHosting
    volume: Decimal | None  # where self-hosting becomes as cheap as the API; None: never
    gpus_at_break_even: int | None

    @property
    def never(self) -> bool:
        return self.volume is None

    def api_cost(self, tokens_per_month: Decimal) -> Decimal:
        return Decimal(tokens_per_month) * self.api_price_per_mtok / MILLION

    def self_hosted_cost(self, tokens_per_month: Decimal) -> Decimal:
        return self.hosting.monthly_cost(tokens_per_month)


def break_even(
    *,
    input_share: Decimal,
    input_price_per_mtok: Decimal,
    output_price_per_mtok: Decimal,
    hosting: SelfHosting,
) -> BreakEven:
    """The smallest monthly volume at which self-hosting costs no more than the API.

    API cost is linear: a x V. Self-hosting is a staircase: g x ceil(V / C) + fixed, C being one
    GPU's monthly capacity. Within step k the API catches up at V = (g k + fixed) / a, which lies
    in that step for the first k with a C k >= g k + fixed, i.e. k = ceil(fixed / (a C - g)).
    When a C <= g a GPU's full month of tokens costs less at the API: never.
    """
    share = _share(input_share, "input_share")
    api_price = share * _price(input_price_per_mtok, "input_price_per_mtok") + (1 - share) * _price(
        output_price_per_mtok, "output_price_per_mtok"
    )
    a = api_price / MILLION  # USD per token
    capacity = hosting.tokens_per_gpu_month
    g = hosting.gpu_cost_per_month
    fixed = hosting.fixed_cost_per_month
    margin = a * capacity - g  # what a full GPU saves per month against the API
    if margin <= 0:
        return BreakEven(api_price, hosting, None, None)
    k = max(1, int((fixed / margin).to_integral_value(rounding=ROUND_CEILING)))
    volume = (g * k + fixed) / a
    return BreakEven(api_price, hosting, volume, k)
