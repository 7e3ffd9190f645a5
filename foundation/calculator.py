"""The token economics calculator, the cost evolution story and the break-even page: the
catalogue's prices put through foundation.economics for one workload."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from . import economics
from .selectors import CatalogueRow, to_prices


@dataclass(frozen=True)
class Priced:
    row: CatalogueRow
    cost: economics.WorkloadCost

    @property
    def label(self) -> str:
        return f"{self.row.model.provider} {self.row.model.name}"


@dataclass(frozen=True)
class TierComparison:
    tier: str
    best: Priced | None  # the tier's cheapest current model for this workload
    models: int  # how many models of the tier have a price today


@dataclass(frozen=True)
class CalculatorResult:
    workload: economics.Workload
    chosen: Priced | None
    chosen_by_tier: str | None  # set when the person chose "cheapest of a tier"
    tiers: list[TierComparison]
    drivers: list[economics.CostDriver]
    multiplier: int
    no_cached_price: bool  # the model has no cached price: cached tokens billed as input

    @property
    def max_tier_cost(self) -> Decimal:
        costs = [t.best.cost.per_month for t in self.tiers if t.best]
        return max(costs, default=Decimal(0))


def cheapest(rows: list[CatalogueRow], workload: economics.Workload) -> Priced | None:
    best = None
    for row in rows:
        cost = economics.workload_cost(workload, to_prices(row.current))
        if best is None or cost.per_month < best.cost.per_month:
            best = Priced(row=row, cost=cost)
    return best


def calculate(
    *, workload: economics.Workload, choice: str, priced_rows: list[CatalogueRow], multiplier: int
) -> CalculatorResult:
    """Cost of the workload on the chosen model (or its tier's cheapest), on each tier's
    cheapest model, and under the cost drivers."""
    by_tier = {tier: [r for r in priced_rows if r.model.tier == tier] for tier in economics.TIERS}
    tiers = [
        TierComparison(tier=tier, best=cheapest(rows, workload), models=len(rows))
        for tier, rows in by_tier.items()
    ]
    chosen_by_tier = choice if choice in economics.TIERS else None
    if chosen_by_tier:
        chosen = next(t.best for t in tiers if t.tier == chosen_by_tier)
    else:
        row = next((r for r in priced_rows if f"m{r.model.pk}" == choice), None)
        chosen = (
            Priced(row=row, cost=economics.workload_cost(workload, to_prices(row.current)))
            if row
            else None
        )
    drivers = (
        economics.cost_drivers(workload, to_prices(chosen.row.current), multiplier=multiplier)
        if chosen
        else []
    )
    return CalculatorResult(
        workload=workload,
        chosen=chosen,
        chosen_by_tier=chosen_by_tier,
        tiers=tiers,
        drivers=drivers,
        multiplier=multiplier,
        no_cached_price=bool(
            chosen
            and chosen.row.current.cached_input_usd_per_mtok is None
            and workload.cached_share > 0
        ),
    )


# --- Cost evolution -------------------------------------------------------------------------
WINDOWS = (6, 12, 18, 24, 36)


@dataclass(frozen=True)
class EvolutionStory:
    headline: economics.Evolution
    by_window: list[economics.Evolution]
    by_tier: list[economics.Evolution]
    sources: list[str]


def evolution_story(
    *,
    points: list[economics.DatedPrice],
    workload: economics.Workload,
    tier: str,
    months: int,
    today: datetime.date,
) -> EvolutionStory:
    """The headline for the chosen tier and window, the same tier over the standard windows,
    and every tier over the chosen window; sources of the prices used."""
    headline = economics.cost_evolution(points, workload, tier=tier, today=today, months=months)
    by_window = [
        economics.cost_evolution(points, workload, tier=tier, today=today, months=m)
        for m in sorted({*WINDOWS, months})
    ]
    by_tier = [
        economics.cost_evolution(points, workload, tier=t, today=today, months=months)
        for t in economics.TIERS
    ]
    sources = sorted({p.source for p in points if p.source})
    return EvolutionStory(headline=headline, by_window=by_window, by_tier=by_tier, sources=sources)


def evolution_sentence(evolution: economics.Evolution, *, months_label: str) -> str:
    """'N times cheaper' or the honest alternative, without the amounts."""
    factor = evolution.times_cheaper
    if evolution.then is None:
        return f"No {evolution.tier} model had a price in the catalogue {months_label} ago."
    if factor is None:
        return "The workload costs nothing today at list prices."
    if factor > Decimal("1.05"):
        return f"{factor.quantize(Decimal('0.1')):,} times cheaper"
    if factor < Decimal("0.95"):
        return f"{(1 / factor).quantize(Decimal('0.1')):,} times dearer"
    return "about the same price"


# --- Break-even -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Advice:
    """The recommendation, as facts the page turns into words.

    kind: "no-volume" (nothing to run), "never" (the API wins at every volume), "api" (below
    break-even, or just past a step where a new GPU tips it back), "self-host".
    """

    kind: str
    difference: Decimal  # |API - self-hosted| per month at the current volume
    headroom: Decimal | None  # break-even volume / current volume


def break_even_advice(
    *, result: economics.BreakEven, volume: Decimal, api_now: Decimal, hosted_now: Decimal
) -> Advice:
    difference = abs(api_now - hosted_now)
    if volume == 0:
        return Advice("no-volume", difference, None)
    if result.never:
        return Advice("never", difference, None)
    headroom = result.volume / volume
    if hosted_now < api_now:
        return Advice("self-host", difference, headroom)
    return Advice("api", difference, headroom)
