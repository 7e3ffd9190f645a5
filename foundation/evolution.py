"""The cost evolution story, told three ways: the same model over time, the cheapest model of a
tier, and the cheapest model of a capability class. Each comparison carries its arithmetic.
No Django here.

The story is anchored on a date the prices reach (the newest date the catalogue covers, or the
workshop's pricing date if earlier): never on a day the data does not reach. A model counts at a
date only while on sale: not on or after its shutdown date, and a model gone from sale without
a dated source counts only before the anchor.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .economics import (
    DatedPrice,
    Workload,
    WorkloadCost,
    blended_price_per_mtok,
    months_before,
    prices_on,
    workload_cost,
)

WINDOWS = (6, 12, 18, 24, 36)
# Within 5% either way a price is "about the same".
SAME_BAND = Decimal("0.05")
MODEL, TIER, CAPABILITY = "model", "tier", "class"


def on_sale(point: DatedPrice, day: datetime.date, *, anchor: datetime.date) -> bool:
    if point.retired_on is not None and day >= point.retired_on:
        return False
    return not (point.retired_date_unknown and day >= anchor)


@dataclass(frozen=True)
class Priced:
    """A model's price on a date, and what the workload costs at it."""

    point: DatedPrice
    cost: WorkloadCost

    @property
    def blended(self) -> Decimal:
        return blended_price_per_mtok(self.point.prices)

    @property
    def blended_arithmetic(self) -> str:
        """'(3 x 2.5 + 10) / 4 = 4.375': USD per million tokens, 3 input : 1 output."""
        prices = self.point.prices
        return (
            f"(3 x {_plain(prices.input_per_mtok)} + {_plain(prices.output_per_mtok)}) / 4 "
            f"= {_plain(self.blended)}"
        )


def _plain(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.00001')).normalize():f}"
    return text


@dataclass(frozen=True)
class Comparison:
    """`then` against `now` for one lens and one window."""

    lens: str
    label: str
    months: int
    then_date: datetime.date
    now_date: datetime.date
    then: Priced | None
    now: Priced | None
    since_first_price: bool = False  # the model had no price `months` back: from its first

    @property
    def factor(self) -> Decimal | None:
        """then / now of the workload's monthly cost: above 1 cheaper now, below 1 dearer."""
        if not self.then or not self.now or not self.now.cost.per_month:
            return None
        return self.then.cost.per_month / self.now.cost.per_month

    @property
    def blended_factor(self) -> Decimal | None:
        if not self.then or not self.now or not self.now.blended:
            return None
        return self.then.blended / self.now.blended

    @property
    def direction(self) -> str | None:
        """'cheaper', 'dearer', 'same', or None when it cannot be said."""
        factor = self.factor
        if factor is None:
            return None
        if factor > 1 + SAME_BAND:
            return "cheaper"
        if factor < 1 - SAME_BAND:
            return "dearer"
        return "same"

    @property
    def change(self) -> Decimal | None:
        """How many times cheaper (or dearer): always 1 or more."""
        factor = self.factor
        if factor is None or factor == 0:
            return None
        return factor if factor >= 1 else 1 / factor

    @property
    def change_text(self) -> str:
        if self.direction is None:
            return "cannot be compared"
        if self.direction == "same":
            return "about the same price"
        return f"{_times(self.change)} {self.direction}"

    @property
    def factor_arithmetic(self) -> str:
        """'4.375 / 0.544 = 8.0x' on the blended prices (USD per million tokens)."""
        if self.blended_factor is None:
            return ""
        return (
            f"{_plain(self.then.blended)} / {_plain(self.now.blended)} = "
            f"{_times(self.blended_factor)}"
        )


def _times(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1') if value < 10 else Decimal(1)):,}x"


@dataclass(frozen=True)
class Lens:
    """One way of telling the story: the chosen window and the standard ones."""

    key: str
    label: str
    chosen: Comparison
    windows: list[Comparison] = field(default_factory=list)

    @property
    def change_elsewhere(self) -> Comparison | None:
        """When the chosen window holds no change, the nearest window that does (longer
        windows first)."""
        if self.chosen.direction not in ("same", None):
            return None
        months = self.chosen.months
        ordered = sorted(self.windows, key=lambda c: (c.months < months, abs(c.months - months)))
        return next((c for c in ordered if c.direction in ("cheaper", "dearer")), None)

    @property
    def note(self) -> str:
        """The plain sentence about the chosen window, and where the change is if not there."""
        chosen = self.chosen
        if chosen.then is None and chosen.now is None:
            return f"No {self.label} model has a price in the catalogue."
        if chosen.now is None:
            return f"No {self.label} model is on sale on {_day(chosen.now_date)}."
        if chosen.then is None:
            text = f"No {self.label} model was on sale {chosen.months} months earlier."
        elif chosen.direction == "same":
            text = f"No change over {chosen.months} months: about the same price."
        else:
            return ""
        other = self.change_elsewhere
        if other is not None:
            text += f" Over {other.months} months: {other.change_text}."
        return text


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _cheapest(
    points: list[DatedPrice],
    day: datetime.date,
    workload: Workload,
    *,
    anchor: datetime.date,
    among: Callable[[DatedPrice], bool],
) -> Priced | None:
    best = None
    for point in sorted(prices_on(points, day).values(), key=lambda p: p.model):
        if not among(point) or not on_sale(point, day, anchor=anchor):
            continue
        priced = Priced(point, workload_cost(workload, point.prices))
        if best is None or priced.cost.per_month < best.cost.per_month:
            best = priced
    return best


def _model_price(
    points: list[DatedPrice], day: datetime.date, workload: Workload, model: str
) -> Priced | None:
    point = prices_on([p for p in points if p.model == model], day).get(model)
    return Priced(point, workload_cost(workload, point.prices)) if point else None


def compare(
    points: Iterable[DatedPrice],
    workload: Workload,
    *,
    lens: str,
    label: str,
    anchor: datetime.date,
    months: int,
    among: Callable[[DatedPrice], bool] | None = None,
    model: str | None = None,
) -> Comparison:
    """The workload `months` before `anchor` and on it: on `model` (the same model over time),
    or on the cheapest model on sale that `among` accepts."""
    if not isinstance(months, int) or months < 1:
        raise ValueError("months must be a whole number >= 1")
    points = list(points)
    then_date = months_before(anchor, months)
    if model is not None:
        now = _model_price(points, anchor, workload, model)
        then = _model_price(points, then_date, workload, model)
        since_first = False
        if then is None and now is not None:
            first = min(p.effective_date for p in points if p.model == model)
            then, then_date, since_first = _model_price(points, first, workload, model), first, True
        return Comparison(lens, label, months, then_date, anchor, then, now, since_first)
    among = among or (lambda point: True)
    return Comparison(
        lens,
        label,
        months,
        then_date,
        anchor,
        _cheapest(points, then_date, workload, anchor=anchor, among=among),
        _cheapest(points, anchor, workload, anchor=anchor, among=among),
    )


def lens(
    points: Iterable[DatedPrice],
    workload: Workload,
    *,
    key: str,
    label: str,
    anchor: datetime.date,
    months: int,
    among: Callable[[DatedPrice], bool] | None = None,
    model: str | None = None,
    windows: Iterable[int] = WINDOWS,
) -> Lens:
    points = list(points)

    def one(m: int) -> Comparison:
        return compare(
            points,
            workload,
            lens=key,
            label=label,
            anchor=anchor,
            months=m,
            among=among,
            model=model,
        )

    return Lens(key, label, one(months), [one(m) for m in sorted({*windows, months})])
