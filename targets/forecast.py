"""Cost forecast models (the guide's "Build cost forecast models", week 2): each agent's monthly
AI run cost for the next 12 or 24 months, and the portfolio's.

Pure: no Django import, Decimal throughout, money rounded to cents per month.

- Volume follows the adoption ramp of Block 4's constraint analysis: from 0 at the start to the
  6-month adoption at month 6 (straight line), on to the 12-month adoption at month 12, and
  flat after that.
- Model prices fall by a yearly rate the facilitator picks: none, the rate observed in the
  catalogue for the model's tier, or a published rate. Month m pays (1 - rate) ^ (m / 12) of
  today's price.
- Costs that are not the model (platform, support) stay flat each month.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
HORIZON_CHOICES = (12, 24)

NO_DECLINE = "none"
CATALOGUE = "catalogue"
PUBLISHED_FLOOR = "published_floor"
PUBLISHED_FRONTIER = "published_frontier"

# Published price movements (shared/data/README.md, "Headlines"): (label, times cheaper, months).
PUBLISHED = {
    PUBLISHED_FLOOR: (
        "GPT-4-class price floor: 1.9x cheaper over 24 months (Aug 2024 to Aug 2026)",
        Decimal("1.9"),
        24,
    ),
    PUBLISHED_FRONTIER: (
        "Cheapest frontier-tier model: 8.0x cheaper over 24 months (Aug 2024 to Aug 2026)",
        Decimal("8.0"),
        24,
    ),
}
DECLINE_CHOICES = [
    (NO_DECLINE, "No price decline"),
    (CATALOGUE, "The decline observed in the catalogue for the model's tier (last 24 months)"),
    *[(key, label) for key, (label, _, _) in PUBLISHED.items()],
]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def annual_decline(times_cheaper: Decimal, months: int) -> Decimal:
    """The yearly price decline (percent, 2 places) of a price that became `times_cheaper`
    over `months`: 1.9x over 24 months is 27.45 % a year. Zero when prices did not fall."""
    if times_cheaper <= 1 or months <= 0:
        return Decimal("0.00")
    with localcontext() as context:
        context.prec = 28
        kept = (Decimal(1) / times_cheaper) ** (TWELVE / Decimal(months))
    return cents((1 - kept) * HUNDRED)


def observed_decline(*, then_price: Decimal | None, now_price: Decimal | None, months: int):
    """The yearly decline between a tier's cheapest price `months` ago and now; None when
    either is unknown."""
    if not then_price or not now_price:
        return None
    return annual_decline(then_price / now_price, months)


def adoption_in_month(month: int, adoption_6: Decimal, adoption_12: Decimal) -> Decimal:
    """Adoption (percent, 2 places) in `month` (1 = the first month after go-live)."""
    if month <= 6:
        value = adoption_6 * month / 6
    elif month <= 12:
        value = adoption_6 + (adoption_12 - adoption_6) * (month - 6) / 6
    else:
        value = adoption_12
    return cents(value)


def price_factor(month: int, decline_percent: Decimal) -> Decimal:
    """What is left of today's price in `month` at `decline_percent` a year (6 places)."""
    if not decline_percent:
        return Decimal("1.000000")
    with localcontext() as context:
        context.prec = 28
        factor = (1 - decline_percent / HUNDRED) ** (Decimal(month) / TWELVE)
    return factor.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ForecastMonth:
    month: int
    adoption_percent: Decimal
    price_factor: Decimal
    model_cost: Decimal
    other_cost: Decimal

    @property
    def total(self) -> Decimal:
        return self.model_cost + self.other_cost


def monthly_forecast(
    *,
    full_volume_cost: Decimal,
    other_monthly_cost: Decimal,
    adoption_6: Decimal,
    adoption_12: Decimal,
    decline_percent: Decimal,
    months: int,
) -> list[ForecastMonth]:
    """Month by month: the model cost of the full volume at today's prices x adoption x price
    factor, in cents, beside the flat other costs."""
    rows = []
    for month in range(1, months + 1):
        adoption = adoption_in_month(month, adoption_6, adoption_12)
        factor = price_factor(month, decline_percent)
        rows.append(
            ForecastMonth(
                month=month,
                adoption_percent=adoption,
                price_factor=factor,
                model_cost=cents(full_volume_cost * adoption / HUNDRED * factor),
                other_cost=cents(other_monthly_cost),
            )
        )
    return rows


def portfolio_forecast(forecasts: Iterable[list[ForecastMonth]]) -> list[Decimal]:
    """The portfolio's total cost per month (the agents' totals added)."""
    totals: list[Decimal] = []
    for rows in forecasts:
        for index, row in enumerate(rows):
            if index == len(totals):
                totals.append(Decimal("0.00"))
            totals[index] += row.total
    return totals
