"""The token economics calculator, the cost evolution story and the break-even page: the
catalogue's prices put through foundation.economics for one workload."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from . import economics, evolution
from .capability import CapabilityClass
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
@dataclass(frozen=True)
class EvolutionStory:
    """The workload's cost `months` before the anchor and on it, three ways."""

    anchor: datetime.date
    months: int
    same_model: evolution.Lens | None
    tier: evolution.Lens
    capability: evolution.Lens
    capability_class: CapabilityClass
    sources: list[str]  # of the prices in the cards
    window_sources: list[str]  # of the other prices in the windows table

    @property
    def lenses(self) -> list[evolution.Lens]:
        return [lens for lens in (self.same_model, self.tier, self.capability) if lens]

    @property
    def window_rows(self) -> list[WindowRow]:
        """Each window with every lens's comparison over it."""
        lenses = self.lenses
        return [
            WindowRow(
                months=comparisons[0].months,
                then_date=economics.months_before(self.anchor, comparisons[0].months),
                comparisons=list(comparisons),
            )
            for comparisons in zip(*(lens.windows for lens in lenses), strict=True)
        ]


@dataclass(frozen=True)
class WindowRow:
    months: int
    then_date: datetime.date
    comparisons: list[evolution.Comparison]


def evolution_story(
    *,
    points: list[economics.DatedPrice],
    workload: economics.Workload,
    tier: str,
    capability: CapabilityClass,
    months: int,
    anchor: datetime.date,
    model: str | None = None,
) -> EvolutionStory:
    """The story for `workload`: on `model` (else the tier's cheapest model on the anchor
    date) over time, on the cheapest model of `tier`, and on the cheapest model of the
    capability class; with the sources of the prices used."""
    tier_label = TIER_NAMES[tier]
    tier_lens = evolution.lens(
        points,
        workload,
        key=evolution.TIER,
        label=tier_label,
        anchor=anchor,
        months=months,
        among=lambda p: p.tier == tier,
    )
    if model is None and tier_lens.chosen.now is not None:
        model = tier_lens.chosen.now.point.model
    same_model = (
        evolution.lens(
            points,
            workload,
            key=evolution.MODEL,
            label=model,
            anchor=anchor,
            months=months,
            model=model,
        )
        if model
        else None
    )
    capability_lens = evolution.lens(
        points,
        workload,
        key=evolution.CAPABILITY,
        label=capability.label,
        anchor=anchor,
        months=months,
        among=lambda p: p.model in capability.models,
    )
    lenses = [lens for lens in (same_model, tier_lens, capability_lens) if lens]
    used = {
        priced.point.source
        for lens in lenses
        for priced in (lens.chosen.then, lens.chosen.now)
        if priced and priced.point.source
    }
    in_windows = {
        priced.point.source
        for lens in lenses
        for comparison in lens.windows
        for priced in (comparison.then, comparison.now)
        if priced and priced.point.source
    }
    return EvolutionStory(
        anchor=anchor,
        months=months,
        same_model=same_model,
        tier=tier_lens,
        capability=capability_lens,
        capability_class=capability,
        sources=sorted(used),
        window_sources=sorted(in_windows - used),
    )


TIER_NAMES = {"frontier": "Frontier tier", "mid-tier": "Mid-tier", "efficient": "Efficient tier"}


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
