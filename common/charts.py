"""The SVG chart kernel: the axis arithmetic every server-drawn chart shares (round tick steps,
axes rounded out to whole steps, tick values, end labels kept apart).

Pure: no Django import. Decimal in, Decimal out, so money and KPI values are never rounded
through float; the label spreading works on any numbers (a chart drawn on float passes float).
The charts themselves (coordinates, series, labels) are small functions in their apps, and
templates only place what they compute, so the browser, the projector and the PDF show the
same picture.
"""

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

# A tick step is one of these times a power of ten.
STEP_FACTORS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_step(
    span: Decimal, *, intervals: int = 4, factors: Sequence[Decimal] = STEP_FACTORS
) -> Decimal:
    """A round step (one of `factors` x 10^n) dividing `span` into about `intervals` parts;
    1 for an empty or negative span."""
    if span <= 0:
        return Decimal(1)
    raw = span / intervals
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in factors:
        if raw <= factor * magnitude:
            return factor * magnitude
    return Decimal(10) * magnitude


def round_to(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    """`value` rounded to a whole number of `step`s (ROUND_FLOOR down, ROUND_CEILING up)."""
    return (value / step).to_integral_value(rounding=rounding) * step


def axis_bounds(low: Decimal, high: Decimal, step: Decimal) -> tuple[Decimal, Decimal]:
    """`low` and `high` rounded out to whole steps."""
    return round_to(low, step, ROUND_FLOOR), round_to(high, step, ROUND_CEILING)


def tick_values(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    """`low`, `low + step`, ... up to and including `high`."""
    values = []
    value = low
    while value <= high:
        values.append(value)
        value += step
    return values


def spread[Number: (Decimal, float)](positions: Sequence[Number], gap: Number) -> list[Number]:
    """End-label positions (y, growing downwards) moved apart: from the top one down, each at
    least `gap` below the one above it. Returned in the order given."""
    spread_out = list(positions)
    previous = None
    for index in sorted(range(len(spread_out)), key=spread_out.__getitem__):
        position = spread_out[index]
        if previous is not None and position - previous < gap:
            position = previous + gap
        spread_out[index] = position
        previous = position
    return spread_out
