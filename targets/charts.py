"""Geometry of the payback chart: the cumulative net value of floor, target and stretch over the
first 24 months, against zero (the build cost paid back), drawn as SVG by
templates/targets/_payback_chart.html.

Pure: no Django import, Decimal throughout; the template only places what this computes, so the
browser and a PDF show the same picture.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from common.charts import axis_bounds, nice_step, spread, tick_values

from .economics import Scenario, cumulative_net, plain

WIDTH = 560
HEIGHT = 240
LEFT = 86
RIGHT = 84
TOP = 14
BOTTOM = 34
MONTHS = 24
MONTH_TICKS = (0, 6, 12, 18, 24)
_PLACES = Decimal("0.1")
# Tick steps of 1, 2 or 5 x a power of ten, about four intervals.
STEP_FACTORS = (Decimal(1), Decimal(2), Decimal(5), Decimal(10))
# End labels at least this far apart when lines end close together.
LABEL_GAP = Decimal(12)

# Colour and dash per level, so the lines stay apart in colour and in grey print alike.
LEVEL_STYLE = {
    "floor": ("#9a5b00", "6 3"),
    "target": ("#0b5cad", ""),
    "stretch": ("#1c7c3a", "1.5 2.5"),
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    level: str
    points: str  # "x,y x,y ..."
    colour: str
    dash: str
    label_y: Decimal
    payback_x: Decimal | None
    payback_label: str


@dataclass(frozen=True)
class Tick:
    label: str
    y: Decimal


@dataclass(frozen=True)
class PaybackChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    zero_y: Decimal
    ticks: tuple[Tick, ...]
    months: tuple[tuple[str, Decimal], ...]
    lines: tuple[Line, ...]
    currency: str

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def month_label_y(self) -> int:
        return self.plot_bottom + 16

    @property
    def end_label_x(self) -> int:
        return self.plot_right + 6

    @property
    def axis_label_y(self) -> int:
        return self.height - 2


def _money(value: Decimal) -> str:
    """Short money label: 12k, 1.5M, -40k."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}{plain((value / 1_000_000).quantize(_PLACES))}M"
    if value >= 1_000:
        return f"{sign}{plain((value / 1_000).quantize(_PLACES))}k"
    return f"{sign}{plain(value.quantize(Decimal(1)))}"


def payback_chart(scenarios: list[Scenario], *, currency: str = "") -> PaybackChart | None:
    """The chart of `scenarios` (floor, target, stretch), or None without any."""
    if not scenarios:
        return None
    series = {
        s.level: cumulative_net(
            build_cost=s.build_cost,
            value_6=s.value_6,
            value_12=s.value_12,
            run_cost=s.run_cost,
            months=MONTHS,
        )
        for s in scenarios
    }
    values = [v for points in series.values() for v in points] + [Decimal(0)]
    low, high = min(values), max(values)
    step = nice_step(high - low, factors=STEP_FACTORS)
    low, high = axis_bounds(low, high, step)
    if high == low:
        high = low + step
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    x_span = Decimal(plot_right - LEFT)
    y_span = Decimal(plot_bottom - TOP)

    def x_of(month: Decimal) -> Decimal:
        return _round(LEFT + x_span * month / MONTHS)

    def y_of(value: Decimal) -> Decimal:
        return _round(plot_bottom - y_span * (value - low) / (high - low))

    ticks = [Tick(label=_money(value), y=y_of(value)) for value in tick_values(low, high, step)]
    label_ys = spread([y_of(series[s.level][-1]) for s in scenarios], LABEL_GAP)
    lines = []
    for s, label_y in zip(scenarios, label_ys, strict=True):
        colour, dash = LEVEL_STYLE[s.level]
        points = series[s.level]
        payback_x = None
        payback_label = "never pays back"
        if s.payback is not None:
            payback_label = f"pays back in {plain(s.payback)} months"
            if s.payback <= MONTHS:
                payback_x = x_of(s.payback)
        lines.append(
            Line(
                level=s.level,
                points=" ".join(f"{x_of(Decimal(m))},{y_of(v)}" for m, v in enumerate(points)),
                colour=colour,
                dash=dash,
                label_y=label_y,
                payback_x=payback_x,
                payback_label=payback_label,
            )
        )
    return PaybackChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        zero_y=y_of(Decimal(0)),
        ticks=tuple(ticks),
        months=tuple((str(m), x_of(Decimal(m))) for m in MONTH_TICKS),
        lines=tuple(lines),
        currency=currency,
    )
