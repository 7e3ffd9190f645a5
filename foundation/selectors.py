"""Reads for the Block 1 pages: glossary, model catalogue, prices as the economics module wants
them. Query counts do not grow with the number of terms, models or price points."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import economics
from .freshness import PriceFreshness
from .models import GlossaryTerm, LLMModel, PricePoint


# --- Glossary -------------------------------------------------------------------------------
def glossary_search(*, query: str = "") -> QuerySet[GlossaryTerm]:
    """Terms whose name, other names or definition contain `query` (all when empty)."""
    terms = GlossaryTerm.objects.all()
    query = query.strip()
    if query:
        terms = terms.filter(
            Q(term__icontains=query) | Q(aliases__icontains=query) | Q(definition__icontains=query)
        )
    return terms


def glossary_lookup() -> dict[str, GlossaryTerm]:
    """Every term and alias, lower-cased, to its term: one query."""
    terms = list(GlossaryTerm.objects.all())
    lookup = {term.term.lower(): term for term in terms}
    for term in terms:
        for name in term.alias_list:
            lookup.setdefault(name.lower(), term)  # a term's own name wins over an alias
    return lookup


# --- Model catalogue ------------------------------------------------------------------------
def workshop_price_freshness(workshop) -> PriceFreshness:
    """How old a workshop's prices are: those in force on its pricing date, known no later
    than the catalogue reaches, against the workshop's date. One query."""
    as_of = prices_as_of()
    if as_of is not None and workshop.pricing_date < as_of:
        as_of = workshop.pricing_date
    return PriceFreshness(as_of=as_of, reference=workshop.date, reference_is_workshop=True)


def prices_as_of() -> datetime.date | None:
    """The newest date the catalogue's prices are known for: when its newest source was read
    (a price's effective date where that is not recorded). One query."""
    return PricePoint.objects.aggregate(newest=Max(Coalesce("listed_on", "effective_date")))[
        "newest"
    ]


def price_freshness(
    *, workshop_date: datetime.date | None = None, today: datetime.date | None = None
) -> PriceFreshness:
    """How old the prices are against the workshop's date, or today without a workshop."""
    reference = workshop_date or today or timezone.localdate()
    return PriceFreshness(
        as_of=prices_as_of(), reference=reference, reference_is_workshop=workshop_date is not None
    )


def models_with_prices() -> QuerySet[LLMModel]:
    """All models with their price points prefetched, oldest first: two queries."""
    return LLMModel.objects.prefetch_related(
        Prefetch("price_points", queryset=PricePoint.objects.order_by("effective_date"))
    ).order_by("tier", "provider", "name")


@dataclass(frozen=True)
class CatalogueRow:
    model: LLMModel
    current: PricePoint | None
    history: list[PricePoint]

    @property
    def prices(self) -> economics.Prices | None:
        return to_prices(self.current) if self.current else None


def to_prices(point: PricePoint) -> economics.Prices:
    return economics.Prices(
        input_per_mtok=point.input_usd_per_mtok,
        output_per_mtok=point.output_usd_per_mtok,
        cached_input_per_mtok=point.cached_input_usd_per_mtok,
    )


def catalogue(*, today: datetime.date | None = None) -> list[CatalogueRow]:
    """Every model with its current price and price history, by tier then provider."""
    today = today or timezone.localdate()
    order = {tier: i for i, tier in enumerate(economics.TIERS)}
    rows = [
        CatalogueRow(model=m, current=m.price_on(today), history=list(m.price_points.all()))
        for m in models_with_prices()
    ]
    rows.sort(key=lambda r: (order.get(r.model.tier, 9), r.model.provider.lower(), r.model.name))
    return rows


def priced_models(*, today: datetime.date | None = None) -> list[CatalogueRow]:
    """Models on sale with a price on `today`, for pickers of new workloads: a retired
    model stays in the history and the charts only."""
    today = today or timezone.localdate()
    return [
        row
        for row in catalogue(today=today)
        if row.current is not None and row.model.on_sale(today)
    ]


def dated_prices() -> list[economics.DatedPrice]:
    """Every price point as the economics module takes them: one query."""
    points = PricePoint.objects.select_related("model").order_by("effective_date", "pk")
    return [
        economics.DatedPrice(
            model=f"{p.model.provider} {p.model.name}",
            tier=p.model.tier,
            effective_date=p.effective_date,
            prices=to_prices(p),
            source=p.source,
            retired_on=p.model.retired_on,
            retired_date_unknown=p.model.retired_date_unknown,
        )
        for p in points
    ]
